"""Raising the "client may be upset" alert (P23, P24)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise

if TYPE_CHECKING:
    from django.db import models

    from rapport.clients.models import Client, Contact


class UpsetSource(StrEnum):
    """What made Rapport think the client is upset; part of the alert's key and data."""

    # A portal request or an email reply read as unhappy or hostile by the tone classifier.
    TONE = "tone"
    # The pulse (five faces) fell.
    PULSE = "pulse"


def client_upset_raise(
    *,
    client: Client,
    source: UpsetSource,
    subject: models.Model,
    reason: dict[str, Any] | str,
    contact: Contact | None = None,
    hostile: bool = False,
    data: dict[str, Any] | None = None,
) -> tuple[Alert, bool]:
    """Raise the client-upset alert for ``subject`` (the message or the pulse answer that
    showed it) once: a second call for the same source and subject returns the first alert.

    ``reason`` says in a few words what was seen; it is stored as given (a system-text key
    dict per ADR 0021 is read in the reader's language, a plain string as written).
    ``hostile`` marks abuse: the alert is urgent and its page offers the boundary message.
    ``data`` adds fields the alert's page shows (for example the tone's cues or the pulse
    trend); it may not override ``name``, ``reason``, ``source`` or ``hostile``.
    The alert goes to the client's account owner.
    """
    payload: dict[str, Any] = dict(data or {})
    payload.update(
        {
            "name": contact.name if contact is not None else client.name,
            "reason": reason,
            "source": str(source),
            "hostile": hostile,
        }
    )
    if contact is not None:
        payload["contact_id"] = contact.pk
    return alert_raise(
        workspace=client.workspace_id,
        kind=Alert.Kind.CLIENT_UPSET,
        dedupe_key=f"client_upset:{source}:{subject._meta.model_name}:{subject.pk}",
        client=client,
        assignee=client.account_owner_id,
        subject=subject,
        data=payload,
        severity=Alert.Severity.URGENT if hostile else Alert.Severity.WARNING,
    )
