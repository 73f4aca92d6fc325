"""Requests close to their response target (P14): alert before the target is missed."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from rapport.conversations.models import Request
from rapport.core.periodic import register_job
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise

BATCH = 1000


@register_job
def scan_requests_near_target(now: datetime) -> int:
    due = list(
        Request.objects.filter(
            state=Request.State.OPEN, alert_raised_at__isnull=True, alert_at__lte=now
        )
        .select_related("client", "contact")
        .order_by("alert_at", "id")[:BATCH]
    )
    for request in due:
        with transaction.atomic():
            if not Request.objects.filter(pk=request.pk, alert_raised_at__isnull=True).update(
                alert_raised_at=now
            ):
                continue
            alert_raise(
                workspace=request.workspace_id,
                kind=Alert.Kind.REQUEST_NEAR_TARGET,
                dedupe_key=f"request_near:{request.pk}",
                client=request.client,
                assignee=request.client.account_owner_id,
                subject=request,
                data={
                    "subject": request.subject_data,
                    "name": request.contact.name if request.contact else "",
                },
                severity=Alert.Severity.URGENT,
                due_at=request.eta,
            )
    return len(due)
