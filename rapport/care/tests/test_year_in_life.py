"""A year in one client's life, with the clock moved through it (P30, P31, P33, P34, P37).

A Greek shop's project is delivered in January 2027. The tick runs three times a day for a year
and the outbox delivers to a real SMTP server; the provider acts as a user would when an alert
asks them to. What must hold: the thank-you and the survey arrive once each, in each
contact's language; the survey answer alerts the owner; a referral thanks the referrer in
Greek; George's name day comes on Easter Monday (23 April 2027 falls before Orthodox Easter,
2 May); a birthday in Auckland is greeted on Auckland's morning, which is the evening before
in Athens; check-ins come at 3, 6 and 12 months; silence drops the client into the at-risk
band and the 3-month check-in brings them back. Every message goes out once, in its reader's
language, inside their contact hours.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from rapport.care.keepintouch.services import check_in_send, check_in_skip
from rapport.care.model_keepintouch import CheckIn
from rapport.care.models import ClientHealth, Survey
from rapport.care.namedays.drafts import greeting_draft
from rapport.care.namedays.services import greeting_send
from rapport.care.referrals.services import referral_record
from rapport.care.surveys.services import survey_answer
from rapport.clients.models import Client, Contact, ImportantDate
from rapport.clients.services import client_create, contact_create, important_date_add
from rapport.conftest import Persona
from rapport.core.periodic import tick_run
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert, Notification
from rapport.notifications.tests.conftest import (  # noqa: F401 (fixtures)
    SmtpServer,
    smtp_server,
    smtp_settings,
)
from rapport.projects.models import Project
from rapport.projects.services import project_create, project_update

UTC = dt.UTC
ATHENS = ZoneInfo("Europe/Athens")
AUCKLAND = ZoneInfo("Pacific/Auckland")
# Delivered on a Monday morning in Athens; the year runs to the 12-month check-in.
DELIVERED = dt.datetime(2027, 1, 11, 9, 0, tzinfo=ATHENS)
END = dt.datetime(2028, 1, 20, 12, 0, tzinfo=UTC)
# The tick's moments each day (UTC): Athens' morning (08:30 in winter, 09:30 in summer), its
# afternoon, and Auckland's morning (08:30 in its winter, the evening before in Athens).
TICKS = (dt.time(6, 30), dt.time(12, 30), dt.time(20, 30))


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(DELIVERED - dt.timedelta(days=1), tick=False) as traveller:
        yield traveller


def _moments() -> Iterator[dt.datetime]:
    day = DELIVERED.astimezone(UTC).date()
    while True:
        for at in TICKS:
            moment = dt.datetime.combine(day, at, tzinfo=UTC)
            if moment > END:
                return
            if moment > DELIVERED:
                yield moment
        day += dt.timedelta(days=1)


def _deliver() -> None:
    while deliver_due(worker="year", limit=50):
        pass


@pytest.mark.django_db(transaction=True)
def test_a_year_in_one_clients_life(
    clock: time_machine.Traveller,
    alice: Persona,
    smtp_settings: SmtpServer,  # noqa: F811
) -> None:
    shop = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Λύρα",
        language="el",
        status=Client.Status.ACTIVE,
    )
    giorgos = contact_create(
        client=shop, actor=alice.user, name="Γιώργος Λυράκης", email="giorgos@lyra.example"
    )
    mere = contact_create(
        client=shop,
        actor=alice.user,
        name="Mere Parata",
        email="mere@lyra.example",
        language="en",
        timezone="Pacific/Auckland",
    )
    important_date_add(contact=mere, kind="birthday", month=6, day=10)
    site = project_create(
        client=shop,
        actor=alice.user,
        title="Νέο ηλεκτρονικό κατάστημα",
        start_date=dt.date(2026, 10, 1),
        due_date=dt.date(2027, 1, 29),
        status=Project.Status.ACTIVE,
    )
    clock.move_to(DELIVERED)
    project_update(project=site, actor=alice.user, status=Project.Status.DELIVERED)

    answered = referred = False
    at_risk_seen: list[dt.datetime] = []
    birthday_raised_at: dt.datetime | None = None
    check_ins: list[tuple[dt.date, str]] = []
    for moment in _moments():
        clock.move_to(moment)
        tick_run(moment)
        _deliver()
        survey = Survey.objects.filter(project=site, sent_at__isnull=False).first()
        if survey is not None and not answered:
            # Four days after delivery George answers the survey from its link: the launch
            # was late, he would not recommend us today.
            survey_answer(survey=survey, contact=giorgos, csat=2, nps=2, source="email")
            answered = True
        if not referred and moment >= DELIVERED + dt.timedelta(days=20):
            friend = client_create(workspace=alice.workspace, actor=alice.user, name="Φίλος")
            referral_record(
                client=friend,
                actor=alice.user,
                kind="contact",
                referrer_contact=giorgos,
                thank=True,
            )
            referred = True
        for alert in Alert.objects.filter(state=Alert.State.OPEN, client=shop):
            if alert.kind == Alert.Kind.IMPORTANT_DATE:
                contact = Contact.objects.get(pk=alert.data["contact_id"])
                if alert.data["date_kind"] == ImportantDate.Kind.BIRTHDAY:
                    birthday_raised_at = alert.created_at
                greeting_send(
                    alert=alert,
                    contact=contact,
                    message=greeting_draft(contact=contact, kind=alert.data["date_kind"]),
                    actor=alice.user,
                )
            elif alert.kind == Alert.Kind.CHECK_IN_DUE:
                check_in = CheckIn.objects.get(pk=alert.subject_id or 0)
                local = moment.astimezone(ATHENS).date()
                if len(check_ins) == 1:  # the 6-month one: nothing new to say, skipped
                    check_in_skip(check_in=check_in, actor=alice.user)
                    check_ins.append((local, "skipped"))
                else:
                    check_in_send(
                        check_in=check_in,
                        actor=alice.user,
                        subject=check_in.subject,
                        body=check_in.body,
                    )
                    check_ins.append((local, "sent"))
            elif alert.kind == Alert.Kind.HEALTH_AT_RISK and alert.created_at not in at_risk_seen:
                at_risk_seen.append(alert.created_at)
        # The delivery worker runs all the time: what the provider sent leaves within seconds.
        _deliver()

    # The check-ins: 3, 6 and 12 months after delivery, on working mornings.
    assert [day for day, _ in check_ins] == [
        dt.date(2027, 4, 12),
        dt.date(2027, 7, 12),
        dt.date(2028, 1, 11),
    ]
    assert [what for _, what in check_ins] == ["sent", "skipped", "sent"]

    # George's name day: St George moved to Easter Monday, 3 May 2027, at 08:00 in Athens.
    name_day = Alert.objects.get(
        kind=Alert.Kind.IMPORTANT_DATE, client=shop, data__date_kind="name_day"
    )
    assert name_day.created_at.astimezone(ATHENS).date() == dt.date(2027, 5, 3)
    # Mere's birthday: her morning of 10 June in Auckland, still 9 June in Athens.
    assert birthday_raised_at is not None
    assert birthday_raised_at.astimezone(AUCKLAND).date() == dt.date(2027, 6, 10)
    assert birthday_raised_at.astimezone(ATHENS).date() == dt.date(2027, 6, 9)
    assert 8 <= birthday_raised_at.astimezone(AUCKLAND).hour < 9

    # The survey's answer told the owner; the health fell with the silence after it and rose
    # again with the 3-month check-in.
    answer_alerts = Alert.objects.filter(kind=Alert.Kind.SURVEY_ANSWERED, client=shop)
    assert answer_alerts.count() == 1
    assert at_risk_seen, "the client never entered the at-risk band"
    first_risk = at_risk_seen[0].astimezone(ATHENS).date()
    assert dt.date(2027, 3, 25) <= first_risk < dt.date(2027, 4, 12)
    first_alert = Alert.objects.get(kind=Alert.Kind.HEALTH_AT_RISK, created_at=at_risk_seen[0])
    assert first_alert.state == Alert.State.DONE
    assert first_alert.resolved_at is not None
    assert first_alert.resolved_at.astimezone(ATHENS).date() <= dt.date(2027, 4, 13)
    health = ClientHealth.objects.get(client=shop)
    assert health.score is not None and 0 <= health.score <= 100

    # Every message once, in its reader's language, inside their hours (08:00-20:00 by
    # default), and each one arrived at the SMTP server exactly once.
    sent = list(Notification.objects.filter(client=shop).select_related("contact"))
    assert all(n.state == Notification.State.SENT for n in sent), Counter(n.state for n in sent)
    kinds = Counter((n.kind, n.contact_id) for n in sent)
    expected_once = {
        ("project_thanks", giorgos.pk),
        ("project_thanks", mere.pk),
        ("survey_request", giorgos.pk),
        ("survey_request", mere.pk),
        ("referral_thanks", giorgos.pk),
        ("greeting", giorgos.pk),
        ("greeting", mere.pk),
    }
    for key in expected_once:
        assert kinds[key] == 1, (key, kinds)
    assert sum(1 for n in sent if n.kind == "keep_in_touch") == 2
    for n in sent:
        assert n.contact is not None and n.sent_at is not None
        assert n.language == {giorgos.pk: "el", mere.pk: "en"}[n.contact.pk], n.kind
        local = n.sent_at.astimezone(ZoneInfo(n.contact.effective_timezone))
        assert 8 <= local.hour < 20, (n.kind, local)
    # (The provider's own daily digests go to the same server; only the client's are counted.)
    clients = {giorgos.email, mere.email}
    received = Counter(r.rcpt_tos[0] for r in smtp_settings.received if r.rcpt_tos[0] in clients)
    assert received == Counter(n.address for n in sent)
    assert timezone.now() <= END
    assert Client.objects.get(pk=shop.pk).archived_at is None
