"""Writes of the decisions log (P36, P19).

A recommendation is recorded with its options (one may be marked as what we recommend) and
either left open, told to the chosen contacts with a portal link where they decide, or
recorded as already decided (who, how, when and why). Problems and change requests record
their entry themselves when the client decides them (:mod:`.entries`), in the same
transaction as the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.care.model_decisions import Decision, DecisionOption
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.core.errors import ApplicationError
from rapport.core.money import parse_amount
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue
from rapport.projects.models import Milestone, Project

TITLE_MAX = 200
TEXT_MAX = 4000
LABEL_MAX = 300
OPTIONS_MIN = 2
OPTIONS_MAX = 5
# How a decision reached us when the provider records it (the portal and a signature are
# recorded by Rapport itself).
RECORDED_VIA = (
    Decision.Via.CALL,
    Decision.Via.MEETING,
    Decision.Via.EMAIL,
    Decision.Via.MESSAGE,
)


@dataclass(frozen=True, slots=True)
class OptionInput:
    """One option as typed; ``number`` (1, 2, …) names its form fields in errors
    (``opt1_label``, ``opt1_cost``, ``opt1_due_date``)."""

    number: int
    label: str
    notes: str = ""
    cost: Decimal | str | None = None
    due_date: date | None = None


def _text(value: str, *, field: str, required: bool, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(_("This field is required."), field=field)
    if len(value) > limit:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": limit}, field=field
        )
    return value


def _options_check(
    options: list[OptionInput], *, currency: str
) -> list[tuple[int, str, str, Decimal | None, date | None]]:
    rows = []
    for option in options:
        prefix = f"opt{option.number}"
        label = _text(option.label, field=f"{prefix}_label", required=True, limit=LABEL_MAX)
        notes = _text(option.notes, field=f"{prefix}_notes", required=False)
        cost = None
        if option.cost not in (None, ""):
            cost = parse_amount(option.cost, field=f"{prefix}_cost", currency=currency)
        rows.append((option.number, label, notes, cost, option.due_date))
    if len(rows) < OPTIONS_MIN:
        field = f"opt{len(rows) + 1}_label"
        raise ApplicationError(_("Give the client at least two options."), field=field)
    if len(rows) > OPTIONS_MAX:
        raise ApplicationError(
            _("Offer at most %(count)s options.") % {"count": OPTIONS_MAX}, field="opt1_label"
        )
    return rows


def _contact_check(contact: Contact | None, client_id: int, *, field: str) -> Contact:
    if contact is None:
        raise ApplicationError(_("Choose who decided."), field=field)
    if contact.client_id != client_id or contact.archived_at is not None:
        raise ApplicationError(_("Choose a contact of this client."), field=field)
    return contact


def _decided_check(
    *, contact: Contact | None, client_id: int, via: str, decided_at: datetime | None
) -> tuple[Contact, datetime]:
    """Who, how and when of a decision the provider records (taken on a call, …)."""
    contact = _contact_check(contact, client_id, field="decided_by")
    if via not in RECORDED_VIA:
        raise ApplicationError(_("Say how the client told you."), field="decided_via")
    now = timezone.now()
    if decided_at is None:
        decided_at = now
    if decided_at > now:
        raise ApplicationError(_("A decision cannot be taken in the future."), field="decided_at")
    return contact, decided_at


def decision_portal_url(decision: Decision, contact: Contact, actor: User | None) -> str:
    """A fresh magic link for ``contact`` that lands on the decision in the portal."""
    _link, token = portal_link_create(contact=contact, actor=actor)
    return f"{portal_link_url(token)}?next={reverse('portal:decision', args=[decision.pk])}"


def _decided_event(decision: Decision, *, contact: Contact | None, actor: User | None) -> None:
    option = decision.chosen
    name = contact.name if contact is not None else (actor.get_full_name() if actor else "")
    timeline_record(
        client=decision.client,
        verb="decision.decided",
        actor=actor,
        actor_contact=contact,
        subject=decision,
        data={
            "title": decision.title,
            "name": name,
            "choice": option.label_ref or option.label if option else "",
        },
    )


@transaction.atomic
def decision_record(
    *,
    project: Project,
    actor: User | None,
    title: str,
    recommendation: str,
    options: list[OptionInput],
    recommended: int | None = None,
    milestone: Milestone | None = None,
    chosen: int | None = None,
    decided_by: Contact | None = None,
    decided_via: str = "",
    decided_at: datetime | None = None,
    reason: str = "",
    contacts: list[Contact] | None = None,
) -> Decision:
    """Record a recommendation on ``project``: its ``title``, what we recommend and why, and
    two to five ``options`` (``recommended`` and ``chosen`` are option numbers).

    Without ``chosen`` it is open: each of ``contacts`` (of this client, may be none) gets it
    in their language with a portal link where they decide. With ``chosen`` it was decided
    outside Rapport: ``decided_by`` (a contact of this client), ``decided_via`` (a call, a
    meeting, an email or a message), ``decided_at`` (not in the future; now by default) and
    the client's ``reason`` are required, and nobody is messaged. Each refusal names its
    field; nothing is written when one is refused.
    """
    if project.archived_at is not None:
        raise ApplicationError(_("This project is archived."), field="project")
    if milestone is not None and milestone.project_id != project.pk:
        raise ApplicationError(_("Choose a milestone of this project."), field="milestone")
    client = project.client
    title = _text(title, field="title", required=True, limit=TITLE_MAX)
    recommendation = _text(recommendation, field="recommendation", required=True)
    rows = _options_check(options, currency=project.currency)
    numbers = [number for number, *_rest in rows]
    if recommended is not None and recommended not in numbers:
        raise ApplicationError(_("Choose one of the options above."), field="recommended")
    contacts = contacts or []
    if chosen is not None:
        if chosen not in numbers:
            raise ApplicationError(_("Choose one of the options above."), field="chosen")
        decided_by, decided_at = _decided_check(
            contact=decided_by, client_id=client.pk, via=decided_via, decided_at=decided_at
        )
        reason = _text(reason, field="reason", required=True)
        contacts = []
    for contact in contacts:
        _contact_check(contact, client.pk, field="contacts")
    decision = Decision.objects.create(
        workspace_id=project.workspace_id,
        client=client,
        project=project,
        milestone=milestone,
        kind=Decision.Kind.RECOMMENDATION,
        state=Decision.State.OPEN if chosen is None else Decision.State.DECIDED,
        title=title,
        recommendation=recommendation,
        currency=project.currency,
        recorded_by=actor,
    )
    created = DecisionOption.objects.bulk_create(
        DecisionOption(
            decision=decision,
            position=i,
            label=label,
            notes=notes,
            cost=cost,
            due_date=due,
            recommended=number == recommended,
        )
        for i, (number, label, notes, cost, due) in enumerate(rows)
    )
    timeline_record(
        client=client,
        verb="decision.recorded",
        actor=actor,
        subject=decision,
        data={"title": title, "project": project.title},
    )
    if chosen is not None:
        decision.chosen = created[numbers.index(chosen)]
        decision.decided_by = decided_by
        decision.decided_via = decided_via
        decision.decided_at = decided_at
        decision.reason = reason
        decision.save(update_fields=["chosen", "decided_by", "decided_via", "decided_at", "reason"])
        _decided_event(decision, contact=decided_by, actor=actor)
        return decision
    shown = list(decision.options.all())
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="decision_open",
            context={
                "decision": decision,
                "project": project,
                "options": shown,
                "portal_url": decision_portal_url(decision, contact, actor),
            },
            subject=decision,
            dedupe_key=f"decision_open:{decision.pk}:{contact.pk}",
        )
    return decision


def _locked(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("client", "project")
        .get(pk=decision.pk)
    )


@transaction.atomic
def decision_decide(
    *,
    decision: Decision,
    option_id: int,
    contact: Contact | None,
    reason: str = "",
    actor: User | None = None,
    via: str = Decision.Via.PORTAL,
    decided_at: datetime | None = None,
) -> Decision:
    """The client decides an open recommendation: ``contact`` in the portal (``actor`` None;
    the reason is optional, and the account owner is alerted), or ``actor`` records what
    ``contact`` decided on a call or in a meeting (``via``, ``decided_at``; the reason is
    required). The first decision stands; an option of another decision is refused."""
    decision = _locked(decision)
    # In the portal the contact must be this client's (the portal's lookup already is).
    foreign = contact is None or (
        contact.client_id != decision.client_id or contact.workspace_id != decision.workspace_id
    )
    if actor is None and foreign:
        raise ApplicationError(_("No such decision."), code="not_found")
    if decision.state != Decision.State.OPEN:
        raise ApplicationError(_("This has already been decided."), field="option")
    option = DecisionOption.objects.filter(decision=decision, pk=option_id).first()
    if option is None:
        raise ApplicationError(_("Choose one of the options."), field="option")
    if actor is None:
        assert contact is not None
        reason = _text(reason, field="reason", required=False)
        via, decided_at = Decision.Via.PORTAL, timezone.now()
    else:
        contact, decided_at = _decided_check(
            contact=contact, client_id=decision.client_id, via=via, decided_at=decided_at
        )
        reason = _text(reason, field="reason", required=True)
    decision.state = Decision.State.DECIDED
    decision.chosen = option
    decision.reason = reason
    decision.decided_by = contact
    decision.decided_via = via
    decision.decided_at = decided_at
    decision.save(
        update_fields=[
            "state",
            "chosen",
            "reason",
            "decided_by",
            "decided_via",
            "decided_at",
            "updated_at",
        ]
    )
    _decided_event(decision, contact=contact, actor=actor)
    if actor is None:
        client = decision.client
        alert_raise(
            workspace=decision.workspace_id,
            kind=Alert.Kind.DECISION_MADE,
            dedupe_key=f"decision_made:{decision.pk}",
            client=client,
            assignee=client.account_owner_id,
            subject=decision,
            data={"name": contact.name, "title": decision.title, "choice": option.label},
            severity=Alert.Severity.INFO,
        )
    return decision
