"""Forms of the decisions pages; the services check the same rules and name the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.care.decisions.services import RECORDED_VIA, OptionInput
from rapport.care.model_decisions import Decision
from rapport.clients.models import Contact
from rapport.core.clock import zone_or_utc
from rapport.core.forms import DateInput, choice_field, model_choice_field
from rapport.projects.models import Milestone

# Rows of options the form offers (the service takes two to OPTIONS_MAX).
OPTION_ROWS = 3
OPTION_PARTS = ("label", "notes", "cost", "due_date")
VIA_CHOICES = [("", "—")] + [(v.value, v.label) for v in RECORDED_VIA]


def _text(label: Any, *, rows: int = 3, required: bool = True, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _contacts(client_id: int) -> Any:
    return Contact.objects.filter(client_id=client_id, archived_at__isnull=True).order_by("name")


def decided_at_of(day: dt.date | None, tz: str) -> dt.datetime | None:
    """The moment recorded for a decision told on ``day``: now when it is today (or not
    given), else midday of that day in the workspace's time zone (a future day stays in
    the future, and the service refuses it)."""
    if day is None or day == timezone.localdate(timezone=zone_or_utc(tz)):
        return None
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone_or_utc(tz))


class _DecidedFields(forms.Form):
    """Who decided, how it reached us, when and why: a decision taken outside Rapport."""

    decided_by = forms.ModelChoiceField(
        label=_("Who decided"), queryset=Contact.objects.none(), required=False
    )
    decided_via = forms.ChoiceField(label=_("How"), choices=VIA_CHOICES, required=False)
    decided_at = forms.DateField(
        label=_("When"), widget=DateInput(), required=False, help_text=_("Today if left empty.")
    )
    reason = _text(_("Why the client chose it"), rows=2, required=False)

    def __init__(self, *args: Any, client_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "decided_by").queryset = _contacts(client_id)


class DecisionForm(_DecidedFields):
    title = forms.CharField(label=_("What is to be decided"), max_length=200)
    milestone = forms.ModelChoiceField(
        label=_("Milestone (optional)"), queryset=Milestone.objects.none(), required=False
    )
    recommendation = _text(
        _("Our recommendation, and why (the client reads this)"),
        help_text=_("For the client, not for the portfolio: a “no” comes with its reasons."),
    )
    recommended = forms.TypedChoiceField(
        label=_("The option we recommend"), coerce=int, required=False, empty_value=None
    )
    chosen = forms.TypedChoiceField(
        label=_("Already decided?"), coerce=int, required=False, empty_value=None
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Ask them to decide in the portal"),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only while it is not decided yet; each gets it in their language."),
    )

    def __init__(self, *args: Any, client_id: int, project_id: int, **kwargs: Any) -> None:
        super().__init__(*args, client_id=client_id, **kwargs)
        model_choice_field(self, "milestone").queryset = Milestone.objects.filter(
            project_id=project_id, archived_at__isnull=True
        ).order_by("due_date", "id")
        model_choice_field(self, "contacts").queryset = _contacts(client_id)
        for n in range(1, OPTION_ROWS + 1):
            self.fields[f"opt{n}_label"] = forms.CharField(
                label=_("Option %(number)s") % {"number": n}, max_length=300, required=False
            )
            self.fields[f"opt{n}_notes"] = _text(_("Its notes"), rows=2, required=False)
            self.fields[f"opt{n}_cost"] = forms.CharField(
                label=_("Its cost (optional)"), max_length=30, required=False
            )
            self.fields[f"opt{n}_due_date"] = forms.DateField(
                label=_("Its date (optional)"), widget=DateInput(), required=False
            )
        numbers = [(n, _("Option %(number)s") % {"number": n}) for n in range(1, OPTION_ROWS + 1)]
        choice_field(self, "recommended").choices = [("", _("None in particular")), *numbers]
        choice_field(self, "chosen").choices = [
            ("", _("Not yet: the client decides in the portal")),
            *numbers,
        ]
        # The options between the recommendation and the choice, as the provider thinks.
        self.order_fields(
            [
                "title",
                "milestone",
                "recommendation",
                *(f"opt{n}_{part}" for n in range(1, OPTION_ROWS + 1) for part in OPTION_PARTS),
                "recommended",
                "chosen",
            ]
        )

    def options(self) -> list[OptionInput]:
        """The rows with anything typed in them (an empty row is no option)."""
        data = self.cleaned_data
        rows = []
        for n in range(1, OPTION_ROWS + 1):
            parts = [data.get(f"opt{n}_{part}") for part in ("label", "notes", "cost")]
            due = data.get(f"opt{n}_due_date")
            if any((p or "").strip() for p in parts) or due is not None:
                label, notes, cost = (p or "" for p in parts)
                rows.append(OptionInput(n, label, notes, cost or None, due))
        return rows


class DecideForm(_DecidedFields):
    """The client's decision on an open recommendation, as told outside Rapport."""

    option = forms.TypedChoiceField(label=_("The client chose"), coerce=int)
    field_order = ["option", "decided_by", "decided_via", "decided_at", "reason"]

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, client_id=decision.client_id, **kwargs)
        choice_field(self, "option").choices = [
            (o.pk, o.shown_label) for o in decision.options.all()
        ]


class PortalDecideForm(forms.Form):
    """The client decides in the portal: one of the options, and why if they like."""

    option = forms.TypedChoiceField(label=_("Your choice"), coerce=int, widget=forms.RadioSelect)
    reason = _text(_("Why (optional)"), rows=3, required=False)

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "option").choices = [
            (o.pk, o.shown_label) for o in decision.options.all()
        ]
