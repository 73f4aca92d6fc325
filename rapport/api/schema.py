"""The OpenAPI description: bearer auth, the error body, and the schema view at api/v1/schema/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.permissions import AllowAny

API_PREFIX = "/api/v1/"


class HashedTokenScheme(OpenApiAuthenticationExtension):
    """Describe HashedTokenAuthentication as HTTP bearer auth (registered on import)."""

    target_class = "rapport.api.authentication.HashedTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token of the workspace: `Authorization: Bearer rpt_…`.",
        }


class ErrorSerializer(serializers.Serializer[Any]):
    """The one error body: messages by input field (``non_field_errors`` for the whole request)."""

    # A field named like Serializer.errors: fine, this serializer only describes, never validates.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


_ERROR_TEXT = {
    400: "Invalid input: the messages name the fields at fault.",
    401: "Missing, invalid or revoked token.",
    404: "No such object in this workspace (or no such page).",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_ERROR_TEXT[code]) for code in codes}


def only_v1(endpoints: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Preprocessing hook: describe only this API, whatever other DRF views the project grows."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def strict_request_bodies(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: request bodies refuse unknown keys (StrictInputMixin), so say so.

    With COMPONENT_SPLIT_REQUEST every request body is a component named ``…Request``.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result


# Applied only while this view renders, so the project-wide SPECTACULAR_SETTINGS stay as they are.
SCHEMA_SETTINGS: dict[str, Any] = {
    "PREPROCESSING_HOOKS": ["rapport.api.schema.only_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "rapport.api.schema.strict_request_bodies",
    ],
}


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, public (it describes the API, it reveals no data)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    custom_settings = SCHEMA_SETTINGS
