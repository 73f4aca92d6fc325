"""The provider's workspace and membership, for the navigation and the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def workspace(request: HttpRequest) -> dict[str, Any]:
    return {
        "workspace": getattr(request, "workspace", None),
        "membership": getattr(request, "membership", None),
    }
