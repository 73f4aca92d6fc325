"""What every channel provides: address checks at save time, and sending at delivery time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError

if TYPE_CHECKING:
    from rapport.notifications.models import Notification


class DeliveryError(Exception):
    """A send that failed. ``permanent`` failures are not retried on this channel."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel:
    kind: ClassVar[str]
    label: ClassVar[Any]  # a lazily translated name
    # The contact field holding this channel's address.
    address_field: ClassVar[str]

    def validate_address(self, value: str) -> str:
        """Return the normalised address or raise ApplicationError naming the field."""
        raise NotImplementedError

    def is_configured(self) -> bool:
        return True

    def is_offered_by(self, workspace: Any) -> bool:
        """Set up on the server and not turned off by the workspace."""
        return self.is_configured() and self.kind not in (workspace.channels_off or [])

    def check_configured(self, workspace: Any = None) -> None:
        if workspace is not None and self.is_configured() and not self.is_offered_by(workspace):
            raise ApplicationError(
                _(
                    "%(channel)s is turned off for this workspace (Settings); "
                    "choose another channel."
                )
                % {"channel": self.label},
                field="preferred_channel",
            )
        if not self.is_configured():
            raise ApplicationError(
                _(
                    "%(channel)s is not set up on this server (its credentials are missing); "
                    "choose another channel."
                )
                % {"channel": self.label},
                field="preferred_channel",
            )

    def open_session(self) -> Any:
        """A connection to reuse for a batch of sends (None when the channel has none)."""
        return None

    def close_session(self, session: Any) -> None:
        """Close what ``open_session`` opened."""

    def send(self, notification: Notification, session: Any = None) -> None:
        raise NotImplementedError


class AppriseChannel(Channel):
    """A channel sent through Apprise, from a URL template in the settings.

    ``CHANNEL_URLS[kind]`` holds the provider URL with its credentials and ``{to}`` where the
    contact's address goes, e.g. ``tgram://BOT_TOKEN/{to}``. The URL handed to Apprise is
    rebuilt for each send from the server's template and the contact's address alone: the
    address is checked again and percent-quoted into one path segment, so nothing a tenant
    typed can add an Apprise option (``?method=``, ``+Header=``, ``rto=``, ``verify=``, …),
    and the timeouts are the server's send cap, whatever the template says.
    """

    def url_template(self) -> str:
        return str(settings.CHANNEL_URLS.get(self.kind) or "")

    def is_configured(self) -> bool:
        return "{to}" in self.url_template()

    def target(self, notification: Notification) -> str:
        """The contact's address as this provider's URL wants it."""
        return notification.address

    def build_url(self, notification: Notification) -> str:
        # The address was checked when the contact was saved; it is checked again here, since
        # the row may have been written another way (a fallback, an import, an older version).
        try:
            address = self.validate_address(notification.address)
        except ApplicationError as exc:
            raise DeliveryError(f"invalid {self.kind} address", permanent=True) from exc
        notification.address = address
        to = quote(self.target(notification), safe="@+")
        template = urlsplit(self.url_template())
        cap = f"{float(settings.NOTIFICATION_SEND_TIMEOUT_SECONDS):g}"
        # The server's own options stay; the timeouts are set to the cap.
        query = [
            (key, value)
            for key, value in parse_qsl(template.query, keep_blank_values=True)
            if key not in {"cto", "rto"}
        ] + [("cto", cap), ("rto", cap)]
        return urlunsplit(
            template._replace(
                netloc=template.netloc.replace("{to}", to),
                path=template.path.replace("{to}", to),
                query=urlencode(query, safe="{}@+/:"),
            )
        )

    def build_message(self, notification: Notification) -> tuple[str, str]:
        """(title, body) as the provider will get them."""
        return notification.subject, notification.body

    def send(self, notification: Notification, session: Any = None) -> None:
        # Imported when sending: apprise takes over half a second to import; only `deliver` sends.
        import apprise

        if not self.is_configured():
            raise DeliveryError(f"{self.kind} is not configured", permanent=True)
        sender = apprise.Apprise()
        if not sender.add(self.build_url(notification)):
            raise DeliveryError(f"invalid {self.kind} URL for this address", permanent=True)
        title, body = self.build_message(notification)
        if not sender.notify(body=body, title=title):
            raise DeliveryError(f"{self.kind} provider refused or was unreachable")
