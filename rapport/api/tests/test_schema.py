"""The published OpenAPI document: valid, warning-free, and it documents every filter."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

FILTERS = {
    "/api/v1/clients/": {"q", "status", "owner", "archived"},
    "/api/v1/contacts/": {"client", "q", "archived"},
    "/api/v1/projects/": {"client", "status", "archived"},
    "/api/v1/milestones/": {"project", "due_within_days", "open", "archived"},
    "/api/v1/deliverables/": {"milestone", "archived"},
}


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    GENERATOR_STATS.reset()
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert not GENERATOR_STATS, "drf-spectacular warned while generating the schema"
    schema: dict[str, Any] = response.json()
    return schema


def test_schema_is_valid_openapi(schema: dict[str, Any]) -> None:
    validate_schema(schema)
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


@pytest.mark.parametrize(("path", "names"), list(FILTERS.items()))
def test_list_filters_are_documented(schema: dict[str, Any], path: str, names: set[str]) -> None:
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
    assert names | {"cursor", "page_size"} == set(parameters)
    assert all(parameters[name]["in"] == "query" for name in names)


def test_every_operation_documents_its_errors(schema: dict[str, Any]) -> None:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "401" in operation["responses"], (method, path)
            if "{id}" in path:
                assert "404" in operation["responses"], (method, path)
            if method in {"post", "patch"} and operation.get("requestBody"):
                assert "400" in operation["responses"], (method, path)


def test_request_bodies_refuse_unknown_fields(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert components["ProjectRequest"]["additionalProperties"] is False
    assert "client" not in components["PatchedProjectUpdateRequest"]["properties"]
    assert components["Project"]["properties"]["budget"]["type"] == "string"
