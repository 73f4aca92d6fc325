"""API errors as JSON naming the field and the reason; ApplicationError becomes a 400."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from rapport.core.errors import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        code = status.HTTP_404_NOT_FOUND if exc.code == "not_found" else status.HTTP_400_BAD_REQUEST
        if exc.code == "forbidden":
            code = status.HTTP_403_FORBIDDEN
        return Response({"errors": exc.as_dict()}, status=code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = response.data
        if not isinstance(detail, dict):
            detail = {"non_field_errors": detail}
        response.data = {"errors": detail}
    elif isinstance(exc, Http404 | exceptions.NotFound):
        response.data = {"errors": {"non_field_errors": ["Not found."]}}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"errors": {"non_field_errors": [str(response.data["detail"])]}}
    return response
