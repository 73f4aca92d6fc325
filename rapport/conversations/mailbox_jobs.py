"""Mailboxes read from the tick (P14): each due one is claimed and read by a background task,
so that one slow IMAP server holds up only its own workspace's mail, not the tick."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.tasks import task

from rapport.conversations.imap import mailbox_poll
from rapport.conversations.mailboxes import POLL_SECONDS
from rapport.conversations.models import Mailbox
from rapport.core.periodic import register_job

BATCH = 500


@task()
def mailbox_poll_task(*, mailbox_id: int) -> int:
    mailbox = Mailbox.objects.select_related("workspace").filter(pk=mailbox_id).first()
    return mailbox_poll(mailbox) if mailbox is not None else 0


@register_job
def scan_mailboxes_due(now: datetime) -> int:
    """Claim the mailboxes due (a conditional update, so two ticks never read one twice in a
    minute) and hand each to a task. One indexed query, whatever the number of workspaces."""
    due = list(
        Mailbox.objects.filter(next_poll_at__lte=now)
        .order_by("next_poll_at", "id")
        .values_list("pk", "next_poll_at")[:BATCH]
    )
    claimed = 0
    for pk, was in due:
        if Mailbox.objects.filter(pk=pk, next_poll_at=was).update(
            next_poll_at=now + timedelta(seconds=POLL_SECONDS)
        ):
            transaction.on_commit(partial(mailbox_poll_task.enqueue, mailbox_id=pk))
            claimed += 1
    return claimed
