from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import Workspace
from rapport.clients.models import Contact
from rapport.conversations.models import Mailbox, Request
from rapport.core.forms import model_choice_field
from rapport.projects.models import Project


class ClientContactChoiceField(forms.ModelChoiceField[Contact]):
    """Contacts of the whole workspace, each shown with its client's name."""

    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.client.name} · {obj.name}"


class RequestLogForm(forms.Form):
    """A request the provider logs by hand (a phone call, a chat in a meeting)."""

    contact = ClientContactChoiceField(label=_("Who asked"), queryset=Contact.objects.none())
    source = forms.ChoiceField(
        label=_("How"), choices=[c for c in Request.Source.choices if c[0] != Request.Source.PORTAL]
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("What they asked"), widget=forms.Textarea(attrs={"rows": 4}))
    urgent = forms.BooleanField(
        label=_("It is urgent"),
        required=False,
        help_text=_("You are told at once, even in your quiet hours."),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "contact").queryset = (
            Contact.objects.for_workspace(workspace)
            .filter(archived_at__isnull=True, client__archived_at__isnull=True)
            .select_related("client")
            .order_by("client__name", "name")
        )


class ReplyForm(forms.Form):
    # Not "Reply": that is the heading of the card the field is in.
    message = forms.CharField(
        label=_("Message to the client"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Request.State.DONE, _("Done")), (Request.State.DECLINED, _("Declined"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Answer or reason (the client sees it)"), widget=forms.Textarea(attrs={"rows": 4})
    )


class PortalRequestForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Your request"), widget=forms.Textarea(attrs={"rows": 5}))
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )
    urgent = forms.BooleanField(
        label=_("It is urgent"),
        required=False,
        help_text=_("Tick it only if it cannot wait: we are told at once, even out of hours."),
    )

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "project").queryset = projects


class AssignForm(forms.Form):
    contact = ClientContactChoiceField(label=_("This is from"), queryset=Contact.objects.none())

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "contact")
        field.queryset = (
            Contact.objects.for_workspace(workspace)
            .filter(archived_at__isnull=True)
            .select_related("client")
        )
        # Evaluated once: the unmatched list renders this select once per email.
        field.choices = list(field.iterator(field))


class UnmatchedLeadForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new lead"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the sender's name or address."),
    )


class MailboxForm(forms.Form):
    """The workspace's own mailbox (IMAP). The password is never shown again."""

    address = forms.EmailField(
        label=_("Address of the mailbox"),
        help_text=_("Client emails carry it as the Reply-To: their replies arrive there."),
    )
    host = forms.CharField(label=_("IMAP server"), max_length=253)
    port = forms.IntegerField(label=_("Port"), min_value=1, max_value=65535, initial=993)
    security = forms.ChoiceField(
        label=_("Connection security"), choices=Mailbox.Security.choices, initial="ssl"
    )
    username = forms.CharField(label=_("Username"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted and never shown again; leave empty to keep the saved one."),
    )
    folder = forms.CharField(label=_("Folder"), max_length=200, initial="INBOX")
