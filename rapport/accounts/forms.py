from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES, Workspace
from rapport.accounts.suggestions import LANGUAGE_SUGGESTIONS, suggestion_for
from rapport.accounts.workspace_settings import holiday_country_choices
from rapport.core.forms import TimeInput, choice_field
from rapport.core.mail import email_queue
from rapport.core.pickers import CurrencyField, TimezoneField, suggest_from_language


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    workspace_name = forms.CharField(
        label=_("Workspace name"), max_length=150, help_text=_("Your business or studio name.")
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    currency = CurrencyField(
        label=_("Currency"),
        required=False,
        help_text=_("What you invoice in; each client can have its own."),
    )
    # No UTC default: the browser's zone fills it, else the language's, else the person picks.
    timezone = TimezoneField(
        label=_("Time zone"), browser=True, blank_label=_("Choose your time zone"), required=True
    )

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        """``language``: the page's language, which suggests the rest (server side)."""
        super().__init__(*args, **kwargs)
        code = language if language in dict(LANGUAGE_CHOICES) else "en"
        suggested = suggestion_for(code)
        self.initial.setdefault("language", code)
        self.initial.setdefault("currency", suggested.get("currency", "EUR"))
        if suggested:
            self.initial.setdefault("timezone", suggested["timezone"])
        suggest_from_language(
            self.fields["language"],
            LANGUAGE_SUGGESTIONS,
            {"currency": self.add_prefix("currency"), "timezone": self.add_prefix("timezone")},
        )

    def clean_currency(self) -> str:
        # A page always sends one; a script that leaves it out gets its language's.
        language = self.cleaned_data.get("language") or "en"
        return str(self.cleaned_data.get("currency") or "") or suggestion_for(language).get(
            "currency", "EUR"
        )


class SignupFinishForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        help_text=_("The password you chose when you signed up."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        strip=False,
    )


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    # The workspace's zone as the initial value; the new member's browser knows better.
    timezone = TimezoneField(label=_("Time zone"), browser=True, required=False)


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Workspace name"), max_length=150)
    default_currency = CurrencyField(label=_("Default currency"))
    default_language = forms.ChoiceField(
        label=_("Default language for new clients"), choices=LANGUAGE_CHOICES
    )
    timezone = TimezoneField(label=_("Time zone"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _currency_keep(self, "default_currency")
        _browser_fills_utc(self)


class PreferencesForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    timezone = TimezoneField(label=_("Time zone"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _browser_fills_utc(self)


def _currency_keep(form: forms.Form, name: str) -> None:
    field = form.fields[name]
    if isinstance(field, CurrencyField):
        field.keep(str(form.initial.get(name) or ""))


def _browser_fills_utc(form: forms.Form) -> None:
    """UTC was the old default, not a choice: the browser's zone may replace it while the
    field is untouched. A zone someone chose is left alone."""
    if form.initial.get("timezone") in (None, "", "UTC"):
        form.fields["timezone"].widget.attrs["data-browser-timezone"] = ""


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. “Zapier”.")
    )


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def _country_names() -> dict[str, str]:
    """Country names in the viewer's language (Babel's territories)."""
    try:
        return dict(
            Locale.parse(translation.to_locale(translation.get_language() or "en")).territories
        )
    except (ValueError, UnknownLocaleError):
        return dict(Locale.parse("en").territories)


class WorkingTimeForm(forms.Form):
    """Business hours and days, holidays, response target, alerts (owner only)."""

    business_hours_start = forms.TimeField(label=_("Business hours from"), widget=TimeInput())
    business_hours_end = forms.TimeField(label=_("Business hours until"), widget=TimeInput())
    business_days = forms.TypedMultipleChoiceField(
        label=_("Business days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    holiday_country = forms.ChoiceField(
        label=_("Public holidays of"),
        required=False,
        help_text=_("No business hours on that country's public holidays."),
    )
    response_target_hours = forms.IntegerField(
        label=_("First response within (business hours)"),
        help_text=_("The answer time promised to a client for a new request."),
    )
    response_alert_percent = forms.IntegerField(
        label=_("Alert at (percent of the target)"),
        help_text=_("From 1 to 100: when an unanswered request alerts you."),
    )
    delay_warning_days = forms.IntegerField(
        label=_("Warn of delays (working days ahead)"),
        help_text=_("How many working days before a deadline a risk is flagged."),
    )
    default_contact_hours_start = forms.TimeField(
        label=_("Default contact hours from"), widget=TimeInput()
    )
    default_contact_hours_end = forms.TimeField(
        label=_("Default contact hours until"),
        widget=TimeInput(),
        help_text=_("For new contacts, in their time zone: no messages outside them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "holiday_country").choices = [
            ("", _("None")),
            *holiday_country_choices(_country_names()),
        ]


class SenderForm(forms.Form):
    sender_name = forms.CharField(
        label=_("Sender name"),
        max_length=100,
        required=False,
        help_text=_("Blank: the workspace's name."),
    )
    sender_email = forms.EmailField(
        label=_("Sender address"),
        required=False,
        help_text=_(
            "Blank (recommended): email goes out as “Name via Rapport” from this server's "
            "address. Use your own address only once its domain lets this server send for it "
            "(SPF and DKIM), or it will be rejected or land in spam."
        ),
    )


class CapacityForm(forms.Form):
    weekly_capacity_hours = forms.IntegerField(label=_("Weekly capacity (hours)"))


WORKING_TIME_PREFIX = "wt"
SENDER_PREFIX = "snd"


def working_time_form(workspace: Workspace) -> WorkingTimeForm:
    """The working time form as the workspace has it now."""
    return WorkingTimeForm(
        initial={
            "business_hours_start": workspace.business_hours_start,
            "business_hours_end": workspace.business_hours_end,
            "business_days": sorted(workspace.business_weekdays),
            "holiday_country": workspace.holiday_country,
            "response_target_hours": workspace.response_target_hours,
            "response_alert_percent": workspace.response_alert_percent,
            "delay_warning_days": workspace.delay_warning_days,
            "default_contact_hours_start": workspace.default_contact_hours_start,
            "default_contact_hours_end": workspace.default_contact_hours_end,
        },
        prefix=WORKING_TIME_PREFIX,
    )


def sender_form(workspace: Workspace) -> SenderForm:
    return SenderForm(
        initial={"sender_name": workspace.sender_name, "sender_email": workspace.sender_email},
        prefix=SENDER_PREFIX,
    )


def country_name(code: str) -> str:
    """``code``'s name in the viewer's language ("" for none)."""
    return _country_names().get(code, code) if code else ""


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, its email written to the outbox like every other message."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        membership = user.memberships.order_by("created_at", "id").first()
        if membership is None:  # a user of no workspace (an admin): sent directly
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
            return
        email_queue(
            workspace_id=membership.workspace_id,
            to=to_email,
            template=email_template_name.removesuffix(".txt"),
            context=context,
            language=user.language,
            name=user.name,
            user_id=user.pk,
            tz=user.timezone,
        )
