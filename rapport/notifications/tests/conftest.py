"""Real servers on 127.0.0.1 for the delivery tests: an SMTP server (aiosmtpd) and an HTTP
endpoint (http.server). Messages really travel over sockets; nothing leaves the machine and
nothing is mocked."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_django.fixtures import Settings as SettingsWrapper


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def smtp_mailers(port: int) -> dict[str, dict[str, Any]]:
    """MAILERS sending over SMTP to 127.0.0.1:``port`` (overriding the locmem backend that
    Django's test set-up puts in place)."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


# --- SMTP -------------------------------------------------------------------------------------


@dataclass
class Received:
    """One message as the SMTP server accepted it."""

    raw: bytes
    message: EmailMessage
    mail_from: str
    rcpt_tos: list[str]

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"] or "")

    @property
    def text(self) -> str:
        """The text/plain part."""
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "the email has no text/plain part"
        return str(part.get_content())

    @property
    def html(self) -> str:
        """The text/html part."""
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None, "the email has no text/html part"
        return str(part.get_content())


class RecordingHandler:
    """aiosmtpd handler that keeps every accepted message (duplicates included)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        # Seconds to wait before answering DATA: a slower server, as over a real network.
        self.delay = 0.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        raw = bytes(envelope.original_content or envelope.content)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.arrived:
            self.received.append(
                Received(
                    raw=raw,
                    message=parsed,
                    mail_from=str(envelope.mail_from),
                    rcpt_tos=[str(r) for r in envelope.rcpt_tos],
                )
            )
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    handler: RecordingHandler

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def message_ids(self) -> list[str]:
        return [r.message_id for r in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until at least ``count`` messages arrived; False on timeout."""
        deadline = time.monotonic() + timeout
        with self.handler.arrived:
            while len(self.handler.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.handler.arrived.wait(left)
        return True


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """An aiosmtpd server on a free port of 127.0.0.1, recording what it receives."""
    mail_log = logging.getLogger("mail.log")  # aiosmtpd logs every SMTP command at INFO
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield SmtpServer(port=port, handler=handler)
    finally:
        controller.stop()
        mail_log.setLevel(level)


@pytest.fixture
def smtp_settings(settings: SettingsWrapper, smtp_server: SmtpServer) -> SmtpServer:
    """Email goes over SMTP to ``smtp_server`` instead of Django's test outbox."""
    settings.MAILERS = smtp_mailers(smtp_server.port)
    return smtp_server


# --- HTTP -------------------------------------------------------------------------------------


@dataclass
class HookRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HookServer:
    port: int
    status: int = 200
    delay: float = 0.0
    requests: list[HookRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def received(self) -> list[HookRequest]:
        with self.lock:
            return list(self.requests)


@pytest.fixture
def hook_server(settings: SettingsWrapper) -> Iterator[HookServer]:
    """A local HTTP endpoint recording every POST; it answers ``hook.status`` after
    ``hook.delay`` seconds. Webhooks are enabled and may reach 127.0.0.1 while it runs (both
    are off by default: targets.py)."""
    settings.NOTIFICATION_WEBHOOKS_ENABLED = True
    settings.NOTIFICATION_ALLOW_PRIVATE_TARGETS = True
    hook = HookServer(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if hook.delay:
                time.sleep(hook.delay)
            with hook.lock:
                hook.requests.append(
                    HookRequest(
                        method="POST",
                        path=self.path,
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=body,
                    )
                )
            self.send_response(hook.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    hook.port = int(server.server_address[1])
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
