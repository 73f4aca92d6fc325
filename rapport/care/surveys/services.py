"""Writes of the close of a project (P30, P34): the thank-you and the survey at delivery, the
survey sent by hand, and a contact's answer with its alert (ADR 0034).

Who is asked: every active contact of the client (a studio client's designer and its owner
may see the work differently); each gets their own link, and answers once (answering again
changes the answer). Thank-you and survey are two messages: the thanks go at delivery, the
survey ``SURVEY_DELAY_DAYS`` later, when the client has used the work a little.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.care.model_surveys import (
    CSAT_MAX,
    CSAT_MIN,
    NPS_MAX,
    NPS_MIN,
    PROMOTER_FROM,
    Survey,
    SurveyAnswer,
)
from rapport.care.surveys.links import SURVEY_OPEN_DAYS, survey_url
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, contact_channel, notification_queue
from rapport.projects.models import Project

SURVEY_DELAY_DAYS = 3
COMMENT_MAX = 2000
# A low satisfaction: the alert is a warning and says the client may be upset.
CSAT_LOW = 2


def survey_recipients(project: Project) -> list[Contact]:
    """The contacts a project's thank-you and survey go to: the client's active ones that we
    can write to (a contact with no address is left out, so a delivery never fails for it)."""
    contacts = (
        Contact.objects.filter(client_id=project.client_id, archived_at__isnull=True)
        .select_related("client__workspace")
        .order_by("pk")
    )
    reachable = []
    for contact in contacts:
        try:
            contact_channel(contact)
        except ApplicationError:
            continue
        reachable.append(contact)
    return reachable


def project_thank(*, project: Project, now: dt.datetime | None = None) -> int:
    """Queue the thank-you for a delivered project to each active contact (P30); returns how
    many. Keyed by project and contact: a project delivered twice thanks once."""
    now = now or timezone.now()
    contacts = survey_recipients(project)
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="project_thanks",
            context={"project": project, "survey_days": SURVEY_DELAY_DAYS},
            subject=project,
            dedupe_key=f"project_thanks:{project.pk}:{contact.pk}",
            now=now,
        )
    return len(contacts)


@transaction.atomic
def survey_schedule(*, project: Project, now: dt.datetime | None = None) -> Survey:
    """The project's survey, due ``SURVEY_DELAY_DAYS`` from ``now`` (the tick sends it). A
    project that already has one keeps it as it is."""
    now = now or timezone.now()
    survey, _created = Survey.objects.get_or_create(
        project=project,
        defaults={
            "workspace_id": project.workspace_id,
            "client_id": project.client_id,
            "send_at": now + timedelta(days=SURVEY_DELAY_DAYS),
        },
    )
    return survey


def survey_deliver(survey: Survey, now: dt.datetime) -> int:
    """Queue the survey to each active contact of its client, mark it sent and clear its
    moment; returns how many it went to. Call inside a transaction."""
    contacts = survey_recipients(survey.project)
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="survey_request",
            context={
                "project": survey.project,
                "survey_url": survey_url(contact_id=contact.pk, survey_id=survey.pk),
                "csat_links": [
                    (score, survey_url(contact_id=contact.pk, survey_id=survey.pk, csat=score))
                    for score in range(CSAT_MIN, CSAT_MAX + 1)
                ],
            },
            subject=survey,
            dedupe_key=f"survey_request:{survey.pk}:{contact.pk}",
            now=now,
        )
    Survey.objects.filter(pk=survey.pk).update(send_at=None, sent_at=now, updated_at=now)
    survey.send_at, survey.sent_at = None, now
    timeline_record(
        client=survey.project.client,
        verb="survey.sent",
        actor=survey.requested_by,
        subject=survey,
        data={"project": survey.project.title, "count": len(contacts)},
    )
    return len(contacts)


@transaction.atomic
def survey_send(*, project: Project, actor: User, now: dt.datetime | None = None) -> Survey:
    """Send the project's survey now, by hand (for a project delivered before surveys existed,
    or sooner than the schedule). Refused, naming ``project``, when the project is not
    delivered yet, when the survey was already sent, or when the client has no active contact.
    """
    now = now or timezone.now()
    if project.delivered_at is None:
        raise ApplicationError(
            _("The survey is sent once the project is delivered."), field="project"
        )
    if not survey_recipients(project):
        raise ApplicationError(_("The client has no active contact to ask."), field="project")
    survey, _created = Survey.objects.select_for_update().get_or_create(
        project=project,
        defaults={"workspace_id": project.workspace_id, "client_id": project.client_id},
    )
    if survey.sent_at is not None:
        raise ApplicationError(_("The survey was already sent."), field="project")
    survey.requested_by = actor
    survey.save(update_fields=["requested_by", "updated_at"])
    survey.project = project
    survey_deliver(survey, now)
    return survey


def survey_is_open(survey: Survey, now: dt.datetime) -> bool:
    """A sent survey can be answered for ``SURVEY_OPEN_DAYS``."""
    return survey.sent_at is not None and now - survey.sent_at <= timedelta(days=SURVEY_OPEN_DAYS)


def _number(value: object, low: int, high: int, field: str, message: str) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise ApplicationError(message, field=field)
    return number


@transaction.atomic
def survey_answer(
    *,
    survey: Survey,
    contact: Contact,
    csat: int | str | None,
    nps: int | str | None,
    comment: str = "",
    source: str,
    now: dt.datetime | None = None,
) -> SurveyAnswer:
    """Record ``contact``'s answer to ``survey``: ``csat`` 1-5 (satisfaction with the project),
    ``nps`` 0-10 (how likely they are to recommend us), an optional open ``comment``.

    One answer per contact and survey: answering again changes it. Refused naming the field:
    ``csat`` or ``nps`` out of range, ``comment`` over 2000 characters; a survey of another
    client, not sent or closed is refused as not found. Raises ``survey_answered`` for the
    client's account owner, a warning when the answer is a detractor's (``nps`` 0-6) or the
    satisfaction is low (1-2); an answer given again unchanged raises nothing new.
    """
    now = now or timezone.now()
    if survey.client_id != contact.client_id or not survey_is_open(survey, now):
        raise ApplicationError(_("No such survey."), code="not_found")
    csat = _number(csat, CSAT_MIN, CSAT_MAX, "csat", _("Choose a number from 1 to 5."))
    nps = _number(nps, NPS_MIN, NPS_MAX, "nps", _("Choose a number from 0 to 10."))
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": COMMENT_MAX}, field="comment"
        )
    if source not in SurveyAnswer.Source.values:
        raise ApplicationError(_("Unknown source."), field="source")
    rows = SurveyAnswer.objects.select_for_update().filter(survey=survey, contact=contact)
    answer = rows.first()
    if answer is None:
        try:
            with transaction.atomic():
                answer = SurveyAnswer.objects.create(
                    workspace_id=survey.workspace_id,
                    survey=survey,
                    client_id=survey.client_id,
                    project_id=survey.project_id,
                    contact=contact,
                    csat=csat,
                    nps=nps,
                    comment=comment,
                    source=source,
                    answered_at=now,
                )
        except IntegrityError:
            # Two sends at once: the other one wrote the row first; this one edits it.
            answer = rows.get()
    answer.csat, answer.nps, answer.comment = csat, nps, comment
    answer.source, answer.answered_at = source, now
    answer.save()
    _answered(answer, survey, contact)
    return answer


def _answered(answer: SurveyAnswer, survey: Survey, contact: Contact) -> None:
    """The timeline and the alert of an answer; keyed by its values, so the same answer
    sent twice raises one alert and a changed one a new alert."""
    project = survey.project
    upset = answer.nps < 7 or answer.csat <= CSAT_LOW
    key = f"survey_answered:{answer.pk}:{answer.csat}:{answer.nps}"
    if Alert.objects.filter(dedupe_key=key).exists():
        return
    data = {"name": contact.name, "project": project.title, "csat": answer.csat, "nps": answer.nps}
    timeline_record(
        client=contact.client,
        verb="survey.answered",
        actor_contact=contact,
        subject=answer,
        data=data,
    )
    alert_raise(
        workspace=survey.workspace_id,
        kind=Alert.Kind.SURVEY_ANSWERED,
        dedupe_key=key,
        client=contact.client,
        assignee=contact.client.account_owner_id,
        subject=survey,
        data={
            **data,
            "project_id": project.pk,
            "comment": answer.comment,
            "band": answer.band,
            "promoter": answer.nps >= PROMOTER_FROM,
            "upset": upset,
        },
        severity=Alert.Severity.WARNING if upset else Alert.Severity.INFO,
    )
