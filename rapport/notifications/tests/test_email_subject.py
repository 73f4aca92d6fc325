"""A long subject in Romanian or Greek reaches the reader letter for letter over SMTP.

Python 3.12's header folder, at 78 characters, lost the space before an encoded word it moved
to the next line, or doubled it; the email channel no longer folds headers (a subject fits on
one line of 998)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rapport.clients.models import Contact
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Notification
from rapport.notifications.tests.conftest import SmtpServer

SUBJECTS = [
    "Câteva întrebări înainte de a începe: Întrebări înainte de start",
    "Your contract to sign: Contract pentru Magazin online de prăjituri",
    "Η προσφορά μας για το Νέο ηλεκτρονικό κατάστημα με παραγγελίες για τούρτες (Q-12)",
    "Bine ați venit: „Magazin online de prăjituri” începe acum, împreună cu echipa noastră "
    "de design și dezvoltare, pentru toate cele patru pagini și coșul de cumpărături",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_long_non_english_subject_arrives_unchanged(
    smtp_settings: SmtpServer, carol: Contact, subject: str
) -> None:
    Notification.objects.create(
        workspace_id=carol.workspace_id,
        client=carol.client,
        contact=carol,
        kind="test",
        channel="email",
        address=carol.email,
        language="ro",
        subject=subject,
        body="Bună ziua",
        html="<p>Bună ziua</p>",
        not_before=timezone.now(),
    )
    assert deliver_due(worker="w") == 1
    assert smtp_settings.wait_for(1)
    [received] = smtp_settings.received
    assert received.message["Subject"] == subject
    header = received.raw.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= 998 for line in header.split(b"\r\n"))
