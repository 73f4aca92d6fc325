"""Reads for the de-escalation page: the alert, who wrote, what they wrote (fixed queries)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapport.accounts.models import Workspace
from rapport.clients.models import Contact
from rapport.conversations.models import Request
from rapport.notifications.models import Alert


@dataclass(frozen=True)
class Part:
    """A piece of the client's message: a cue (highlighted) or the words between cues."""

    text: str
    cue: bool = False


@dataclass(frozen=True)
class Upset:
    """What the de-escalation page shows about one client-upset alert (P23, P24)."""

    alert: Alert
    contact: Contact | None
    request: Request | None
    # The client's words with the cues marked (a tone alert); empty for another source.
    parts: list[Part] = field(default_factory=list)

    @property
    def hostile(self) -> bool:
        return bool(self.alert.data.get("hostile"))

    @property
    def source(self) -> str:
        return str(self.alert.data.get("source", ""))


def upset_alert_get(*, workspace: Workspace | int, pk: int) -> Alert | None:
    """A client-upset alert of ``workspace`` (any state), with its client."""
    return (
        Alert.objects.for_workspace(workspace)
        .filter(pk=pk, kind=Alert.Kind.CLIENT_UPSET)
        .select_related("client__workspace")
        .first()
    )


def _counted(cues: list[dict[str, Any]]) -> list[str]:
    return [str(c["text"]) for c in cues if c.get("weight", 0) > 0 and c.get("kind") != "urgent"]


def highlighted(text: str, cues: list[dict[str, Any]]) -> list[Part]:
    """``text`` cut into parts with each cue that weighed marked, wherever its words appear
    (case-insensitive: "ΑΠΑΤΕΩΝΕΣ" and "απατεώνες" are one cue)."""
    words = sorted({w for w in _counted(cues) if w.strip()}, key=len, reverse=True)
    if not words:
        return [Part(text)] if text else []
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    parts: list[Part] = []
    end = 0
    for match in pattern.finditer(text):
        if match.start() > end:
            parts.append(Part(text[end : match.start()]))
        parts.append(Part(match.group(0), cue=True))
        end = match.end()
    if end < len(text):
        parts.append(Part(text[end:]))
    return parts


def upset_read(*, alert: Alert) -> Upset:
    """The contact and the request the alert names, scoped to the alert's client (two
    queries at most), and the words with their cues.

    A tone alert keeps the words in its data, so the page shows what was read even if the
    row changed since; another source (the pulse) has no words: its sentence says it all."""
    data = alert.data
    contact = None
    if data.get("contact_id") and alert.client_id:
        contact = (
            Contact.objects.filter(client_id=alert.client_id, pk=data["contact_id"])
            .select_related("client")
            .first()
        )
    request_id = data.get("request_id")
    if request_id is None and alert.subject_type == "request":
        request_id = alert.subject_id
    request = None
    if request_id and alert.client_id:
        request = Request.objects.filter(client_id=alert.client_id, pk=request_id).first()
    parts = highlighted(str(data.get("excerpt", "")), list(data.get("cues", [])))
    return Upset(alert=alert, contact=contact, request=request, parts=parts)
