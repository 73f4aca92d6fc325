"""The first-day checklist on a new workspace's dashboard.

Five steps that make a workspace useful: the business details that go on every paper, a first
client, a first project, the portal link sent to a contact, and a way to be paid (P07, P10,
P13). Each step ticks itself from the data, nothing is stored per step: the whole list is read
in one query (``EXISTS`` per step), and none at all once the owner has put it away. It is shown
until every step is done or the owner hides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import Workspace
from rapport.billing.models import PaymentMethod
from rapport.clients.models import Client
from rapport.core.models import TimelineEvent
from rapport.projects.models import Project

# What the portal-link step looks for: the timeline keeps it even after the link expires.
PORTAL_LINK_SENT = "portal.link_sent"


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    label: str | Promise
    hint: str | Promise
    url: str
    done: bool


@dataclass(frozen=True, slots=True)
class Checklist:
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


def _business_done(workspace: Workspace) -> bool:
    # What an invoice needs at the least: who the seller is and where.
    return bool(workspace.legal_name and workspace.country)


def first_day_checklist(*, workspace: Workspace) -> Checklist | None:
    """The checklist, or None when it is not shown (hidden by the owner, or all done).
    One query while shown, none when hidden."""
    if workspace.checklist_hidden_at is not None:
        return None
    ws = OuterRef("pk")
    found = (
        Workspace.objects.filter(pk=workspace.pk)
        .annotate(
            has_client=Exists(Client.objects.filter(workspace=ws)),
            # The portal link is sent from a client's page: the step leads to the first one.
            first_client=Subquery(
                Client.objects.filter(workspace=ws, archived_at=None)
                .order_by("id")
                .values("pk")[:1]
            ),
            has_project=Exists(Project.objects.filter(workspace=ws)),
            link_sent=Exists(TimelineEvent.objects.filter(workspace=ws, verb=PORTAL_LINK_SENT)),
            can_be_paid=Exists(PaymentMethod.objects.filter(workspace=ws, archived_at=None)),
        )
        .values("has_client", "first_client", "has_project", "link_sent", "can_be_paid")
        .first()
    )
    if found is None:
        return None
    settings_url = reverse("accounts:settings")
    checklist = Checklist(
        steps=[
            Step(
                "business",
                _("Add your business details"),
                _("Legal name, address and tax id, printed on every invoice and quote."),
                f"{settings_url}#biz-h",
                _business_done(workspace),
            ),
            Step(
                "client",
                _("Add your first client"),
                _("With the person you write to, in one form."),
                reverse("clients:create"),
                bool(found["has_client"]),
            ),
            Step(
                "project",
                _("Start a first project"),
                _("Its milestones and dates become promises Rapport keeps track of."),
                reverse("projects:create"),
                bool(found["has_project"]),
            ),
            Step(
                "portal",
                _("Send the portal link"),
                _("From a contact on the client's page: they follow the work without a password."),
                (
                    reverse("clients:detail", args=[found["first_client"]])
                    if found["first_client"]
                    else reverse("clients:list")
                ),
                bool(found["link_sent"]),
            ),
            Step(
                "payment",
                _("Add a payment method"),
                _("Bank transfer, card link or PayPal, shown on every invoice."),
                reverse("billing:payment_methods"),
                bool(found["can_be_paid"]),
            ),
        ]
    )
    return None if checklist.complete else checklist
