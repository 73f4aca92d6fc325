"""A generic JSON webhook to the contact's own URL, off unless the server enables it.

The URL is typed by a tenant, so it is never handed to Apprise (whose URL options would let it
choose the method, headers, payload or timeouts) and never fetched by a library that resolves
the name again: the host is resolved and checked once (``targets.check_url``), the connection
goes to that address with the name kept for Host and TLS (SNI and certificate), redirects are
not followed, and a watchdog closes the socket when the server's send cap runs out.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import threading
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext_lazy

from rapport.notifications.channels.base import Channel, DeliveryError
from rapport.notifications.targets import Target, TargetRefused, check_url, validate_target_url

if TYPE_CHECKING:
    from rapport.notifications.models import Notification

USER_AGENT = "Rapport-Webhook/1"
# Client errors that will not change on a retry; 408 and 429 are worth another try.
RETRYABLE_4XX = {408, 425, 429}


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked IP, whatever the name resolves to by now."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.pinned_ip = target.ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_ip, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to the checked IP, verifying the certificate for the URL's host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.pinned_ip = target.ip
        self.tls = ssl.create_default_context()

    def connect(self) -> None:
        raw = socket.create_connection((self.pinned_ip, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def _shut(connection: http.client.HTTPConnection) -> None:
    """The send cap ran out: close the socket under the request, which then fails at once."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def post_json(url: str, payload: dict[str, Any], headers: dict[str, str]) -> int:
    """POST ``payload`` to ``url`` (a checked, pinned address) within the send cap; the status.

    Raises DeliveryError: permanent for a refused address, temporary for a network failure
    or a timeout.
    """
    try:
        target = check_url(url)
    except TargetRefused as exc:
        raise DeliveryError(f"webhook address refused: {exc}", permanent=exc.permanent) from exc
    cap = float(settings.NOTIFICATION_SEND_TIMEOUT_SECONDS)
    deadline = time.monotonic() + cap
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target, timeout=cap)
    body = json.dumps(payload, ensure_ascii=False).encode()
    watchdog: threading.Timer | None = None
    try:
        connection.connect()
        watchdog = threading.Timer(max(deadline - time.monotonic(), 0.0), _shut, (connection,))
        watchdog.daemon = True
        watchdog.start()
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        response = connection.getresponse()
        response.read(65536)
        return int(response.status)
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:
            raise DeliveryError(f"webhook timed out after {cap:g} s") from exc
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        if watchdog is not None:
            watchdog.cancel()
        connection.close()


class WebhookChannel(Channel):
    kind = "webhook"
    label = gettext_lazy("Webhook (JSON)")
    address_field = "webhook_url"

    def is_configured(self) -> bool:
        # The address is the whole destination, chosen by a tenant: the server opts in.
        return bool(settings.NOTIFICATION_WEBHOOKS_ENABLED)

    def validate_address(self, value: str) -> str:
        return validate_target_url(value, field="webhook_url")

    def build_payload(self, notification: Notification) -> dict[str, Any]:
        # The shape Apprise's json:// sent before, so receivers written for it keep working.
        return {
            "version": "1.0",
            "title": notification.subject,
            "message": notification.body.rstrip(),
            "type": "info",
        }

    def send(self, notification: Notification, session: Any = None) -> None:
        if not self.is_configured():
            raise DeliveryError("webhooks are turned off on this server", permanent=True)
        status = post_json(
            notification.address,
            self.build_payload(notification),
            # The notification id, so the receiver can drop a repeat.
            {"X-Idempotency-Key": notification.idempotency_key},
        )
        if 200 <= status < 300:
            return
        permanent = 400 <= status < 500 and status not in RETRYABLE_4XX
        raise DeliveryError(f"webhook answered HTTP {status}", permanent=permanent)


channel = WebhookChannel()
