"""Reading a workspace's mailbox over IMAP with the standard library's ``imaplib`` (P14).

Each message is fetched once: the folder's UIDVALIDITY and the last UID stored are kept on
the mailbox. A message is stored (``inbound_email_receive``) and the mailbox's last UID moved
in one transaction; only then is it marked \\Seen. Nothing is ever deleted, moved or expunged,
so a failure leaves the message where it was, unread, and the next poll takes it again.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import logging
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rapport.conversations.inbound_mail import inbound_email_receive
from rapport.conversations.mailbox_secrets import SealBroken, unseal
from rapport.conversations.mailboxes import mailbox_error_record
from rapport.conversations.models import Mailbox

logger = logging.getLogger(__name__)

# Seconds a socket waits for the server: a dead server costs one poll this long, no more.
TIMEOUT = 30
# Messages stored per poll; the rest come on the next one.
BATCH = 200
# On first connection, the unread mail of this many days is taken (not the whole archive).
FIRST_DAYS = 14


class MailboxError(Exception):
    """A failure the provider must hear about: ``code`` is a key of ``mailboxes.ERRORS``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def _words(exc: BaseException) -> str:
    text = exc.args[0] if exc.args else str(exc)
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return str(text) or exc.__class__.__name__


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def mailbox_session(mailbox: Mailbox) -> Iterator[imaplib.IMAP4]:
    """Logged in, the folder selected (read-write, to set \\Seen); logged out afterwards."""
    try:
        password = unseal(mailbox.password)
    except SealBroken as exc:
        raise MailboxError("password") from exc
    context = ssl.create_default_context()
    try:
        if mailbox.security == Mailbox.Security.SSL:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                mailbox.host, mailbox.port, ssl_context=context, timeout=TIMEOUT
            )
        else:
            conn = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT)
            if mailbox.security == Mailbox.Security.STARTTLS:
                conn.starttls(ssl_context=context)
    except ssl.SSLError as exc:
        raise MailboxError("tls", _words(exc)) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError("connect", _words(exc)) from exc
    try:
        try:
            conn.login(mailbox.username, password)
        except imaplib.IMAP4.error as exc:
            raise MailboxError("login", _words(exc)) from exc
        try:
            status, data = conn.select(_quoted(mailbox.folder))
        except imaplib.IMAP4.error as exc:
            raise MailboxError("folder", _words(exc)) from exc
        if status != "OK":
            raise MailboxError("folder", _words(Exception(*(data or [b""]))))
        yield conn
    finally:
        with suppress(OSError, imaplib.IMAP4.error):
            conn.logout()


def _number(conn: imaplib.IMAP4, name: str) -> int | None:
    _typ, data = conn.response(name)
    value = data[0] if data else None
    return int(value) if value else None


def _uids(conn: imaplib.IMAP4, *criteria: str) -> list[int]:
    status, data = conn.uid("SEARCH", *criteria)
    if status != "OK":
        raise MailboxError("protocol", _words(Exception(*(data or [b""]))))
    return sorted(int(u) for u in (data[0] or b"").split())


def _start_uid(conn: imaplib.IMAP4, now: datetime) -> int:
    """Where reading starts in a folder seen for the first time (or whose UIDVALIDITY changed):
    before its oldest unread message of the last FIRST_DAYS days, else at its end."""
    since = (now - timedelta(days=FIRST_DAYS)).strftime("%d-%b-%Y")
    unread = _uids(conn, "UNSEEN", "SINCE", since)
    if unread:
        return unread[0] - 1
    uidnext = _number(conn, "UIDNEXT")
    if uidnext is None:
        everything = _uids(conn, "ALL")
        return everything[-1] if everything else 0
    return uidnext - 1


def _text_of(message: EmailMessage) -> tuple[str, str]:
    text = html = ""
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        text = str(part.get_content())
    part = message.get_body(preferencelist=("html",))
    if part is not None:
        html = str(part.get_content())
    return text, html


def _received_at(message: EmailMessage, now: datetime) -> datetime:
    try:
        moment = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError):
        return now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # A sender's clock far in the future must not sort the message above everything else.
    return min(moment, now)


