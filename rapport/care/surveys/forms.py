"""Forms of the survey pages; the services check the same rules and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.care.model_surveys import (
    PortfolioPermission,
    Promotion,
    Testimonial,
)
from rapport.care.surveys.consent import CONDITIONS_MAX, TESTIMONIAL_MAX
from rapport.care.surveys.services import COMMENT_MAX
from rapport.core.forms import DateInput

CSAT_CHOICES = [(str(n), str(n)) for n in range(1, 6)]
NPS_CHOICES = [(str(n), str(n)) for n in range(0, 11)]


class SurveyForm(forms.Form):
    """The client's survey: the numbers are checked by the service, which names the field."""

    csat = forms.ChoiceField(
        label=_("How satisfied are you with the project?"),
        choices=CSAT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    nps = forms.ChoiceField(
        label=_("How likely are you to recommend us to a friend or colleague?"),
        choices=NPS_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What should we keep doing, or do better? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    testimonial = forms.CharField(
        label=_("A few words we may publish about working with us (optional)"),
        required=False,
        max_length=TESTIMONIAL_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publish = forms.BooleanField(label=_("You may publish these words"), required=False)
    show_name = forms.BooleanField(label=_("Show my name with them"), required=False)
    show_company = forms.BooleanField(label=_("Show my company with them"), required=False)
    portfolio = forms.BooleanField(
        label=_("You may show this work in your portfolio"), required=False
    )
    conditions = forms.CharField(
        label=_("Any conditions? (optional)"),
        help_text=_("For example: only after our launch, or without prices."),
        required=False,
        max_length=CONDITIONS_MAX,
    )


class PromotionForm(forms.Form):
    """Where and when the client's work was shown, and under which permission."""

    channel = forms.ChoiceField(label=_("Where"), choices=Promotion.Channel.choices)
    shown_on = forms.DateField(label=_("Shown on"), widget=DateInput())
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    permission = forms.ChoiceField(label=_("Under which permission"))

    def __init__(
        self,
        *args: Any,
        testimonials: list[Testimonial],
        permissions: list[PortfolioPermission],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", "—")]
        for t in testimonials:
            state = _("withdrawn") if t.is_withdrawn else _("standing")
            label = _("Testimonial of %(name)s: “%(text)s” (%(state)s)") % {
                "name": t.contact.name,
                "text": t.text[:40],
                "state": state,
            }
            choices.append((f"t:{t.pk}", label))
        for p in permissions:
            state = _("withdrawn") if p.is_revoked else _("standing")
            label = _("Portfolio permission for %(project)s (%(state)s)") % {
                "project": p.project.title,
                "state": state,
            }
            choices.append((f"p:{p.pk}", label))
        field = self.fields["permission"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def permission_ids(self) -> tuple[int | None, int | None]:
        """(testimonial id, portfolio permission id) of the chosen permission."""
        kind, _sep, pk = str(self.cleaned_data["permission"]).partition(":")
        if not pk.isdigit():
            return None, None
        return (int(pk), None) if kind == "t" else (None, int(pk))
