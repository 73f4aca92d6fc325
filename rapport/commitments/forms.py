from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rapport.clients.models import Contact
from rapport.commitments.services import TOLD_OUTSIDE_RAPPORT, ClientTold
from rapport.core.forms import choice_field, model_choice_field


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PromiseForm(forms.Form):
    wording = forms.CharField(
        label=_("The promise, as the client heard it"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_at = forms.DateTimeField(label=_("By"), widget=DateTimeInput())


NOTICE = "notice"
OTHER_WAY = "other_way"
NOT_TOLD = "not_told"
TOLD_CHOICES = [
    (NOTICE, _("Send the client a delay notice from Rapport now")),
    (OTHER_WAY, _("I told the client another way (a call, a meeting, an email)")),
    (NOT_TOLD, _("The client has not been told (counts as a broken promise)")),
]


class DateToldForm(forms.Form):
    """How the client heard of a later due date (P15, P17): a notice from Rapport, another way
    with a note of when and how, or not at all. Parses only; ``commitment_move`` checks."""

    told = forms.ChoiceField(
        label=_("How does the client know of the new date?"),
        choices=TOLD_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    told_via = forms.ChoiceField(
        label=_("Told by"), choices=[("", "—"), *TOLD_OUTSIDE_RAPPORT], required=False
    )
    told_note = forms.CharField(
        label=_("When and how"),
        max_length=300,
        required=False,
        help_text=_("For example: “call with Carol on Monday, she agreed”."),
    )

    def __init__(self, *args: Any, offer_notice: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not offer_notice:
            choice_field(self, "told").choices = [c for c in TOLD_CHOICES if c[0] != NOTICE]

    def wants_notice(self) -> bool:
        return bool(self.cleaned_data.get("told") == NOTICE)

    def client_told(self) -> ClientTold | None:
        """What the service records: told another way (with via and note), or not told."""
        if self.cleaned_data.get("told") != OTHER_WAY:
            return None
        return ClientTold(via=self.cleaned_data["told_via"], note=self.cleaned_data["told_note"])

    def require_answer(self) -> bool:
        """For a later date: an answer is needed (never a silent "not told"). False, with the
        error on the field, when there is none."""
        if self.cleaned_data.get("told"):
            return True
        self.add_error("told", _("The date moves later: say how the client knows of it."))
        return False


class RenegotiateForm(DateToldForm):
    new_due_at = forms.DateTimeField(label=_("New date"), widget=DateTimeInput())
    reason = forms.CharField(label=_("Why"), max_length=500)
    field_order = ["new_due_at", "reason", "told", "told_via", "told_note"]


class CancelForm(forms.Form):
    # Not required here: the service's refusal names the field and says why it is needed.
    reason = forms.CharField(
        label=_("Why is it cancelled? (the client reads this)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def contacts_of(client_id: int) -> QuerySet[Contact]:
    return Contact.objects.filter(client_id=client_id, archived_at__isnull=True).order_by("name")


class ConfirmRequestForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Ask"), queryset=Contact.objects.none())

    def __init__(self, *args: Any, client_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "contact").queryset = contacts_of(client_id)