def message_store(*, mailbox: Mailbox, raw: bytes, uid: int, now: datetime) -> None:
    """Keep one raw message as the workspace's inbound email (inside the caller's
    transaction). A message without a Message-ID is named by its place in the mailbox, so that
    reading it twice keeps it once."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    senders = getaddresses([str(message.get("From", ""))])
    sender_name, sender = senders[0] if senders else ("", "")
    recipients = getaddresses(
        [str(v) for key in ("To", "Cc", "Delivered-To") for v in message.get_all(key, [])]
    )
    text, html = _text_of(message)
    message_id = str(message.get("Message-ID", "")).strip()
    if not message_id:
        message_id = f"<imap-{mailbox.pk}-{mailbox.uidvalidity}-{uid}@rapport.invalid>"
    inbound_email_receive(
        sender=sender,
        sender_name=sender_name,
        recipient=", ".join(address for _name, address in recipients if address),
        subject=re.sub(r"\s+", " ", str(message.get("Subject", ""))).strip(),
        text=text,
        html=html,
        message_id=message_id,
        in_reply_to=str(message.get("In-Reply-To", "")),
        references=str(message.get("References", "")),
        received_at=_received_at(message, now),
        workspace=mailbox.workspace,
        mailbox=mailbox,
    )


def _fetch(conn: imaplib.IMAP4, uid: int) -> bytes | None:
    # BODY.PEEK: reading does not mark the message \Seen; that waits until it is stored.
    status, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if status != "OK":
        raise MailboxError("protocol", _words(Exception(*(data or [b""]))))
    for item in data:
        if isinstance(item, tuple):
            return bytes(item[1])
    return None  # expunged by someone else meanwhile


def mailbox_read(conn: imaplib.IMAP4, mailbox: Mailbox, now: datetime) -> int:
    """Store the folder's messages after the last UID stored; the number stored."""
    uidvalidity = _number(conn, "UIDVALIDITY")
    if uidvalidity is None:
        raise MailboxError("protocol", "no UIDVALIDITY")
    if mailbox.uidvalidity != uidvalidity:
        # First connection, or the folder was re-created: its old UIDs mean nothing now.
        # Messages already stored are recognised by their Message-ID and kept once.
        mailbox.uidvalidity = uidvalidity
        mailbox.last_uid = _start_uid(conn, now)
        Mailbox.objects.filter(pk=mailbox.pk).update(
            uidvalidity=uidvalidity, last_uid=mailbox.last_uid
        )
    # "n:*" always matches the last message, even when its UID is below n.
    uids = [u for u in _uids(conn, "UID", f"{mailbox.last_uid + 1}:*") if u > mailbox.last_uid]
    stored = 0
    for uid in uids[:BATCH]:
        raw = _fetch(conn, uid)
        try:
            with transaction.atomic():
                if raw is not None:
                    message_store(mailbox=mailbox, raw=raw, uid=uid, now=now)
                Mailbox.objects.filter(pk=mailbox.pk).update(
                    last_uid=uid, stored_count=F("stored_count") + 1
                )
        except Exception as exc:
            # Stop here: this message and the ones after it stay unread and come next time.
            logger.exception("mailbox %s: storing UID %s failed", mailbox.pk, uid)
            raise MailboxError("store", _words(exc)) from exc
        mailbox.last_uid = uid
        stored += 1
        conn.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Seen)")
    return stored


def mailbox_poll(mailbox: Mailbox, now: datetime | None = None) -> int:
    """Read the mailbox once: the number of messages stored. A failure is recorded on the
    mailbox (shown in Settings) and cleared by the next success; it never raises."""
    now = now or timezone.now()
    try:
        with mailbox_session(mailbox) as conn:
            stored = mailbox_read(conn, mailbox, now)
    except MailboxError as exc:
        mailbox_error_record(mailbox=mailbox, code=exc.code, detail=exc.detail)
        return 0
    except (OSError, imaplib.IMAP4.error) as exc:
        mailbox_error_record(mailbox=mailbox, code="connect", detail=_words(exc))
        return 0
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=now, last_error="", last_error_detail="", last_error_at=None
    )
    mailbox.last_error = ""
    return stored
