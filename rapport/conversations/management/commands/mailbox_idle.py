"""Wait on one workspace's mailbox with IMAP IDLE: a reply is stored seconds after it lands,
not at the next minute's poll. Without IDLE on the server it polls once a minute."""

from __future__ import annotations

import imaplib
import select
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rapport.conversations.imap import MailboxError, mailbox_read, mailbox_session
from rapport.conversations.mailboxes import POLL_SECONDS, mailbox_error_record
from rapport.conversations.models import Mailbox

# RFC 2177: a server may drop an idle client after 30 minutes; renew before.
IDLE_SECONDS = 25 * 60
TAG = b"RPIDLE"


def idle_wait(conn: imaplib.IMAP4, seconds: float, stop: threading.Event) -> None:
    """Block until the server announces new mail, ``seconds`` pass or ``stop`` is set."""
    if "IDLE" not in conn.capabilities:
        stop.wait(POLL_SECONDS)
        return
    conn.send(TAG + b" IDLE\r\n")
    if not conn.readline().startswith(b"+"):
        raise MailboxError("protocol", "IDLE refused")
    waited = 0.0
    while waited < seconds and not stop.is_set():
        # Short waits so that SIGTERM is heard within a second.
        ready, _w, _x = select.select([conn.socket()], [], [], 1.0)
        waited += 1.0
        if ready:
            line = conn.readline()
            if not line:
                raise MailboxError("connect", "connection closed")
            if line.rstrip().endswith((b"EXISTS", b"RECENT")):
                break
    conn.send(b"DONE\r\n")
    while not conn.readline().startswith(TAG + b" "):
        pass


class Command(BaseCommand):
    help = "Store each message of one workspace's mailbox as it arrives (IMAP IDLE)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("mailbox", type=int, help="The mailbox id (see the Django admin).")
        parser.add_argument(
            "--once", action="store_true", help="Exit after the first message stored."
        )

    def handle(self, *args: Any, mailbox: int, once: bool = False, **options: Any) -> None:
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        while not stop.is_set():
            found = Mailbox.objects.select_related("workspace").filter(pk=mailbox).first()
            if found is None:
                raise CommandError(f"No mailbox {mailbox}.")
            try:
                with mailbox_session(found) as conn:
                    while not stop.is_set():
                        stored = mailbox_read(conn, found, timezone.now())
                        if stored:
                            self.stdout.write(f"{stored} message(s) stored")
                            if once:
                                return
                        idle_wait(conn, IDLE_SECONDS, stop)
            except MailboxError as exc:
                mailbox_error_record(mailbox=found, code=exc.code, detail=exc.detail)
                self.stderr.write(f"{exc.code}: {exc.detail}")
                stop.wait(POLL_SECONDS)
            except (OSError, imaplib.IMAP4.error) as exc:
                mailbox_error_record(mailbox=found, code="connect", detail=str(exc))
                stop.wait(POLL_SECONDS)
