"""Writes of what a client allows us (P33): a testimonial with permission to publish it, the
portfolio permission of a project, both revocable by the client; and the promotion log, which
records a showing only under a permission that stood on that day (ADR 0034)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.care.model_surveys import (
    PortfolioPermission,
    Promotion,
    Survey,
    SurveyAnswer,
    Testimonial,
)
from rapport.care.surveys.services import survey_answer
from rapport.clients.models import Client, Contact
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise
from rapport.projects.models import Project

TESTIMONIAL_MAX = 1500
CONDITIONS_MAX = 500


@transaction.atomic
def testimonial_give(
    *,
    contact: Contact,
    text: str,
    show_name: bool,
    show_company: bool,
    survey: Survey | None = None,
    project: Project | None = None,
    now: dt.datetime | None = None,
) -> Testimonial:
    """Record words of ``contact`` that we may publish, showing their name and their company
    only if they chose so. With a ``survey``, one standing testimonial per contact and survey:
    giving it again changes it. Refused naming ``testimonial`` when empty or over 1500
    characters; a survey or project of another client is refused as not found. The first
    giving raises ``testimonial_given`` for the account owner."""
    now = now or timezone.now()
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write a few words, or leave this out."), field="testimonial")
    if len(text) > TESTIMONIAL_MAX:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": TESTIMONIAL_MAX},
            field="testimonial",
        )
    if survey is not None:
        project = survey.project
    for row in (survey, project):
        if row is not None and row.client_id != contact.client_id:
            raise ApplicationError(_("No such project."), code="not_found")
    testimonial = None
    if survey is not None:
        testimonial = (
            Testimonial.objects.select_for_update()
            .filter(survey=survey, contact=contact, withdrawn_at__isnull=True)
            .first()
        )
    if testimonial is None:
        testimonial = Testimonial.objects.create(
            workspace_id=contact.workspace_id,
            client_id=contact.client_id,
            project=project,
            survey=survey,
            contact=contact,
            text=text,
            show_name=show_name,
            show_company=show_company,
            given_at=now,
        )
        timeline_record(
            client=contact.client,
            verb="testimonial.given",
            actor_contact=contact,
            subject=testimonial,
            data={"name": contact.name},
        )
        alert_raise(
            workspace=contact.workspace_id,
            kind=Alert.Kind.TESTIMONIAL_GIVEN,
            dedupe_key=f"testimonial_given:{testimonial.pk}",
            client=contact.client,
            assignee=contact.client.account_owner_id,
            subject=testimonial,
            data={
                "name": contact.name,
                "project": project.title if project is not None else "",
                "project_id": project.pk if project is not None else None,
                "show_name": show_name,
                "show_company": show_company,
            },
            severity=Alert.Severity.INFO,
        )
    else:
        testimonial.text, testimonial.show_name = text, show_name
        testimonial.show_company, testimonial.given_at = show_company, now
        testimonial.save(update_fields=["text", "show_name", "show_company", "given_at"])
    return testimonial


@transaction.atomic
def testimonial_withdraw(
    *, testimonial: Testimonial, contact: Contact, now: dt.datetime | None = None
) -> Testimonial:
    """Withdraw the permission to publish ``testimonial``: any contact of its client may (the
    client speaks for its people), and who did it and when are kept. Refused when it was
    already withdrawn; another client's is refused as not found."""
    if testimonial.client_id != contact.client_id:
        raise ApplicationError(_("No such testimonial."), code="not_found")
    row = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
    if row.withdrawn_at is not None:
        raise ApplicationError(_("This permission was already withdrawn."), field="testimonial")
    row.withdrawn_at, row.withdrawn_by = now or timezone.now(), contact
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    timeline_record(
        client=contact.client,
        verb="testimonial.withdrawn",
        actor_contact=contact,
        subject=row,
        data={"name": contact.name},
    )
    return row


@transaction.atomic
def portfolio_grant(
    *,
    project: Project,
    contact: Contact,
    conditions: str = "",
    now: dt.datetime | None = None,
) -> PortfolioPermission:
    """Allow us to show ``project`` in our portfolio, with optional ``conditions``. A standing
    permission is kept (its conditions changed if new ones are given); after a revocation a new
    permission is recorded. Refused naming ``conditions`` over 500 characters; a project of
    another client is refused as not found."""
    if project.client_id != contact.client_id:
        raise ApplicationError(_("No such project."), code="not_found")
    conditions = conditions.strip()
    if len(conditions) > CONDITIONS_MAX:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": CONDITIONS_MAX},
            field="conditions",
        )
    standing = (
        PortfolioPermission.objects.select_for_update()
        .filter(project=project, revoked_at__isnull=True)
        .first()
    )
    if standing is not None:
        if standing.conditions != conditions:
            standing.conditions = conditions
            standing.save(update_fields=["conditions", "updated_at"])
        return standing
    permission = PortfolioPermission.objects.create(
        workspace_id=project.workspace_id,
        client_id=project.client_id,
        project=project,
        conditions=conditions,
        granted_by=contact,
        granted_at=now or timezone.now(),
    )
    timeline_record(
        client=contact.client,
        verb="portfolio.granted",
        actor_contact=contact,
        subject=permission,
        data={"name": contact.name, "project": project.title},
    )
    return permission


