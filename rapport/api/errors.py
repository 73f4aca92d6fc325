"""API errors as JSON naming the field and the reason; ApplicationError becomes a 400.

Every error body has one shape, ``{"errors": {field: [message, ...]}}``, so a client can attach
each message to the input it came from. Nested input errors (a glossary entry, the third tag)
stay under their top-level field with the path in front of the message
(``{"glossary": ["1.meaning: This field is required."]}``), which keeps the shape flat.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from rapport.core.errors import ApplicationError


def _messages(value: Any, path: tuple[str, ...] = ()) -> list[str]:
    """Flatten DRF's nested error detail (dicts of lists of dicts…) into plain messages."""
    if isinstance(value, dict):
        return [m for key, sub in value.items() for m in _messages(sub, (*path, str(key)))]
    if isinstance(value, list):
        out: list[str] = []
        for index, item in enumerate(value):
            # A list of strings is a list of messages; a list of dicts is one per input item.
            out += _messages(item, (*path, str(index)) if isinstance(item, dict | list) else path)
        return out
    return [f"{'.'.join(path)}: {value}" if path else str(value)]


def errors_by_field(detail: Any) -> dict[str, list[str]]:
    if not isinstance(detail, dict):
        return {"non_field_errors": _messages(detail)}
    return {str(field): _messages(value) for field, value in detail.items()}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        code = {"not_found": status.HTTP_404_NOT_FOUND, "forbidden": status.HTTP_403_FORBIDDEN}.get(
            exc.code, status.HTTP_400_BAD_REQUEST
        )
        return Response({"errors": exc.as_dict()}, status=code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": errors_by_field(response.data)}
    elif isinstance(exc, Http404 | exceptions.NotFound):
        response.data = {"errors": {"non_field_errors": [_("Not found.")]}}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"errors": {"non_field_errors": [str(response.data["detail"])]}}
    return response
