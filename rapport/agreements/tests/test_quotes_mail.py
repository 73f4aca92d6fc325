# ruff: noqa: F811  (pytest fixtures imported from the fixture modules)
"""The quote reaches a Romanian contact over real SMTP, in Romanian (P28, P29)."""

from __future__ import annotations

from rapport.agreements.tests.quote_fixtures import (  # noqa: F401 (fixtures)
    brasov,
    catalogue,
    clock,
    ioana,
    sent,
)
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Notification
from rapport.notifications.tests.conftest import (  # noqa: F401 (fixtures)
    SmtpServer,
    smtp_server,
    smtp_settings,
)
from rapport.projects.models import Project


def test_ioana_receives_the_quote_in_romanian(
    alice: Persona, ioana: Contact, catalogue: Project, smtp_settings: SmtpServer
) -> None:
    quote = sent(alice, catalogue, ioana, currency="RON", language="ro", title="Catalog online")
    assert deliver_due(worker="test") == 1
    assert smtp_settings.wait_for(1)
    received = smtp_settings.received[0]
    assert received.rcpt_tos == ["ioana@brasov.example"]
    text = received.text
    assert text.startswith("Bună ziua, Ioana Popescu,")  # greeted by name, in Romanian (P29)
    assert "1.240,00\u00a0RON" in text  # money as Romanians write it
    assert "7 dec 2026" in text  # the validity date in Romanian
    assert "Vă mulțumim," in text
    assert f"/p/quotes/{quote.pk}/" in text
    html = received.html
    assert "Bună ziua, Ioana Popescu," in html
    note = Notification.objects.get(kind="quote_sent")
    assert (note.language, note.state) == ("ro", Notification.State.SENT)