@transaction.atomic
def portfolio_revoke(
    *, permission: PortfolioPermission, contact: Contact, now: dt.datetime | None = None
) -> PortfolioPermission:
    """Withdraw a portfolio permission, recording who and when. Refused when it was already
    withdrawn; another client's is refused as not found."""
    if permission.client_id != contact.client_id:
        raise ApplicationError(_("No such permission."), code="not_found")
    row = (
        PortfolioPermission.objects.select_for_update()
        .select_related("project")
        .get(pk=permission.pk)
    )
    if row.revoked_at is not None:
        raise ApplicationError(_("This permission was already withdrawn."), field="portfolio")
    row.revoked_at, row.revoked_by = now or timezone.now(), contact
    row.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    timeline_record(
        client=contact.client,
        verb="portfolio.revoked",
        actor_contact=contact,
        subject=row,
        data={"name": contact.name, "project": row.project.title},
    )
    return row


@dataclass(frozen=True)
class Response:
    """What one press of the survey's "Send" recorded."""

    answer: SurveyAnswer
    testimonial: Testimonial | None
    portfolio: PortfolioPermission | None


@transaction.atomic
def survey_respond(
    *,
    survey: Survey,
    contact: Contact,
    csat: int | str | None,
    nps: int | str | None,
    comment: str,
    source: str,
    testimonial: str = "",
    publish: bool = False,
    show_name: bool = False,
    show_company: bool = False,
    portfolio: bool = False,
    conditions: str = "",
    now: dt.datetime | None = None,
) -> Response:
    """The whole survey form at once: the answer (:func:`survey_answer`), the testimonial when
    words are given with ``publish`` (permission to publish; words without it are refused
    naming ``publish``), and the portfolio permission when ``portfolio``. Nothing is written
    unless all of it is accepted."""
    now = now or timezone.now()
    answer = survey_answer(
        survey=survey, contact=contact, csat=csat, nps=nps, comment=comment, source=source, now=now
    )
    given = None
    if testimonial.strip():
        if not publish:
            raise ApplicationError(
                _("Tick the box to let us publish your words, or leave them out."),
                field="publish",
            )
        given = testimonial_give(
            contact=contact,
            text=testimonial,
            show_name=show_name,
            show_company=show_company,
            survey=survey,
            now=now,
        )
    granted = None
    if portfolio:
        granted = portfolio_grant(
            project=survey.project, contact=contact, conditions=conditions, now=now
        )
    return Response(answer=answer, testimonial=given, portfolio=granted)


def _stood_on(day: dt.date, granted: dt.datetime, revoked: dt.datetime | None) -> bool:
    """Whether a permission granted at ``granted`` and revoked at ``revoked`` stood on ``day``
    (dates in the viewer's time zone; the day of the revocation no longer counts)."""
    if timezone.localdate(granted) > day:
        return False
    return revoked is None or timezone.localdate(revoked) > day


@transaction.atomic
def promotion_log(
    *,
    client: Client,
    actor: User,
    channel: str,
    shown_on: dt.date,
    url: str = "",
    note: str = "",
    testimonial_id: int | None = None,
    portfolio_id: int | None = None,
) -> Promotion:
    """Record that the client's work or brand was shown on ``channel`` on ``shown_on`` (P33),
    under one permission: a testimonial or a portfolio permission of this client, which must
    have stood on that day (given before, not withdrawn by then). Refused naming ``permission``
    when none or both are given, when it is not this client's, or when it did not stand that
    day; naming ``shown_on`` for a day still to come, ``channel`` for an unknown one."""
    if channel not in Promotion.Channel.values:
        raise ApplicationError(_("Choose where it was shown."), field="channel")
    if shown_on > timezone.localdate():
        raise ApplicationError(_("Record it once it has been shown."), field="shown_on")
    if (testimonial_id is None) == (portfolio_id is None):
        raise ApplicationError(_("Choose the permission it was shown under."), field="permission")
    testimonial: Testimonial | None = None
    portfolio: PortfolioPermission | None = None
    if testimonial_id is not None:
        testimonial = Testimonial.objects.filter(
            workspace_id=client.workspace_id, client=client, pk=testimonial_id
        ).first()
        found: Testimonial | PortfolioPermission | None = testimonial
        stood = testimonial is not None and _stood_on(
            shown_on, testimonial.given_at, testimonial.withdrawn_at
        )
    elif portfolio_id is not None:
        portfolio = PortfolioPermission.objects.filter(
            workspace_id=client.workspace_id, client=client, pk=portfolio_id
        ).first()
        found = portfolio
        stood = portfolio is not None and _stood_on(
            shown_on, portfolio.granted_at, portfolio.revoked_at
        )
    if found is None:
        raise ApplicationError(_("No such permission for this client."), field="permission")
    if not stood:
        raise ApplicationError(
            _("That permission did not stand on %(date)s: it was not given yet or withdrawn.")
            % {"date": shown_on.isoformat()},
            field="permission",
        )
    promotion = Promotion.objects.create(
        workspace_id=client.workspace_id,
        client=client,
        channel=channel,
        url=url.strip(),
        shown_on=shown_on,
        note=note.strip(),
        testimonial=testimonial,
        portfolio=portfolio,
        recorded_by=actor,
    )
    timeline_record(
        client=client,
        verb="promotion.logged",
        actor=actor,
        subject=promotion,
        data={"channel": promotion.get_channel_display(), "date": shown_on.isoformat()},
    )
    return promotion
