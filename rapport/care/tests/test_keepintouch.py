"""Check-ins after delivery (P30): scheduled at a delivery on working mornings, cancelled when
the project goes back to work, drafted by the tick in the contact's language with one alert,
sent through the outbox over real SMTP or skipped, and never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.care.keepintouch.scanner import scan_check_ins_due
from rapport.care.keepintouch.services import (
    check_in_send,
    check_in_skip,
    check_ins_schedule,
    workspace_check_in_months_set,
)
from rapport.care.keepintouch.timing import add_months, months_parse
from rapport.care.models import CheckIn
from rapport.care.tests.keepintouch_fixtures import DELIVERED, deliver, reopen
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.conversations.services import request_receive
from rapport.core.errors import ApplicationError
from rapport.core.periodic import JOBS
from rapport.notifications.alerts import alert_action_url
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert, Notification
from rapport.notifications.tests.conftest import SmtpServer, smtp_server, smtp_settings  # noqa: F401
from rapport.projects.models import Project

# The three default check-ins of a delivery on Monday 7 December 2026 (Athens, 09:00):
# 7 March 2027 is a Sunday, so Monday the 8th (winter time); 7 June is a Monday (summer
# time); 7 December 2027 is a Tuesday.
DUE_3 = datetime(2027, 3, 8, 7, 0, tzinfo=UTC)
DUE_6 = datetime(2027, 6, 7, 6, 0, tzinfo=UTC)
DUE_12 = datetime(2027, 12, 7, 7, 0, tzinfo=UTC)


def _rows(project: Project) -> list[CheckIn]:
    return list(CheckIn.objects.filter(project=project, kind="check_in").order_by("months", "id"))


def test_a_delivery_schedules_check_ins_on_working_mornings(
    website: Project, alice: Persona, carol: Contact
) -> None:
    deliver(website, alice)
    rows = _rows(website)
    assert [(r.months, r.due_at, r.state) for r in rows] == [
        (3, DUE_3, "scheduled"),
        (6, DUE_6, "scheduled"),
        (12, DUE_12, "scheduled"),
    ]
    assert all(r.delivered_at == DELIVERED for r in rows)
    # Scheduling again for the same delivery writes nothing new.
    website.refresh_from_db()
    check_ins_schedule(project=website)
    assert len(_rows(website)) == 3


def test_reopening_cancels_and_a_new_delivery_schedules_again(
    website: Project, alice: Persona, carol: Contact
) -> None:
    deliver(website, alice)
    reopen(website, alice, DELIVERED + timedelta(days=2))
    assert {r.state for r in _rows(website)} == {"cancelled"}
    assert all(r.due_at is None for r in _rows(website))
    deliver(website, alice, DELIVERED + timedelta(days=9))
    states = [r.state for r in _rows(website)]
    assert states.count("cancelled") == 3 and states.count("scheduled") == 3


def test_the_workspace_chooses_its_months(website: Project, alice: Persona, carol: Contact) -> None:
    workspace_check_in_months_set(workspace=alice.workspace, text="6, 1,6")
    assert alice.workspace.check_in_months == "1, 6"
    deliver(website, alice)
    assert [r.months for r in _rows(website)] == [1, 6]
    for bad in ("0", "3, soon", "61"):
        with pytest.raises(ApplicationError) as refused:
            workspace_check_in_months_set(workspace=alice.workspace, text=bad)
        assert refused.value.field == "check_in_months"
    workspace_check_in_months_set(workspace=alice.workspace, text="")
    assert months_parse(alice.workspace.check_in_months) == []


def test_add_months_keeps_the_day_or_the_months_end() -> None:
    from datetime import date

    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 7), 3) == date(2027, 3, 7)
    assert add_months(date(2027, 3, 15), -12) == date(2026, 3, 15)


def test_the_scan_is_registered_with_the_tick() -> None:
    assert scan_check_ins_due in JOBS


def test_the_tick_drafts_a_due_check_in_in_greek_with_one_alert(
    website: Project, alice: Persona, carol: Contact
) -> None:
    deliver(website, alice)
    assert scan_check_ins_due(DUE_3 - timedelta(minutes=1)) == 0
    assert scan_check_ins_due(DUE_3) == 1
    three, six, twelve = _rows(website)
    assert three.state == "ready" and three.due_at is None and three.drafted_at == DUE_3
    assert three.contact == carol and three.language == "el"
    assert "New website" in three.subject and "3" in three.body
    assert "months" not in three.body  # written in Greek, not English
    assert (six.state, twelve.state) == ("scheduled", "scheduled")
    alert = Alert.objects.get(kind=Alert.Kind.CHECK_IN_DUE)
    assert alert.assignee_id == alice.user.pk and alert.subject_id == three.pk
    assert alert.data["months"] == 3 and alert.data["project"] == "New website"
    assert alert_action_url(alert) == f"/care/keep-in-touch/{three.pk}/"
    # A second tick, later on, finds nothing more and raises nothing more.
    assert scan_check_ins_due(DUE_3 + timedelta(hours=1)) == 0
    assert Alert.objects.filter(kind=Alert.Kind.CHECK_IN_DUE).count() == 1


def test_the_scan_reads_only_due_rows_in_a_fixed_number_of_queries(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    deliver(website, alice)
    with CaptureQueriesContext(connection) as one:
        scan_check_ins_due(DUE_3)
    # Twenty more deliveries due the same morning: the same queries.
    for index in range(20):
        project = Project.objects.create(
            workspace=alice.workspace, client=acme, title=f"P{index}", status="active"
        )
        deliver(project, alice)
    with CaptureQueriesContext(connection) as many:
        assert scan_check_ins_due(DUE_3) == 20
    assert len(many) == len(one)
    assert CheckIn.objects.filter(state="scheduled", kind="check_in").count() == 42


def test_no_check_in_when_the_client_wrote_lately(
    website: Project, alice: Persona, acme: Client, carol: Contact
) -> None:
    deliver(website, alice)
    with time_machine.travel(DUE_3 - timedelta(days=10), tick=False):
        request_receive(
            client=acme, contact=carol, source="email", subject="Μια ερώτηση", body="Γεια σας"
        )
    assert scan_check_ins_due(DUE_3) == 1
    three = _rows(website)[0]
    assert (three.state, three.skip_reason) == ("skipped", "in_touch")
    assert not Alert.objects.filter(kind=Alert.Kind.CHECK_IN_DUE).exists()


def test_sending_goes_through_the_outbox_over_smtp(
    website: Project,
    alice: Persona,
    carol: Contact,
    smtp_settings: SmtpServer,  # noqa: F811
) -> None:
    deliver(website, alice)
    scan_check_ins_due(DUE_3)
    three = _rows(website)[0]
    with time_machine.travel(DUE_3 + timedelta(hours=1), tick=False):
        sent = check_in_send(
            check_in=three,
            actor=alice.user,
            subject="Πώς πάει το νέο site;",
            body="Τρεις μήνες μετά: όλα καλά;",
        )
        assert sent.state == "sent" and sent.notification is not None
        deliver_due(worker="test")
    # The thank-you of the delivery (care.surveys) went first; the check-in is the last one.
    assert smtp_settings.wait_for(2)
    [received] = [r for r in smtp_settings.received if "Τρεις μήνες μετά" in r.text]
    assert received.rcpt_tos == ["carol@acme.example"]
    assert received.message["Subject"] == "Πώς πάει το νέο site;"
    assert "Τρεις μήνες μετά: όλα καλά;" in received.text
    assert "Carol Georgiou" in received.text  # greeted by name (P29)
    alert = Alert.objects.get(kind=Alert.Kind.CHECK_IN_DUE)
    assert alert.state == Alert.State.DONE
    # Sent once: a second send is refused and writes nothing.
    with pytest.raises(ApplicationError):
        check_in_send(check_in=three, actor=alice.user, subject="x", body="y")
    assert Notification.objects.filter(kind="keep_in_touch").count() == 1


def test_a_skip_is_recorded_and_sends_nothing(
    website: Project, alice: Persona, carol: Contact
) -> None:
    deliver(website, alice)
    scan_check_ins_due(DUE_3)
    three = _rows(website)[0]
    skipped = check_in_skip(check_in=three, actor=alice.user, now=DUE_3)
    assert (skipped.state, skipped.skip_reason, skipped.acted_by) == (
        "skipped",
        "provider",
        alice.user,
    )
    assert Alert.objects.get(kind=Alert.Kind.CHECK_IN_DUE).state == Alert.State.DONE
    with pytest.raises(ApplicationError):
        check_in_send(check_in=three, actor=alice.user, subject="x", body="y")
    assert not Notification.objects.filter(kind="keep_in_touch").exists()


def test_sending_refuses_an_empty_message_or_another_clients_contact(
    website: Project, alice: Persona, carol: Contact, mallory_data: dict[str, Any]
) -> None:
    deliver(website, alice)
    scan_check_ins_due(DUE_3)
    three = _rows(website)[0]
    with pytest.raises(ApplicationError) as refused:
        check_in_send(check_in=three, actor=alice.user, subject="Hi", body="  ")
    assert refused.value.field == "body"
    with pytest.raises(ApplicationError) as refused:
        check_in_send(
            check_in=three,
            actor=alice.user,
            subject="Hi",
            body="Hello",
            contact=mallory_data["contact"],
        )
    assert refused.value.field == "contact"
