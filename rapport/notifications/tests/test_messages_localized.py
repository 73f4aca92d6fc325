"""Every client-facing message template, rendered in English, Greek, Romanian and Indonesian,
carries no ISO date, no US-order date or 12-hour time (docs/formatting.md) and, translated, no
English heading of the progress update (P29): dates, money and percentages take the contact's
language's formats, and the HTML says which language it is in."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from rapport.core.tests.readable_text import unreadable_dates
from rapport.notifications.services import render_message
from rapport.projects.pulse_links import LABELS, faces

PULSE_URL = "https://rapport.example/p/pulse/t0ken/"

MESSAGES = Path(settings.BASE_DIR) / "rapport" / "templates" / "notifications" / "messages"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The headings the progress update adds around the provider's note: English would mean the
# message was not composed in the contact's language.
HEADINGS = (
    "Since the last update:",
    "Where things stand:",
    "At risk, and what we are doing",
    "How are we doing?",
)
LANGUAGES = ("en", "el", "ro", "id")
TRANSLATED = ("el", "ro", "id")
# The 4th of December: in US order it would read 12/04/2026 or "Dec. 4, 2026".
DUE = dt.date(2026, 12, 4)
US_ORDER = ("12/04/2026", "12/4/2026", "12/18/2026", "Dec. 4", "December 4")


def templates() -> list[str]:
    names = sorted(p.name.removesuffix("_subject.txt") for p in MESSAGES.glob("*_subject.txt"))
    assert len(names) >= 19  # the scan would pass vacuously if the folder moved
    return names


def context() -> dict[str, Any]:
    """Every variable the message templates read, with a date, a time or money where they
    expect one (a missing variable renders empty and would hide a format)."""
    milestone = SimpleNamespace(title="Launch", due_date=DUE, progress=60, is_done=False)
    finished = SimpleNamespace(title="Designs", due_date=DUE, progress=100, is_done=True)
    eta = dt.datetime(2026, 12, 4, 14, 30, tzinfo=dt.UTC)
    project = SimpleNamespace(title="New shop")
    return {
        "contact": SimpleNamespace(name="Carol"),
        "workspace_name": "Alice Design",
        "project": project,
        "milestone": milestone,
        "old_due": DUE,
        "new_due": DUE + dt.timedelta(days=14),
        "reason": "the supplier is late",
        "plan": "we work on the pages meanwhile",
        "update": SimpleNamespace(no_big_news=False, body="The home page is ready."),
        "progressed": [finished],
        "open": [milestone],
        "at_risk": [milestone],
        "next_dates": [milestone],
        "has_cadence": True,
        "cadence": "Weekly",
        "weekday": "Friday",
        "response_hours": 4,
        "invoice": SimpleNamespace(
            display_number="2026-0007",  # an invoice number, not a date: left out of the scan
            total=Decimal("1234.50"),
            balance=Decimal("1234.50"),
            currency="EUR",
            due_date=DUE,
            project=project,
        ),
        "days": 3,
        "survey_days": 3,
        "quote": SimpleNamespace(
            title="Shop", reference="Q-12", total=Decimal("4000"), currency="EUR", valid_until=DUE
        ),
        "request": SimpleNamespace(
            subject="New banner", shown_subject="New banner", reference="R-3", eta=eta
        ),
        "document": SimpleNamespace(title="Contract", kind="contract"),
        "sign_by": DUE,
        "commitment": SimpleNamespace(
            wording="send the designs",
            shown_wording="send the designs",
            shown_reason="the brand changed",
            due_at=eta,
        ),
        "brief": SimpleNamespace(title="Brief"),
        "count": 3,
        "deliverable": SimpleNamespace(title="Home page"),
        "round": SimpleNamespace(number=3, description="Bigger logo"),
        "free_rounds": 2,
        "rate": Decimal("45"),
        "currency": "EUR",
        "estimate": Decimal("2.5"),
        "code": "123456",
        "minutes": 15,
        "hours": 72,
        "message": "Thank you.",
        "url": "https://rapport.example/p/x/",
        "portal_url": "https://rapport.example/p/",
        # Problems (care): our own mistake, so the apology and prevention lines render too.
        "problem": SimpleNamespace(
            title="Wrong colours",
            is_ours=True,
            what_happened="We printed the old palette.",
            apology="We are sorry.",
            impact_days=3,
            impact_amount=Decimal("150"),
            currency="EUR",
            plan="We reprint this week.",
            prevention="A proof check before printing.",
            resolution="Reprinted and delivered.",
            # Goodwill told in the resolution report (P35); the reminder's date of the report.
            goodwill_tell=True,
            goodwill_hours=Decimal("2.5"),
            goodwill_hours_shown=Decimal("2.5"),
            created_at=eta,
        ),
        "alternatives": [
            SimpleNamespace(description="Reprint", cost=Decimal("0"), due_date=DUE),
            SimpleNamespace(description="Digital only", cost=Decimal("50"), due_date=DUE),
        ],
        "chosen": SimpleNamespace(description="Reprint"),
        # A recommendation waiting for the client's decision (care, P36).
        "decision": SimpleNamespace(
            title="Which payment provider",
            recommendation="Card payments: your clients abroad pay by card.",
            currency="EUR",
        ),
        "options": [
            SimpleNamespace(
                shown_label="Card payments", cost=Decimal("0"), due_date=DUE, recommended=True
            ),
            SimpleNamespace(
                shown_label="Bank transfer only", cost=None, due_date=None, recommended=False
            ),
        ],
        "owner_name": "Dana",
        "extras": [SimpleNamespace(title="A favicon set")],
        "owner_email": "dana@alice.example",
        # The pulse at the end of a progress update (P23): five faces, each a link.
        "channel": "email",
        "pulse_url": PULSE_URL,
        "pulse_faces": faces(PULSE_URL),
    }


def without_numbers(text: str) -> str:
    return text.replace("2026-0007", "")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", templates())
def test_message_has_no_iso_date_and_no_english_heading(template: str, language: str) -> None:
    subject, text, html = render_message(template, context(), language, "Asia/Jakarta")
    for part in (subject, text, html):
        assert not ISO_DATE.search(without_numbers(part)), (template, language, part)
        assert not unreadable_dates(without_numbers(part)), (template, language, part)
        for us_date in US_ORDER:
            assert us_date not in part, (template, language, us_date)
        for heading in HEADINGS if language in TRANSLATED else ():
            assert heading not in part, (template, language, heading)
    assert html.startswith(f'<div lang="{language}">')


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_and_money_take_the_languages_formats(language: str) -> None:
    _subject, text, _html = render_message("invoice_reminder_before", context(), language)
    expected = {
        "en": ("4 Dec 2026", "€1,234.50"),
        "el": ("4 Δεκεμβρίου 2026", "1.234,50\xa0€"),
        "ro": ("4 dec 2026", "1.234,50\xa0EUR"),
        "id": ("4 Des 2026", "€1.234,50"),
    }[language]
    for piece in expected:
        assert piece in text, (language, piece, text)


@pytest.mark.parametrize("language", TRANSLATED)
def test_magic_link_email_greets_in_the_contacts_language(language: str) -> None:
    _subject, text, html = render_message("portal_link", context(), language)
    # The greeting is translated in rapport/locale for every language.
    with translation.override(language):
        greeting = translation.gettext("Hello %(name)s,") % {"name": "Carol"}
    assert greeting != "Hello Carol," and greeting in text
    assert html.startswith(f'<div lang="{language}">')


@pytest.mark.parametrize("language", LANGUAGES)
def test_progress_update_ends_with_five_faces_in_the_language(language: str) -> None:
    _subject, text, html = render_message("progress_update", context(), language)
    with translation.override(language):
        question = translation.gettext("How are we doing?")
        labels = [str(label) for label in LABELS.values()]
    for part in (text, html):
        assert question in part
        for score, label in enumerate(labels, start=1):
            assert f"{PULSE_URL}{score}/" in part and label in part
    # Other channels (a chat message) get one line: the page of the five faces.
    _subject, chat, _html = render_message(
        "progress_update", {**context(), "channel": "telegram"}, language
    )
    assert f"{PULSE_URL}1/" not in chat and f" {PULSE_URL}\n" in chat
