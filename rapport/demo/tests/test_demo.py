"""`manage.py demo` (what `make run` starts with) builds the demo workspace once."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from rapport.agreements.models import Quote
from rapport.billing.models import Invoice, InvoiceLine
from rapport.clients.models import Client
from rapport.projects.models import ProjectTemplate

pytestmark = pytest.mark.django_db


def test_demo_builds_the_workspace_once_and_prints_the_way_in(
    settings: Settings, tmp_path: Path
) -> None:
    settings.BASE_DIR = tmp_path  # the demo password file lands here
    (tmp_path / "var").mkdir()
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "/accounts/login/" in text
    assert "demo@rapport.local" in text
    assert "/p/o/" in text
    assert Client.objects.count() == 3
    quote = Quote.objects.get()
    assert (quote.status, quote.currency, quote.total) == ("sent", "IDR", Decimal(41070000))
    invoice = Invoice.objects.get()
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.number == 1
    assert InvoiceLine.objects.filter(invoice=invoice, goodwill=True).count() == 1
    assert invoice.total == 330  # 5.5 billable hours at 60; the goodwill hour at 0
    # One template to start the next project from: the shop's four dated steps.
    template = ProjectTemplate.objects.get()
    assert template.name == "Online shop in four steps"
    assert template.milestones.count() == 4

    # Carol's pulse shows a trend, rising, and raised no alert (P23).
    from rapport.care.pulse.rules import Direction
    from rapport.care.pulse.selectors import client_pulse
    from rapport.notifications.models import Alert

    acme = Client.objects.get(name="Acme Ltd")
    pulse = client_pulse(workspace_id=acme.workspace_id, client_id=acme.pk)
    assert len(pulse.answers) == 6 and pulse.direction == Direction.UP
    assert not Alert.objects.filter(kind=Alert.Kind.CLIENT_UPSET).exists()

    call_command("demo", stdout=StringIO())
    assert Client.objects.count() == 3


def test_demo_raises_no_false_delay_warning(settings: Settings, tmp_path: Path) -> None:
    """P16: a fresh `make run` shows no "at risk" alarm that the milestone's own window, its
    progress and its owner's capacity do not support (each milestone measured from the
    previous one's date, not from the project's start)."""
    from django.utils import timezone

    from rapport.core.periodic import tick_run
    from rapport.notifications.models import Alert
    from rapport.projects.models import Milestone
    from rapport.projects.risk import milestone_forecast

    settings.BASE_DIR = tmp_path
    (tmp_path / "var").mkdir()
    call_command("demo", stdout=StringIO())
    tick_run(timezone.now())
    warnings = Alert.objects.filter(kind=Alert.Kind.DEADLINE_AT_RISK, state=Alert.State.OPEN)
    for alert in warnings:
        assert alert.subject_id is not None
        milestone = Milestone.objects.select_related("project__client__workspace").get(
            pk=alert.subject_id
        )
        assert milestone_forecast(milestone=milestone)[0].at_risk, alert.data
    # The shop's later phases have not started: they are not "behind".
    later = Milestone.objects.filter(title__in=["Front-end build", "Launch"])
    assert later.count() == 2
    assert not warnings.filter(subject_id__in=later.values("pk")).exists()


def test_the_demo_puts_a_waiting_client_first(settings: Settings, tmp_path: Path) -> None:
    """The demo shows what "To do today" is for: a client's request, first in the ranked list
    (P14), with no forecast above it."""
    from django.utils import timezone

    from rapport.core.periodic import tick_run
    from rapport.notifications.models import Alert
    from rapport.notifications.ranking import ranked

    settings.BASE_DIR = tmp_path
    (tmp_path / "var").mkdir()
    call_command("demo", stdout=StringIO())
    tick_run(timezone.now())
    first = ranked(Alert.objects.filter(state=Alert.State.OPEN)).first()
    assert first is not None and first.kind == Alert.Kind.REQUEST_RECEIVED
