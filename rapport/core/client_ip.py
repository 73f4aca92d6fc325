"""The client's address: the one function that rate limits, django-axes and signature evidence
read it through.

Without ``BEHIND_PROXY`` the socket's address is the client's. Behind the documented reverse
proxy every request comes from the proxy, so a lockout of "its" address would lock out every
user at once (anyone could lock a provider out with a few wrong passwords). There the client is
the last address in X-Forwarded-For: the one our proxy appended. Earlier entries are whatever
the client chose to send and are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, normalised, or None when there is no valid one.

    Also django-axes' ``AXES_CLIENT_IP_CALLABLE``.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = _valid(forwarded.split(",")[-1])
            if address is not None:
                return address
    return _valid(request.META.get("REMOTE_ADDR", "") or "")
