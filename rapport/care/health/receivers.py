"""What marks a client's health due for a computation (P37; ADR 0038).

The apps below care know nothing of health: care listens. Each receiver runs inside the
transaction of the change and marks the client due now (one upsert,
``services.health_mark_due``); the tick's scanner computes it. What is listened to:

- every event of a client's timeline (a commitment kept, cancelled or renegotiated, an
  invoice issued or paid, a problem reported or resolved, a request answered…): the services
  of the lower apps record one with each change they make, including the changes they write
  with a conditional UPDATE that sends no ``post_save``;
- the rows the score reads, saved one by one: requests, email replies, invoices, projects,
  problems, pulse answers, messages to a contact, and the client itself (its status);
- ``commitments_broken``: the ledger's scanner breaks many commitments in one UPDATE.

Time alone (silence growing, an invoice falling overdue) is not a change: each computation
stores the next such moment, and the scanner comes back then.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from rapport.billing.models import Invoice
from rapport.care.health.services import health_mark_due
from rapport.care.models import Problem, PulseAnswer
from rapport.clients.models import Client
from rapport.commitments.models import Commitment
from rapport.commitments.signals import commitments_broken
from rapport.conversations.models import InboundEmail, Request
from rapport.core.models import TimelineEvent
from rapport.notifications.models import Notification
from rapport.projects.models import Project


def mark_client_of(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A row with ``workspace_id`` and ``client_id`` was saved: its client is due."""
    if raw:
        return
    if isinstance(instance, Notification) and instance.contact_id is None:
        return  # a message to a member or an address: not a contact with the client
    health_mark_due(clients=[(instance.workspace_id, instance.client_id)])


def mark_reply(sender: type, instance: InboundEmail, raw: bool = False, **kwargs: Any) -> None:
    """An email reply on a request: the request's client wrote."""
    if raw or instance.request_id is None:
        return
    client_id = Request.objects.filter(pk=instance.request_id).values_list("client_id", flat=True)
    health_mark_due(clients=[(instance.workspace_id, pk) for pk in client_id])


def mark_client(sender: type, instance: Client, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        health_mark_due(clients=[(instance.workspace_id, instance.pk)])


def mark_broken(sender: type, commitments: list[Commitment], **kwargs: Any) -> None:
    health_mark_due(clients=[(c.workspace_id, c.client_id) for c in commitments])


WITH_CLIENT = (TimelineEvent, Request, Invoice, Project, Problem, PulseAnswer, Notification)


def connect() -> None:
    """Connect the receivers (``CareConfig.ready``)."""
    for model in WITH_CLIENT:
        post_save.connect(
            mark_client_of, sender=model, dispatch_uid=f"care.health.{model.__name__}"
        )
    post_save.connect(mark_reply, sender=InboundEmail, dispatch_uid="care.health.InboundEmail")
    post_save.connect(mark_client, sender=Client, dispatch_uid="care.health.Client")
    commitments_broken.connect(mark_broken, dispatch_uid="care.health.broken")
