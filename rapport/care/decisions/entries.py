"""The entries the decisions log gets without typing (P36, ADR 0029): a problem whose
alternative the client chose, and a change request the client approved or rejected. Each is
written inside the transaction of the choice, so the log cannot miss or contradict it."""

from __future__ import annotations

from django.utils import timezone

from rapport.accounts.models import User
from rapport.care.decisions.services import LABEL_MAX
from rapport.care.model_decisions import Decision, DecisionOption
from rapport.care.models import Problem
from rapport.clients.models import Contact
from rapport.core.texts import text_ref
from rapport.projects.models import ChangeRequest


def decision_from_problem(
    *, problem: Problem, contact: Contact | None, actor: User | None
) -> Decision:
    """The log's entry for a problem whose alternative was just chosen (called inside
    ``problem_choose``'s transaction): the plan is the recommendation, the alternatives are
    copied as the options (ADR 0029) and the chosen one is marked."""
    chosen_id = problem.chosen_id
    decision = Decision.objects.create(
        workspace_id=problem.workspace_id,
        client_id=problem.client_id,
        project_id=problem.project_id,
        milestone_id=problem.milestone_id,
        kind=Decision.Kind.PROBLEM,
        state=Decision.State.DECIDED,
        title=problem.title,
        recommendation=problem.plan,
        currency=problem.currency,
        decided_by=contact,
        decided_via=Decision.Via.PORTAL if contact is not None else "",
        decided_at=problem.chosen_at or timezone.now(),
        recorded_by=actor,
        problem=problem,
    )
    options = DecisionOption.objects.bulk_create(
        DecisionOption(
            decision=decision,
            position=alt.position,
            label=alt.description[:LABEL_MAX],
            cost=alt.cost,
            due_date=alt.due_date,
        )
        for alt in problem.alternatives.all()
    )
    ids = [alt.pk for alt in problem.alternatives.all()]
    decision.chosen = options[ids.index(chosen_id)] if chosen_id in ids else None
    decision.save(update_fields=["chosen"])
    return decision


def decision_from_change(
    *, change: ChangeRequest, contact: Contact, approved: bool, reason: str = ""
) -> Decision:
    """The log's entry for a change request the client approved (by signing its amendment)
    or rejected (with a reason), called inside that transaction through
    ``agreements.signals.change_request_decided``. The two options are system texts, read in
    each reader's language; the change's price impact is the first option's cost."""
    decision = Decision.objects.create(
        workspace_id=change.workspace_id,
        client_id=change.client_id,
        project_id=change.project_id,
        milestone_id=change.milestone_id,
        kind=Decision.Kind.CHANGE,
        state=Decision.State.DECIDED,
        title=change.title,
        recommendation=change.description,
        currency=change.project.currency,
        reason=reason,
        decided_by=contact,
        decided_via=Decision.Via.SIGNATURE if approved else Decision.Via.PORTAL,
        decided_at=change.decided_at or timezone.now(),
        change_request=change,
    )
    make, keep = DecisionOption.objects.bulk_create(
        [
            DecisionOption(
                decision=decision,
                position=0,
                label="Make the change",
                label_ref=text_ref("decision.change_approve"),
                cost=change.price_impact,
            ),
            DecisionOption(
                decision=decision,
                position=1,
                label="Keep the agreement as it is",
                label_ref=text_ref("decision.change_keep"),
            ),
        ]
    )
    decision.chosen = make if approved else keep
    decision.save(update_fields=["chosen"])
    return decision
