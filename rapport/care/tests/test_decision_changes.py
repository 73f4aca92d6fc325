"""A change request the client decides (P19) records its entry in the decisions log (P36):
approved by signing its amendment, or rejected with a reason; both pages link to it."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from rapport.agreements.changes.services import (
    change_request_create,
    change_request_reject,
    change_request_send,
    change_request_withdraw,
)
from rapport.agreements.models import Document
from rapport.agreements.tests.test_changes import (  # noqa: F401 (fixtures)
    _sign,
    clock,
    milestones,
    shop,
    signed,
)
from rapport.care.model_decisions import Decision
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.projects.models import Milestone, Project


def test_approval_by_signature_is_on_record_and_linked_both_ways(
    alice: Persona,
    alice_http: HttpClient,
    carol: Contact,
    shop: Project,  # noqa: F811
    milestones: list[Milestone],  # noqa: F811
    signed: Document,  # noqa: F811
) -> None:
    change = change_request_create(
        project=shop,
        actor=alice.user,
        title="Blog section",
        description="A blog with categories.",
        price_impact="600",
        days_impact="3",
        milestone=milestones[1],
    )
    amendment = change_request_send(change_request=change, actor=alice.user)
    _sign(amendment, carol)
    decision = Decision.objects.get(change_request=change)
    assert decision.kind == Decision.Kind.CHANGE and decision.state == Decision.State.DECIDED
    assert decision.project == shop and decision.milestone == milestones[1]
    assert decision.recommendation == "A blog with categories."
    assert decision.decided_by == carol and decision.decided_via == Decision.Via.SIGNATURE
    make, keep = decision.options.all()
    assert decision.chosen == make and make.cost == 600 and keep.cost is None
    # The options are system texts: each reader sees them in their own language.
    assert make.shown_label == "Make the change"
    with translation.override("el"):
        assert make.shown_label != "Make the change"
    detail = alice_http.get(reverse("agreements:change_detail", args=[change.pk])).content
    assert reverse("care:decision_detail", args=[decision.pk]).encode() in detail
    page = alice_http.get(reverse("care:decision_detail", args=[decision.pk])).content
    assert reverse("agreements:change_detail", args=[change.pk]).encode() in page


def test_a_rejection_is_on_record_with_its_reason_and_a_withdrawal_is_not(
    alice: Persona,
    carol: Contact,
    shop: Project,  # noqa: F811
    milestones: list[Milestone],  # noqa: F811
    signed: Document,  # noqa: F811
) -> None:
    change = change_request_create(
        project=shop, actor=alice.user, title="Dark mode", description="Y"
    )
    change_request_send(change_request=change, actor=alice.user)
    change_request_reject(change_request=change, contact=carol, reason="Too expensive")
    decision = Decision.objects.get(change_request=change)
    assert decision.reason == "Too expensive" and decision.decided_via == Decision.Via.PORTAL
    assert decision.chosen is not None and decision.chosen.position == 1
    withdrawn = change_request_create(
        project=shop, actor=alice.user, title="Later", description="Z"
    )
    change_request_withdraw(change_request=withdrawn, actor=alice.user)
    assert not Decision.objects.filter(change_request=withdrawn).exists()
