"""Forms of the problem pages; the services check the same rules and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.care.models import Problem
from rapport.care.problems.services import AlternativeInput
from rapport.clients.models import Contact
from rapport.core.forms import DateInput, model_choice_field
from rapport.projects.models import Milestone

# Rows of alternatives the form offers; the service takes up to ALTERNATIVES_MAX.
ALTERNATIVE_ROWS = 3


def _text(label: Any, *, rows: int = 3, required: bool = True, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _ContactsForm(forms.Form):
    """Which of the client's current contacts to tell (never another client's people)."""

    contacts = forms.ModelMultipleChoiceField(
        label=_("Tell"), queryset=Contact.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, client_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "contacts").queryset = Contact.objects.filter(
            client_id=client_id, archived_at__isnull=True
        ).order_by("name")


class ProblemForm(_ContactsForm):
    title = forms.CharField(label=_("In a few words"), max_length=200)
    milestone = forms.ModelChoiceField(
        label=_("Milestone (optional)"), queryset=Milestone.objects.none(), required=False
    )
    what_happened = _text(_("What happened (the client reads this)"))
    cause = forms.ChoiceField(
        label=_("Cause"), choices=Problem.Cause.choices, widget=forms.RadioSelect
    )
    impact_days = forms.IntegerField(label=_("Delay, in days"), min_value=0, initial=0)
    impact_amount = forms.CharField(label=_("Extra cost"), initial="0", max_length=30)
    plan = _text(_("Our plan"))
    apology = _text(
        _("Our apology"),
        rows=2,
        required=False,
        help_text=_("Needed when the mistake is ours: no excuses, say sorry plainly."),
    )
    prevention = _text(
        _("What changes so it does not happen again"),
        rows=2,
        required=False,
        help_text=_("Needed when the mistake is ours."),
    )

    def __init__(self, *args: Any, project_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "milestone").queryset = Milestone.objects.filter(
            project_id=project_id, archived_at__isnull=True
        ).order_by("due_date", "id")
        for n in range(1, ALTERNATIVE_ROWS + 1):
            self.fields[f"alt{n}_description"] = forms.CharField(
                label=_("Alternative %(number)s") % {"number": n},
                max_length=500,
                required=False,
            )
            self.fields[f"alt{n}_cost"] = forms.CharField(
                label=_("Its cost"), initial="0", max_length=30, required=False
            )
            self.fields[f"alt{n}_due_date"] = forms.DateField(
                label=_("Done by"), widget=DateInput(), required=False
            )

    def alternatives(self) -> list[AlternativeInput]:
        """The rows with anything typed in them (an empty row is no alternative)."""
        data = self.cleaned_data
        rows = []
        for n in range(1, ALTERNATIVE_ROWS + 1):
            description = data.get(f"alt{n}_description") or ""
            due = data.get(f"alt{n}_due_date")
            if description.strip() or due is not None:
                cost = data.get(f"alt{n}_cost") or "0"
                rows.append(AlternativeInput(n, description, cost, due))
        return rows


class ResolveForm(_ContactsForm):
    resolution = _text(
        _("How it was resolved (the client reads this)"),
        help_text=_("Short: what was done, and where things stand now."),
    )


class ChooseForm(forms.Form):
    """The client's choice as told outside Rapport (a call, a meeting)."""

    alternative = forms.TypedChoiceField(label=_("The client chose"), coerce=int)

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["alternative"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(a.pk, a.description) for a in problem.alternatives.all()]


class GoodwillForm(forms.Form):
    """Hours of the fix given free against our own mistake (P35)."""

    goodwill_hours = forms.DecimalField(
        label=_("Hours not charged"), max_digits=7, decimal_places=2, min_value=0
    )
    goodwill_amount = forms.CharField(
        label=_("Their value (optional)"),
        max_length=30,
        required=False,
        help_text=_("Left empty: the hours at the project's hourly rate, when it has one."),
    )
    goodwill_note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)
    goodwill_tell = forms.BooleanField(
        label=_("Tell the client in the resolution report"), required=False
    )
