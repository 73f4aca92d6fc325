"""Progress updates in each contact's language, with the figures of the moment of sending
(P12, P29); delay notices, declines and reminders in Indonesian; the page that previews the
message per contact and refuses to send figures the provider has not seen."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.billing.models import Invoice
from rapport.billing.scanners import scan_invoice_reminders
from rapport.billing.services.invoices import invoice_issue, invoice_line_add
from rapport.billing.services.time_entries import invoice_draft_hourly, time_entry_add
from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create
from rapport.conftest import Persona
from rapport.conversations.services import request_decide, request_receive
from rapport.notifications.models import Alert, Notification
from rapport.notifications.services import alert_raise
from rapport.projects.delays import delay_notice_send
from rapport.projects.models import Milestone, Project, ProjectUpdate
from rapport.projects.services import milestone_create, milestone_update, project_create
from rapport.projects.updates import (
    UpdateFiguresChanged,
    update_facts,
    update_figures,
    update_send,
)

# Monday 23 November 2026, 10:00 in Athens, 15:00 in Jakarta: inside everyone's hours.
MONDAY = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shop(clock: time_machine.Traveller, alice: Persona, acme: Client) -> Project:
    return project_create(
        client=acme,
        actor=alice.user,
        title="New shop",
        start_date=dt.date(2026, 11, 16),
        due_date=dt.date(2027, 2, 26),
        status=Project.Status.ACTIVE,
    )


@pytest.fixture
def designs(shop: Project, alice: Persona) -> Milestone:
    return milestone_create(
        project=shop, actor=alice.user, title="Designs", due_date=dt.date(2026, 12, 4), progress=40
    )


def _contact(acme: Client, alice: Persona, name: str, language: str, tz: str) -> Contact:
    return contact_create(
        client=acme,
        actor=alice.user,
        name=name,
        email=f"{name.split()[0].lower()}@acme.example",
        language=language,
        timezone=tz,
    )


@pytest.fixture
def radu(acme: Client, alice: Persona) -> Contact:
    return _contact(acme, alice, "Radu Popescu", "ro", "Europe/Bucharest")


@pytest.fixture
def dewi(acme: Client, alice: Persona) -> Contact:
    return _contact(acme, alice, "Dewi Lestari", "id", "Asia/Jakarta")


def _message(update: ProjectUpdate, contact: Contact) -> Notification:
    return Notification.objects.get(
        subject_type="projectupdate", subject_id=update.pk, contact=contact
    )


def test_romanian_update_has_romanian_headings_dates_and_figures_of_sending(
    shop: Project, designs: Milestone, alice: Persona, radu: Contact
) -> None:
    figures_when_opened = update_figures(update_facts(project=shop))
    # The provider keeps working after opening the page: the message says 60 %, not 40 %.
    milestone_update(milestone=designs, actor=alice.user, progress=60)
    alert_raise(
        workspace=alice.workspace,
        kind=Alert.Kind.DEADLINE_AT_RISK,
        dedupe_key=f"risk:{designs.pk}",
        subject=designs,
    )
    assert figures_when_opened != update_figures(update_facts(project=shop))

    update = update_send(project=shop, actor=alice.user, contacts=[radu], body="Pagina e gata.")

    message = _message(update, radu)
    assert message.language == "ro"
    text = message.body
    assert "De la ultima actualizare:" in text  # "Since the last update:", from rapport/locale
    assert "Stadiul actual:" in text  # "Where things stand:"
    assert "La risc și ce facem în această privință:" in text
    assert "- Designs: 60\xa0% (4 dec 2026)" in text  # Romanian percent and date
    assert "40" not in text
    assert not ISO_DATE.search(text)
    assert message.html.startswith('<div lang="ro">')
    assert "60\xa0%" in message.html


def test_each_contact_of_one_client_gets_their_own_language(
    shop: Project, designs: Milestone, alice: Persona, carol: Contact, radu: Contact, dewi: Contact
) -> None:
    update = update_send(
        project=shop, actor=alice.user, contacts=[carol, radu, dewi], no_big_news=True
    )
    greek, romanian, indonesian = (_message(update, c) for c in (carol, radu, dewi))
    assert (greek.language, romanian.language, indonesian.language) == ("el", "ro", "id")
    assert "Πού βρισκόμαστε:" in greek.body and "- Designs: 40% (4 Δεκεμβρίου 2026)" in greek.body
    assert "- Designs: 40\xa0% (4 dec 2026)" in romanian.body
    assert "Perkembangan saat ini:" in indonesian.body
    assert "- Designs: 40% (4 Des 2026)" in indonesian.body
    # "No big news" keeps working, in the one language that has it translated already.
    assert "Kali ini tidak ada kabar penting" in indonesian.body
    for message in (greek, romanian, indonesian):
        assert message.html.startswith(f'<div lang="{message.language}">')
        assert not ISO_DATE.search(message.body + message.subject)


def test_changed_figures_refuse_to_send_and_say_what_changed(
    shop: Project, designs: Milestone, alice: Persona, radu: Contact
) -> None:
    figures = update_figures(update_facts(project=shop))
    milestone_update(
        milestone=designs, actor=alice.user, progress=70, due_date=dt.date(2026, 12, 11)
    )
    later = milestone_create(
        project=shop, actor=alice.user, title="Launch", due_date=dt.date(2027, 2, 1)
    )
    with pytest.raises(UpdateFiguresChanged) as exc:
        update_send(project=shop, actor=alice.user, contacts=[radu], body="x", figures=figures)
    assert exc.value.field == "figures"
    joined = " | ".join(exc.value.changes)
    assert "Designs: progress 40% → 70%." in joined
    assert "Designs: due date" in joined
    assert f"{later.title} is new in the update." in joined
    assert not ProjectUpdate.objects.exists() and not Notification.objects.exists()
    # Sending with the figures the refusal returned goes through.
    update_send(
        project=shop, actor=alice.user, contacts=[radu], body="x", figures=exc.value.figures
    )
    assert ProjectUpdate.objects.count() == 1


def test_a_forged_fingerprint_is_a_change(
    shop: Project, designs: Milestone, alice: Persona, radu: Contact
) -> None:
    with pytest.raises(UpdateFiguresChanged):
        update_send(project=shop, actor=alice.user, contacts=[radu], body="x", figures="forged")
    assert not ProjectUpdate.objects.exists()


# --- The page ---------------------------------------------------------------------------------


@pytest.fixture
def http(alice: Persona) -> HttpClient:
    client = HttpClient()
    client.force_login(alice.user)
    return client


def _figures(html: str) -> str:
    found = re.search(r'name="figures" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_page_previews_each_contact_in_their_language(
    http: HttpClient, shop: Project, designs: Milestone, carol: Contact, radu: Contact
) -> None:
    response = http.get(reverse("projects:update_compose", args=[shop.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<pre lang="el"' in html and '<pre lang="ro"' in html
    assert "4 dec 2026" in html and "4 Δεκεμβρίου 2026" in html
    # A preview POST shows the note and sends nothing.
    response = http.post(
        reverse("projects:update_compose", args=[shop.pk]),
        {
            "body": "Pagina e gata.",
            "contacts": [radu.pk],
            "figures": _figures(html),
            "preview": "1",
        },
    )
    assert response.status_code == 200
    assert "Pagina e gata." in response.content.decode()
    assert not ProjectUpdate.objects.exists()


def test_stale_page_shows_what_changed_and_sends_only_when_confirmed(
    http: HttpClient, shop: Project, designs: Milestone, alice: Persona, radu: Contact
) -> None:
    url = reverse("projects:update_compose", args=[shop.pk])
    opened = _figures(http.get(url).content.decode())
    milestone_update(milestone=designs, actor=alice.user, progress=80)

    data = {"body": "Pagina e gata.", "contacts": [radu.pk], "figures": opened}
    response = http.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="figures-changed"' in html
    assert "Designs: progress 40% → 80%." in html
    assert "Pagina e gata." in html  # the note is kept
    assert not ProjectUpdate.objects.exists() and not Notification.objects.exists()

    response = http.post(url, {**data, "figures": _figures(html)})
    assert response.status_code == 302
    update = ProjectUpdate.objects.get()
    assert "- Designs: 80\xa0%" in _message(update, radu).body


def test_no_big_news_from_the_page(
    http: HttpClient, shop: Project, designs: Milestone, carol: Contact
) -> None:
    url = reverse("projects:update_compose", args=[shop.pk])
    opened = _figures(http.get(url).content.decode())
    response = http.post(url, {"contacts": [carol.pk], "figures": opened, "no_big_news": "1"})
    assert response.status_code == 302
    assert ProjectUpdate.objects.get().no_big_news


# --- Other messages in Indonesian ---------------------------------------------------------------


def _indonesian(message: Notification) -> None:
    assert message.language == "id"
    assert message.html.startswith('<div lang="id">')
    assert not ISO_DATE.search(message.subject + message.body + message.html)


def test_delay_notice_in_indonesian(
    shop: Project, designs: Milestone, alice: Persona, dewi: Contact
) -> None:
    delay_notice_send(
        milestone=designs,
        actor=alice.user,
        new_due_date=dt.date(2026, 12, 18),
        reason="Pemasok terlambat.",
        plan="Kami mengerjakan halaman lain.",
        contacts=[dewi],
    )
    message = Notification.objects.get(kind="delay_notice", contact=dewi)
    _indonesian(message)
    assert "4 Des 2026" in message.body and "18 Des 2026" in message.body


def test_decline_in_indonesian(acme: Client, alice: Persona, dewi: Contact) -> None:
    request = request_receive(
        client=acme, contact=dewi, source="portal", subject="Banner baru", body="Tolong."
    )
    ack = Notification.objects.get(kind="request_ack", contact=dewi)
    _indonesian(ack)
    request_decide(
        request=request, actor=alice.user, decision="declined", message="Di luar lingkup."
    )
    declined = Notification.objects.get(kind="request_declined", contact=dewi)
    _indonesian(declined)
    assert "Di luar lingkup." in declined.body


def test_invoice_reminder_in_indonesian(
    clock: time_machine.Traveller, alice: Persona, acme: Client, dewi: Contact
) -> None:
    invoice = Invoice.objects.create(
        workspace=alice.workspace, client=acme, contact=dewi, kind="milestone", currency="EUR"
    )
    invoice_line_add(invoice=invoice, description="Design", quantity="1", unit_price="1234.5")
    invoice = invoice_issue(invoice=invoice, actor=alice.user)
    assert invoice.due_date is not None
    clock.move_to(dt.datetime.combine(invoice.due_date, dt.time(8), tzinfo=dt.UTC))
    scan_invoice_reminders(dt.datetime.now(dt.UTC))
    reminder = Notification.objects.get(kind="invoice_reminder_before", contact=dewi)
    _indonesian(reminder)
    assert "€1.234,50" in reminder.body


def test_hourly_invoice_lines_in_indonesian(shop: Project, alice: Persona, dewi: Contact) -> None:
    time_entry_add(
        project=shop,
        actor=alice.user,
        worked_on=dt.date(2026, 11, 20),
        hours="2",
        description="Desain",
        rate="50",
    )
    invoice = invoice_draft_hourly(project=shop, actor=alice.user, contact=dewi)
    line = invoice.lines.get()
    assert line.description == "20/11/2026 Desain"  # Indonesian short date, not ISO
