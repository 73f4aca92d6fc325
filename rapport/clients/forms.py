from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.accounts.models import LANGUAGE_CHOICES, Workspace
from rapport.accounts.selectors import member_users
from rapport.accounts.suggestions import LANGUAGE_SUGGESTIONS
from rapport.clients.first_contact import CONTACT_PREFIX, FIRST_CONTACT_FIELDS
from rapport.clients.models import CLIENT_FIELDS, CONTACT_FIELDS, Client, Contact, ImportantDate
from rapport.core.forms import TimeInput, choice_field, model_choice_field
from rapport.core.pickers import CurrencyField, TimezoneField, suggest_from_language
from rapport.notifications.telegram import deep_link


class TagsField(forms.CharField):
    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # text in, tags out
        text = super().to_python(value) or ""
        return [t.strip() for t in text.split(",") if t.strip()]


class GlossaryField(forms.CharField):
    """One entry a line: ``their word = what they mean`` (P26)."""

    widget = forms.Textarea

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{e['term']} = {e['meaning']}" for e in value)
        return value

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]  # entries
        text = super().to_python(value) or ""
        entries = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            term, sep, meaning = line.partition("=")
            if not sep or not term.strip() or not meaning.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write “their word = what they mean”.") % {"n": number}
                )
            entries.append({"term": term.strip(), "meaning": meaning.strip()})
        return entries


class ClientForm(forms.ModelForm[Client]):
    industry_tags = TagsField(
        label=gettext_lazy("Industry tags"),
        required=False,
        help_text=gettext_lazy("Comma-separated, e.g. retail, fashion."),
    )
    competitor_tags = TagsField(
        label=gettext_lazy("Competitor tags"),
        required=False,
        help_text=gettext_lazy("Markets where they compete with others, comma-separated."),
    )
    glossary = GlossaryField(
        label=gettext_lazy("Glossary"),
        required=False,
        help_text=gettext_lazy(
            "One per line: their word = what they mean (e.g. pop-up = lightbox)."
        ),
    )
    timezone = TimezoneField(label=gettext_lazy("Time zone"))
    currency = CurrencyField(label=gettext_lazy("Currency"))

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {"temperament_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "account_owner").queryset = member_users(workspace=workspace)
        currency = self.fields["currency"]
        assert isinstance(currency, CurrencyField)
        currency.keep(self.instance.currency if self.instance.pk else "")
        # The client's language suggests its currency and zone while those are untouched.
        suggest_from_language(
            self.fields["language"],
            LANGUAGE_SUGGESTIONS,
            {"currency": self.add_prefix("currency"), "timezone": self.add_prefix("timezone")},
        )

    def _post_clean(self) -> None:
        # The service validates the model; the form only converts input.
        pass

    # Asked first on the page, before the first contact and the billing details; the rest
    # (tags, glossary, notes) comes after them.
    ESSENTIAL = ("name", "kind", "status", "language", "timezone", "currency", "account_owner")

    def essential_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ESSENTIAL]

    def more_fields(self) -> list[forms.BoundField]:
        return [field for field in self if field.name not in self.ESSENTIAL]


class ContactForm(forms.ModelForm[Contact]):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("Same as the client")), *LANGUAGE_CHOICES],
    )
    # Not filled from the provider's browser: a client's contact is rarely where the provider
    # is. Blank means the client's zone; the contact's language suggests one.
    timezone = TimezoneField(
        label=gettext_lazy("Time zone"), blank_label=gettext_lazy("Same as the client")
    )

    class Meta:
        model = Contact
        fields = CONTACT_FIELDS
        widgets = {"contact_hours_start": TimeInput(), "contact_hours_end": TimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suggest_from_language(
            self.fields["language"], LANGUAGE_SUGGESTIONS, {"timezone": self.add_prefix("timezone")}
        )
        # What each service really accepts, so an address does not fail later (ADR 0006).
        self.fields["telegram"].help_text = _(
            "The chat id (a number) or a public @username. A bot can only write to someone "
            "who has started a chat with it."
        )
        link = deep_link(self.instance.pk) if self.instance.pk else ""
        if link:
            self.fields["telegram"].help_text = _(
                "The chat id, filled in when the contact opens %(link)s and presses Start."
            ) % {"link": link}
        self.fields["whatsapp"].help_text = _(
            "In international form (+30…). More than 24 hours after the contact last wrote, "
            "WhatsApp delivers only templates approved by Meta; a message it refuses goes by email."
        )
        self.fields["webhook_url"].help_text = _(
            "A public https:// address that accepts a JSON POST; private and local network "
            "addresses are refused."
        )

    def _post_clean(self) -> None:
        pass


class FirstContactForm(forms.ModelForm[Contact]):
    """The first contact, on the new-client page: who to write to, and how. Every field is
    optional; a name is needed once any is given (``clients.first_contact``)."""

    # Labels of their own: the client's fields beside them are "Name", "Language"...
    name = forms.CharField(label=gettext_lazy("Contact's name"), max_length=200, required=False)
    email = forms.EmailField(label=gettext_lazy("Contact's email"), required=False)
    phone = forms.CharField(label=gettext_lazy("Contact's phone"), max_length=32, required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Contact's language"),
        required=False,
        choices=[("", gettext_lazy("Same as the client")), *LANGUAGE_CHOICES],
    )
    timezone = TimezoneField(
        label=gettext_lazy("Contact's time zone"), blank_label=gettext_lazy("Same as the client")
    )
    # Email or phone here; the other channels need addresses asked on the contact's own page.
    preferred_channel = forms.ChoiceField(
        label=gettext_lazy("Preferred channel"),
        choices=[(c.value, c.label) for c in (Contact.Channel.EMAIL, Contact.Channel.PHONE)],
        initial=Contact.Channel.EMAIL,
        help_text=gettext_lazy("Other channels can be set on the contact's page."),
    )

    class Meta:
        model = Contact
        fields = FIRST_CONTACT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["prefix"] = CONTACT_PREFIX
        super().__init__(*args, **kwargs)
        suggest_from_language(
            self.fields["language"], LANGUAGE_SUGGESTIONS, {"timezone": self.add_prefix("timezone")}
        )

    def _post_clean(self) -> None:
        pass

    def contact_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIRST_CONTACT_FIELDS}


class ImportantDateForm(forms.ModelForm[ImportantDate]):
    class Meta:
        model = ImportantDate
        fields = ["kind", "day", "month", "year", "label"]
        widgets = {
            "day": forms.NumberInput(attrs={"min": 1, "max": 31}),
            "month": forms.NumberInput(attrs={"min": 1, "max": 12}),
        }

    def _post_clean(self) -> None:
        pass


class ClientFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *Client.Status.choices],
    )
    owner = forms.TypedChoiceField(
        label=gettext_lazy("Account owner"), required=False, coerce=int, empty_value=None
    )
    archived = forms.BooleanField(label=gettext_lazy("Archived"), required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [
            ("", _("Anyone")),
            *[(u.pk, u.name) for u in member_users(workspace=workspace)],
        ]
