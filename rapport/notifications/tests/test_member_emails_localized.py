"""Every email to a member (alert notices, the daily digest, invitations, sign-up and password
mails), rendered in English, Greek, Romanian and Indonesian, shows dates day first with a
24-hour clock and never ISO (docs/formatting.md). Alerts carry stored values (an ISO date, an
amount with its code, a composed text); the reader sees them in their language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from rapport.core.tests.readable_text import unreadable_dates
from rapport.core.texts import text_ref
from rapport.notifications.models import Alert

TEMPLATES = Path(settings.BASE_DIR) / "rapport" / "templates"
FOLDERS = ("notifications/email", "accounts/email")
LANGUAGES = ("en", "el", "ro", "id")
DUE = dt.datetime(2026, 12, 18, 16, 30, tzinfo=dt.UTC)
# The values each kind's sentence needs, as the services store them.
DATA: dict[str, dict[str, Any]] = {
    "quote_expiring": {"ref": "Q-7", "title": "Shop", "date": "2026-12-18"},
    "invoice_overdue": {
        "number": "2026-0007",
        "client": "Acme",
        "balance": "330.00 EUR",
        "due": "2026-12-18",
    },
    "update_due": {"wording": text_ref("commitment.update", title="Shop")},
    "reply_received": {"name": "Carol", "subject": text_ref("request.no_subject")},
}


def templates() -> list[str]:
    names = sorted(
        f"{folder}/{path.name.removesuffix('_subject.txt')}"
        for folder in FOLDERS
        for path in (TEMPLATES / folder).glob("*_subject.txt")
    )
    assert len(names) >= 6  # the scan would pass vacuously if the folders moved
    return names


def alerts() -> list[Alert]:
    """One unsaved alert of every kind, with a due time and the data its sentence reads."""
    generic = {
        "name": "Carol",
        "subject": "New banner",
        "wording": "Logo drafts",
        "title": "Designs",
        "project": "Shop",
        "progress": 40,
        "expected": 70,
        "channel": "email",
        "error": "mailbox full",
        "sender": "x@example.com",
        "number": 2,
        "ref": "Q-7",
        "feedback": "too dear",
        "agreed": True,
    }
    return [
        Alert(kind=kind, data=DATA.get(kind, generic), due_at=DUE, dedupe_key=kind)
        for kind in Alert.Kind.values
    ]


def context() -> dict[str, Any]:
    user = SimpleNamespace(name="Alice", email="alice@example.com")
    return {
        "alert": alerts()[0],
        "alerts": alerts(),
        "client_name": "Acme",
        "user": user,
        "inviter": user,
        "workspace": SimpleNamespace(name="Alice Design"),
        "url": "https://rapport.example/x/",
        "login_url": "https://rapport.example/login/",
        "reset_url": "https://rapport.example/reset/",
        "hours": 3,
        "protocol": "https",
        "domain": "rapport.example",
        "uid": "MQ",
        "token": "abc-123",
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", templates())
def test_member_email_has_no_iso_or_us_date(template: str, language: str) -> None:
    ctx = context()
    with translation.override(language), timezone.override("Europe/Bucharest"):
        parts = [
            render_to_string(f"{template}_subject.txt", ctx, using="text"),
            render_to_string(f"{template}.txt", ctx, using="text"),
            render_to_string(f"{template}.html", ctx),
        ]
    for part in parts:
        assert not unreadable_dates(part.replace("2026-0007", "")), (template, language, part)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("alert", alerts(), ids=lambda a: a.kind)
def test_every_alert_notice_reads_in_the_members_language(alert: Alert, language: str) -> None:
    ctx = {**context(), "alert": alert}
    with translation.override(language), timezone.override("Europe/Bucharest"):
        text = render_to_string("notifications/email/alert_notice.txt", ctx, using="text")
        sentence = alert.describe()
    assert sentence and sentence in text
    assert not unreadable_dates(text.replace("2026-0007", "")), (alert.kind, language, text)
    # Stored values are written out: no ISO date, no "330.00 EUR", no raw reference.
    assert "2026-12-18" not in sentence and "330.00 EUR" not in sentence
    assert "{'text'" not in sentence


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("18 Dec 2026", "€330.00", "Progress update on Shop", "(no subject)")),
        ("el", ("18 Δεκεμβρίου 2026", "330,00\xa0€", "για το Shop", "(χωρίς θέμα)")),
        ("ro", ("18 dec 2026", "330,00\xa0EUR", "pentru Shop", "(fără subiect)")),
        ("id", ("18 Des 2026", "€330,00", "untuk Shop", "(tanpa subjek)")),
    ],
)
def test_stored_values_in_alerts_are_the_readers(language: str, expected: tuple[str, ...]) -> None:
    shown = {}
    with translation.override(language):
        for alert in alerts():
            if alert.kind in DATA:
                shown[alert.kind] = alert.describe()
    date, money, update, no_subject = expected
    assert date in shown["quote_expiring"] and date in shown["invoice_overdue"]
    assert money in shown["invoice_overdue"]
    assert update in shown["update_due"]
    assert no_subject in shown["reply_received"]
