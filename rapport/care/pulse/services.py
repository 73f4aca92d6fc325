"""Writes of the pulse (P23, P24): a contact's answer, and the alert when it drops.

The alert is decided when the answer is written (ADR 0033): the answer is the only event that
changes a client's pulse, so the periodic tick has nothing to scan for it and costs nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.care.models import PulseAnswer
from rapport.care.pulse.rules import WINDOW, DropReason, pulse_drop, pulse_trend
from rapport.care.upset.services import UpsetSource, client_upset_raise
from rapport.clients.models import Contact
from rapport.core.clock import zone_or_utc
from rapport.core.errors import ApplicationError
from rapport.core.texts import text_ref
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.projects.models import Project, ProjectUpdate
from rapport.projects.pulse_links import FACES

COMMENT_MAX = 2000


def _score(value: object) -> int:
    try:
        score = int(str(value))
    except (TypeError, ValueError):
        score = 0
    if score not in FACES:
        raise ApplicationError(_("Choose one of the five faces."), field="score")
    return score


def _day_start(now: dt.datetime, tz: str) -> dt.datetime:
    local = timezone.localtime(now, zone_or_utc(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _target(
    contact: Contact, update: ProjectUpdate | None, project: Project | None
) -> Project | None:
    """The project the answer is about, after checking that it is the contact's client's."""
    if update is not None:
        if update.archived_at is not None or update.project.client_id != contact.client_id:
            raise ApplicationError(_("No such update."), code="not_found")
        return update.project
    if project is not None and project.client_id != contact.client_id:
        raise ApplicationError(_("No such project."), code="not_found")
    return project


def _existing(
    contact: Contact, update: ProjectUpdate | None, project: Project | None, now: dt.datetime
) -> PulseAnswer | None:
    rows = PulseAnswer.objects.select_for_update().filter(contact=contact)
    if update is not None:
        return rows.filter(update=update).first()
    # Without an update, one answer per project and day (in the contact's time zone): the
    # trend reads moods over time, not how often a page was opened.
    start = _day_start(now, contact.effective_timezone)
    return (
        rows.filter(update__isnull=True, project=project, answered_at__gte=start)
        .order_by("-answered_at")
        .first()
    )


@transaction.atomic
def pulse_answer(
    *,
    contact: Contact,
    score: int | str,
    source: str,
    update: ProjectUpdate | None = None,
    project: Project | None = None,
    comment: str = "",
    now: dt.datetime | None = None,
) -> PulseAnswer:
    """Record ``contact``'s answer to "How are we doing?": ``score`` 1 (😞) to 5 (😀) and an
    optional ``comment``, from ``source`` (``PulseAnswer.Source``), about ``update`` (its
    project) or else ``project`` (optional).

    One answer per contact and update: answering again changes the score, the comment (when
    one is given) and the time. Without an update, one per contact, project and day. A score
    outside 1..5 is refused naming ``score``, a comment over 2000 characters naming
    ``comment``; an update or project of another client is refused as not found. When the
    answer shows a drop (:func:`rapport.care.pulse.rules.pulse_drop`), the client-upset alert
    is raised for this answer (once).
    """
    score = _score(score)
    if source not in PulseAnswer.Source.values:
        raise ApplicationError(_("Unknown source."), field="source")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": COMMENT_MAX}, field="comment"
        )
    now = now or timezone.now()
    target = _target(contact, update, project)
    answer = _existing(contact, update, target, now)
    created = False
    if answer is None:
        try:
            with transaction.atomic():
                answer = PulseAnswer.objects.create(
                    workspace_id=contact.workspace_id,
                    client_id=contact.client_id,
                    project=target,
                    contact=contact,
                    score=score,
                    comment=comment,
                    source=source,
                    update=update,
                    answered_at=now,
                )
            created = True
        except IntegrityError:
            # Two clicks at once on the same update: the other one wrote the row first.
            answer = _existing(contact, update, target, now)
            if answer is None:
                raise
    # A comment added to the same face is not another answer in the client's history.
    changed = created or answer.score != score
    if not created:
        answer.score = score
        answer.comment = comment or answer.comment
        answer.source = source
        answer.answered_at = now
        answer.save(update_fields=["score", "comment", "source", "answered_at", "updated_at"])
    if changed:
        timeline_record(
            client=contact.client,
            verb="pulse.answered",
            actor_contact=contact,
            subject=answer,
            data={"name": contact.name, "face": FACES[score], "score": score},
        )
    _drop_check(answer, contact)
    return answer


def _drop_check(answer: PulseAnswer, contact: Contact) -> None:
    """Raise the client-upset alert if this answer shows a drop (ADR 0033)."""
    earlier = list(
        PulseAnswer.objects.filter(client_id=answer.client_id)
        .exclude(pk=answer.pk)
        .filter(answered_at__lte=answer.answered_at)
        .order_by("-answered_at", "-id")
        .values_list("score", flat=True)[: 2 * WINDOW]
    )
    history = earlier[::-1]
    reason = pulse_drop(history=history, score=answer.score)
    if reason is None:
        _alert_follow(answer)
        return
    trend = pulse_trend([*history, answer.score])
    project = answer.project.title if answer.project is not None else ""
    if reason == DropReason.LOW:
        why = text_ref("upset.pulse_low", face=FACES[answer.score], score=answer.score)
    else:
        why = text_ref(
            "upset.pulse_falling", previous=str(trend.previous), recent=str(trend.recent)
        )
    _alert, created = client_upset_raise(
        client=contact.client,
        source=UpsetSource.PULSE,
        subject=answer,
        reason=why,
        contact=contact,
        data={
            "score": answer.score,
            "face": FACES[answer.score],
            "comment": answer.comment,
            "recent_average": str(trend.recent or ""),
            "previous_average": str(trend.previous or ""),
            "drop": str(reason),
            "project": project,
            "project_id": answer.project_id,
        },
    )
    if not created:
        _alert_follow(answer)


def _alert_follow(answer: PulseAnswer) -> None:
    """A comment written after the alert was raised (the thanks page offers it) reaches the
    alert too. A kinder face later leaves the alert open: the client did say it, and the
    provider closes it after talking to them."""
    alert = Alert.objects.filter(
        kind=Alert.Kind.CLIENT_UPSET,
        subject_type=answer._meta.model_name,
        subject_id=answer.pk,
        state=Alert.State.OPEN,
    ).first()
    if alert is not None and answer.comment and alert.data.get("comment") != answer.comment:
        alert.data = {**alert.data, "comment": answer.comment}
        alert.save(update_fields=["data", "updated_at"])
