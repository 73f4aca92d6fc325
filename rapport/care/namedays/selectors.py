"""Reads for the greeting page: the alert with its client and the contact (fixed queries)."""

from __future__ import annotations

from dataclasses import dataclass

from rapport.accounts.models import Workspace
from rapport.clients.models import Contact
from rapport.notifications.models import Alert


@dataclass(frozen=True)
class Greeting:
    """An important-date alert and the contact it greets (None once the contact is gone)."""

    alert: Alert
    contact: Contact | None

    @property
    def kind(self) -> str:
        return str(self.alert.data.get("date_kind", ""))

    @property
    def years(self) -> int | None:
        years = self.alert.data.get("years")
        return int(years) if isinstance(years, int) else None


def greeting_alert_get(*, workspace: Workspace | int, pk: int) -> Alert | None:
    """An important-date alert of ``workspace`` (any state), with its client."""
    return (
        Alert.objects.for_workspace(workspace)
        .filter(pk=pk, kind=Alert.Kind.IMPORTANT_DATE)
        .select_related("client__workspace")
        .first()
    )


def greeting_read(*, alert: Alert) -> Greeting:
    """The greeting of ``alert``: its contact, of the alert's client, with that client set."""
    contact = None
    contact_id = alert.data.get("contact_id")
    if isinstance(contact_id, int) and alert.client_id is not None:
        contact = Contact.objects.filter(
            pk=contact_id, client_id=alert.client_id, workspace_id=alert.workspace_id
        ).first()
        if contact is not None and alert.client is not None:
            contact.client = alert.client
    return Greeting(alert=alert, contact=contact)
