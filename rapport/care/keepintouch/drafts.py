"""The words of a keep-in-touch draft, in the contact's language (P29, P30, P34).

A draft is written once, as text the provider may change before sending; it is stored on the
row with its language, and the message that goes is exactly what the provider saw.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from rapport.care.model_keepintouch import CheckIn
from rapport.clients.models import Client, Contact


def draft_words(
    *, kind: str, contact: Contact | None, client: Client, context: dict[str, Any]
) -> tuple[str, str, str]:
    """(language, subject, text) of a draft of ``kind`` to ``contact`` (or, without one, in
    the client's language), from ``care/keepintouch/draft_<kind>*.txt``."""
    language = contact.effective_language if contact is not None else client.language
    ctx = {"contact": contact, "client": client, **context}
    base = f"care/keepintouch/draft_{kind}"
    with translation.override(language):
        subject = " ".join(render_to_string(f"{base}_subject.txt", ctx, using="text").split())
        body = render_to_string(f"{base}.txt", ctx, using="text").strip()
    return language, subject[:300], body


def check_in_words(check_in: CheckIn, workspace_name: str) -> tuple[str, str, str]:
    """The draft of a check-in: how things went since the delivery of its project."""
    return draft_words(
        kind=CheckIn.Kind.CHECK_IN,
        contact=check_in.contact,
        client=check_in.client,
        context={
            "project": check_in.project,
            "months": check_in.months,
            "workspace_name": workspace_name,
        },
    )
