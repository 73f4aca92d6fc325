"""Writes for problems and mistakes (P20, P21, P22).

A problem is told to the client when it is reported: what happened, the cause, the impact on
dates and money, the plan and one or more alternatives with their cost and date, each contact
in their language through the outbox, with a link into the portal. There the client picks an
alternative (it becomes a commitment of kind fix with its due time) or asks to talk (a
request, acknowledged with an ETA like any other). Resolving keeps the fix commitment and
sends a short resolution report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.care.decisions.entries import decision_from_problem
from rapport.care.models import Problem, ProblemAlternative
from rapport.care.patterns.detect import pattern_check
from rapport.care.problems.timing import problem_remind_at
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_keep, commitment_open
from rapport.conversations.models import Request
from rapport.conversations.services import request_receive
from rapport.core.clock import end_of_day
from rapport.core.errors import ApplicationError
from rapport.core.money import parse_amount
from rapport.core.texts import text_ref
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, alerts_resolve_for, notification_queue
from rapport.projects.models import Milestone, Project

TITLE_MAX = 200
TEXT_MAX = 4000
ALTERNATIVE_MAX = 500
ALTERNATIVES_MAX = 5
ALERT_ANSWERED = Alert.Kind.PROBLEM_ANSWERED
# Closed by the client's answer: "answered" and "not answered" alerts both.
ANSWER_CLOSES: list[str] = [Alert.Kind.PROBLEM_ANSWERED, Alert.Kind.PROBLEM_UNANSWERED]


@dataclass(frozen=True, slots=True)
class AlternativeInput:
    """One alternative as typed; ``number`` (1, 2, …) names its form fields in errors
    (``alt1_description``, ``alt1_cost``, ``alt1_due_date``)."""

    number: int
    description: str
    cost: Decimal | str
    due_date: date | None


def _text(value: str, *, field: str, required: bool, limit: int = TEXT_MAX) -> str:
    value = value.strip()
    if required and not value:
        raise ApplicationError(_("This field is required."), field=field)
    if len(value) > limit:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": limit}, field=field
        )
    return value


def _contacts_check(contacts: list[Contact], client_id: int) -> None:
    if not contacts:
        raise ApplicationError(_("Choose at least one contact."), field="contacts")
    if any(c.client_id != client_id or c.archived_at is not None for c in contacts):
        raise ApplicationError(_("Choose contacts of this client."), field="contacts")


def _alternatives_check(
    alternatives: list[AlternativeInput], *, currency: str, today: date
) -> list[tuple[str, Decimal, date]]:
    rows: list[tuple[str, Decimal, date]] = []
    for alt in alternatives:
        prefix = f"alt{alt.number}"
        description = _text(
            alt.description, field=f"{prefix}_description", required=True, limit=ALTERNATIVE_MAX
        )
        cost = parse_amount(alt.cost, field=f"{prefix}_cost", currency=currency)
        if alt.due_date is None:
            raise ApplicationError(
                _("Give the date this would be done by."), field=f"{prefix}_due_date"
            )
        if alt.due_date < today:
            raise ApplicationError(_("This date has passed."), field=f"{prefix}_due_date")
        rows.append((description, cost, alt.due_date))
    if not rows:
        raise ApplicationError(
            _("Offer the client at least one alternative."), field="alt1_description"
        )
    if len(rows) > ALTERNATIVES_MAX:
        raise ApplicationError(
            _("Offer at most %(count)s alternatives.") % {"count": ALTERNATIVES_MAX},
            field="alt1_description",
        )
    return rows


def problem_portal_url(problem: Problem, contact: Contact, actor: User | None) -> str:
    """A fresh magic link for ``contact`` that lands on the problem in the portal."""
    _link, token = portal_link_create(contact=contact, actor=actor)
    return problem_portal_url_for(problem, token)


def problem_portal_url_for(problem: Problem, token: str) -> str:
    """The address of the magic link ``token`` that lands on the problem in the portal."""
    return f"{portal_link_url(token)}?next={reverse('portal:problem', args=[problem.pk])}"


@transaction.atomic
def problem_report(
    *,
    project: Project,
    actor: User | None,
    title: str,
    what_happened: str,
    cause: str,
    plan: str,
    alternatives: list[AlternativeInput],
    contacts: list[Contact],
    milestone: Milestone | None = None,
    impact_days: int = 0,
    impact_amount: Decimal | str = "0",
    apology: str = "",
    prevention: str = "",
) -> Problem:
    """Record a problem on ``project`` (optionally one of its milestones) and tell
    ``contacts`` (at least one, of this client) in their language, with a portal link where
    they pick an alternative or ask to talk.

    ``cause`` is one of ``Problem.Cause``; our own mistake (P21) needs an ``apology`` and
    ``prevention`` (what changes so it does not happen again). Every alternative needs a
    description, a cost (zero allowed) and a date not in the past. Each refusal names its
    field; nothing is written when one is refused.

    Unanswered, the report is reminded once three working days on (``reminders``). A
    client-caused problem may complete a pattern (P25): the check runs here, at the event.
    """
    client = project.client
    if project.archived_at is not None:
        raise ApplicationError(_("This project is archived."), field="project")
    if milestone is not None and milestone.project_id != project.pk:
        raise ApplicationError(_("Choose a milestone of this project."), field="milestone")
    title = _text(title, field="title", required=True, limit=TITLE_MAX)
    what_happened = _text(what_happened, field="what_happened", required=True)
    if cause not in Problem.Cause.values:
        raise ApplicationError(_("Choose the cause."), field="cause")
    if impact_days < 0:
        raise ApplicationError(_("The delay cannot be negative."), field="impact_days")
    amount = parse_amount(impact_amount, field="impact_amount", currency=project.currency)
    plan = _text(plan, field="plan", required=True)
    ours = cause == Problem.Cause.OURS
    apology = _text(apology, field="apology", required=ours)
    prevention = _text(prevention, field="prevention", required=ours)
    rows = _alternatives_check(alternatives, currency=project.currency, today=timezone.localdate())
    _contacts_check(contacts, client.pk)
    if cause == Problem.Cause.CLIENT:
        # Two client-caused reports at once wait for each other here, so a pattern's check
        # sees both and raises its alert once.
        client = Client.objects.select_for_update().select_related("workspace").get(pk=client.pk)
    now = timezone.now()
    problem = Problem.objects.create(
        workspace_id=project.workspace_id,
        client=client,
        project=project,
        milestone=milestone,
        reported_by=actor,
        title=title,
        what_happened=what_happened,
        cause=cause,
        impact_days=impact_days,
        impact_amount=amount,
        currency=project.currency,
        plan=plan,
        # Only our own mistakes carry an apology (P21); a typed one on another cause is kept
        # out of the client's message rather than sent by accident.
        apology=apology if ours else "",
        prevention=prevention if ours else "",
        created_at=now,
        remind_at=problem_remind_at(client.workspace, now),
    )
    problem.recipients.set(contacts)
    ProblemAlternative.objects.bulk_create(
        ProblemAlternative(
            problem=problem, position=i, description=description, cost=cost, due_date=due
        )
        for i, (description, cost, due) in enumerate(rows)
    )
    timeline_record(
        client=client,
        verb="problem.reported",
        actor=actor,
        subject=problem,
        data={"title": title, "project": project.title},
    )
    choices = list(problem.alternatives.all())
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="problem_report",
            context={
                "problem": problem,
                "project": project,
                "alternatives": choices,
                "portal_url": problem_portal_url(problem, contact, actor),
            },
            subject=problem,
            dedupe_key=f"problem_report:{problem.pk}:{contact.pk}",
        )
    if cause == Problem.Cause.CLIENT:
        pattern_check(client=client, problem=problem, now=now)
    return problem


def _locked(problem: Problem) -> Problem:
    return (
        Problem.objects.select_for_update(of=("self",))
        .select_related("project", "client__workspace")
        .get(pk=problem.pk)
    )


@transaction.atomic
def problem_choose(
    *,
    problem: Problem,
    alternative_id: int,
    contact: Contact | None = None,
    actor: User | None = None,
) -> Commitment:
    """The client's choice of an alternative: by ``contact`` in the portal, or recorded by
    ``actor`` after a call. The alternative becomes an open commitment of kind fix, due at
    the end of its date in the workspace's time zone; the first choice stands. A contact's
    choice alerts the account owner."""
    problem = _locked(problem)
    if contact is not None and (
        contact.client_id != problem.client_id or contact.workspace_id != problem.workspace_id
    ):
        raise ApplicationError(_("No such problem."), code="not_found")
    if not problem.can_choose:
        raise ApplicationError(_("An alternative has already been chosen."), field="alternative")
    alternative = ProblemAlternative.objects.filter(problem=problem, pk=alternative_id).first()
    if alternative is None:
        raise ApplicationError(_("Choose one of the alternatives offered."), field="alternative")
    client = problem.client
    fix, _created = commitment_open(
        client=client,
        kind=Commitment.Kind.FIX,
        wording=text_ref("commitment.fix", title=problem.title),
        due_at=end_of_day(alternative.due_date, client.workspace.timezone),
        owner=problem.reported_by_id or client.account_owner_id,
        project=problem.project,
        milestone=problem.milestone,
        dedupe_key=f"problem_fix:{problem.pk}",
        actor=actor,
        key_is_new=True,
    )
    problem.state = Problem.State.CHOSEN
    problem.chosen = alternative
    problem.chosen_at = timezone.now()
    problem.chosen_by = contact
    problem.fix = fix
    problem.remind_at = None  # answered: no reminder
    problem.save(
        update_fields=[
            "state",
            "chosen",
            "chosen_at",
            "chosen_by",
            "fix",
            "remind_at",
            "updated_at",
        ]
    )
    # The decisions log gets its entry in the same transaction (P36, ADR 0029).
    decision_from_problem(problem=problem, contact=contact, actor=actor)
    name = contact.name if contact is not None else (actor.get_full_name() if actor else "")
    data = {"title": problem.title, "name": name, "choice": alternative.description}
    timeline_record(
        client=client,
        verb="problem.chosen",
        actor=actor,
        actor_contact=contact,
        subject=problem,
        data=data,
    )
    if contact is None:
        # Recorded by the provider (after the call the client asked for): answered.
        alerts_resolve_for(subject=problem, kinds=ANSWER_CLOSES)
    else:
        alerts_resolve_for(subject=problem, kinds=[Alert.Kind.PROBLEM_UNANSWERED])
        alert_raise(
            workspace=problem.workspace_id,
            kind=ALERT_ANSWERED,
            dedupe_key=f"problem_answered:{problem.pk}",
            client=client,
            assignee=client.account_owner_id,
            subject=problem,
            data=data,
        )
    return fix


@transaction.atomic
def problem_talk(*, problem: Problem, contact: Contact, message: str = "") -> Request:
    """The client would rather talk than choose: a request about the problem (acknowledged
    at once with an ETA, like any request: P14) and an alert naming the problem. The
    alternatives stay open to choose from after the talk."""
    problem = _locked(problem)
    if contact.client_id != problem.client_id or contact.workspace_id != problem.workspace_id:
        raise ApplicationError(_("No such problem."), code="not_found")
    if problem.state != Problem.State.SENT:
        raise ApplicationError(_("You have already answered this problem report."), field="message")
    message = _text(message, field="message", required=False)
    request = request_receive(
        client=problem.client,
        contact=contact,
        source=Request.Source.PORTAL,
        subject=text_ref("request.problem_talk", title=problem.title),
        body=message or problem.title,
        project=problem.project,
        # Without a message the body is our own title: only the client's words are read.
        tone_text=message,
    )
    problem.state = Problem.State.TALK
    problem.talk_request = request
    problem.remind_at = None  # answered: no reminder
    problem.save(update_fields=["state", "talk_request", "remind_at", "updated_at"])
    alerts_resolve_for(subject=problem, kinds=[Alert.Kind.PROBLEM_UNANSWERED])
    data = {"title": problem.title, "name": contact.name, "talk": True}
    timeline_record(
        client=problem.client,
        verb="problem.talk",
        actor_contact=contact,
        subject=problem,
        data={"title": problem.title, "name": contact.name},
    )
    alert_raise(
        workspace=problem.workspace_id,
        kind=ALERT_ANSWERED,
        dedupe_key=f"problem_talk:{problem.pk}",
        client=problem.client,
        assignee=problem.client.account_owner_id,
        subject=problem,
        data=data,
    )
    return request


@transaction.atomic
def problem_resolve(
    *, problem: Problem, actor: User | None, resolution: str, contacts: list[Contact]
) -> Problem:
    """The chosen fix is done: its commitment is kept (P15, P20), the problem resolved, and a
    short resolution report goes to ``contacts`` in their language. Needs a chosen
    alternative; resolving twice is refused."""
    problem = _locked(problem)
    if problem.state == Problem.State.RESOLVED:
        raise ApplicationError(_("This problem is already resolved."), field="resolution")
    if problem.state != Problem.State.CHOSEN or problem.fix_id is None:
        raise ApplicationError(
            _("Record the alternative the client chose first."), field="resolution"
        )
    resolution = _text(resolution, field="resolution", required=True)
    _contacts_check(contacts, problem.client_id)
    fix = Commitment.objects.select_related("client").get(pk=problem.fix_id)
    if fix.state == Commitment.State.OPEN:
        commitment_keep(commitment=fix, actor=actor)
    alerts_resolve_for(subject=problem, kinds=ANSWER_CLOSES)
    problem.state = Problem.State.RESOLVED
    problem.resolution = resolution
    problem.resolved_at = timezone.now()
    problem.save(update_fields=["state", "resolution", "resolved_at", "updated_at"])
    timeline_record(
        client=problem.client,
        verb="problem.resolved",
        actor=actor,
        subject=problem,
        data={"title": problem.title},
    )
    chosen = ProblemAlternative.objects.get(pk=problem.chosen_id or 0)
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="problem_resolved",
            context={"problem": problem, "project": problem.project, "chosen": chosen},
            subject=problem,
            dedupe_key=f"problem_resolved:{problem.pk}:{contact.pk}",
        )
    return problem
