"""Queue an email rendered from templates in the recipient's language, sent after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from rapport.core.tasks import email_deliver


def email_queue(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    """Render ``<template>_subject.txt`` / ``.txt`` / ``.html`` in ``language`` and queue it.

    The task is enqueued only when the surrounding transaction commits, so a rolled-back
    action never sends mail.
    """
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"{template}_subject.txt", context, using="text").split()
        )
        body = render_to_string(f"{template}.txt", context, using="text")
        html = render_to_string(f"{template}.html", context)
    transaction.on_commit(
        lambda: email_deliver.enqueue(to=[to], subject=subject, body=body, html=html)
    )
