"""Where a tenant may make the server send a request: public addresses only.

A contact's webhook URL is chosen by whoever signed up a workspace, so without this check any
tenant could make the deliverer POST to the server's own loopback, its private network or the
cloud's metadata service (169.254.169.254). The check runs when the address is saved and again
when sending; the address checked at send time is the one connected to (``resolve_public``
returns it and the webhook channel connects to that IP, keeping the name for Host and TLS), so
a name that resolves elsewhere a second later (DNS rebinding) gains nothing.

``NOTIFICATION_ALLOW_PRIVATE_TARGETS`` (a server setting, never workspace data) lifts the
refusal for development and tests, whose endpoints listen on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 ranges that carry an IPv4 address inside: the embedded address is what is reached.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class TargetRefused(Exception):
    """The target is not a public address (or cannot be resolved); the message says why."""

    def __init__(self, message: str, *, permanent: bool = True) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``ip``) and what to say to it (host, path)."""

    scheme: str
    host: str
    port: int
    path: str  # path and query, as the request line carries them
    ip: str


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: Address) -> bool:
    """True for an address on the public internet: not loopback, private, link-local,
    multicast, reserved, unspecified or shared, in IPv4 or IPv6 (IPv4 inside IPv6 included)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            # The connection goes to the IPv4 address: judge that one (whatever the Python
            # version's view of ::ffff:0:0/96 is).
            return is_public(ip.ipv4_mapped)
        embedded = _embedded_ipv4(ip)
        if embedded is not None and not is_public(embedded):
            return False
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_unspecified
    )


def _allow_private() -> bool:
    return bool(settings.NOTIFICATION_ALLOW_PRIVATE_TARGETS)


def resolve_public(host: str, port: int) -> str:
    """The first address ``host`` resolves to, when every address it resolves to is public.

    Every address is checked, not only the first: a name with one public and one private
    address could otherwise be steered to the private one by the resolver's order.
    """
    try:
        literal: Address | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[Address] = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise TargetRefused(f"{host} does not resolve ({exc})", permanent=False) from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if not addresses:
            raise TargetRefused(f"{host} does not resolve", permanent=False)
    if not _allow_private():
        for ip in addresses:
            if not is_public(ip):
                raise TargetRefused(f"{host} is a private or reserved address ({ip})")
    return str(addresses[0])


def check_url(url: str) -> Target:
    """Parse an http(s) URL and resolve its host to a public address (raises TargetRefused)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise TargetRefused("not an http(s) URL")
    if parts.username or parts.password:
        raise TargetRefused("credentials in the URL are not sent")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused("bad port") from exc
    ip = resolve_public(parts.hostname, port)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=parts.hostname, port=port, path=path, ip=ip)


def validate_target_url(value: str, *, field: str) -> str:
    """The URL, stripped, when it is an http(s) address on the public internet; otherwise an
    ApplicationError naming ``field`` (used when a contact is saved)."""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ApplicationError(
            _("Enter the full http:// or https:// address of the webhook."), field=field
        )
    if parts.username or parts.password:
        raise ApplicationError(
            _("Leave the user name and password out of the webhook address."), field=field
        )
    try:
        check_url(text)
    except TargetRefused as exc:
        if not exc.permanent:
            raise ApplicationError(
                _("The address %(host)s could not be found; check its spelling.")
                % {"host": parts.hostname},
                field=field,
            ) from exc
        raise ApplicationError(
            _(
                "This address is not on the public internet (%(host)s): messages can only be "
                "sent to a public https:// or http:// address."
            )
            % {"host": parts.hostname},
            field=field,
        ) from exc
    return text
