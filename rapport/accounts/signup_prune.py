"""Unfinished sign-ups are deleted after ``SIGNUP_PENDING_DAYS`` (ADR 0020).

A sign-up whose emailed link was never followed leaves an inactive account and its workspace
(with the screening checklist and questionnaire written at creation). Nobody can use them: the
link expired hours ago. Keeping them would keep a stranger's address, and an address that was
mistyped, forever. The periodic tick deletes them; the person can simply sign up again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from rapport.accounts.models import Membership, User, Workspace
from rapport.core.periodic import register_job

# A tick deletes at most this many: a flood of sign-ups is worked off over a few minutes
# instead of holding one long transaction.
PRUNE_BATCH = 100


def signups_pending_expired(now: datetime) -> list[int]:
    """Ids of accounts whose sign-up was never finished and is older than the period.
    "Never finished": inactive and never logged in (an account an administrator deactivated
    has logged in before and is kept)."""
    cutoff = now - timedelta(days=settings.SIGNUP_PENDING_DAYS)
    return list(
        User.objects.filter(is_active=False, last_login__isnull=True, date_joined__lt=cutoff)
        .order_by("date_joined", "id")
        .values_list("id", flat=True)[:PRUNE_BATCH]
    )


@register_job
def signups_prune(now: datetime) -> int:
    """Delete expired unfinished sign-ups and the workspaces only they belong to; the number
    of accounts deleted. Idempotent: a second run finds nothing."""
    user_ids = signups_pending_expired(now)
    if not user_ids:
        return 0
    with transaction.atomic():
        # Only a workspace of theirs alone: one with another member is not theirs to remove.
        theirs = Membership.objects.filter(user_id__in=user_ids).values("workspace_id")
        workspace_ids = list(
            Workspace.objects.filter(id__in=theirs)
            .annotate(members=Count("memberships"))
            .filter(members=1)
            .values_list("id", flat=True)
        )
        Workspace.objects.filter(id__in=workspace_ids).delete()
        Membership.objects.filter(user_id__in=user_ids).delete()
        _, per_model = User.objects.filter(
            id__in=user_ids, is_active=False, last_login__isnull=True
        ).delete()
    return per_model.get(User._meta.label, 0)
