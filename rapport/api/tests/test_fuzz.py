"""Schemathesis: every operation of the published schema, fed generated input, as alice.

The API must never answer 5xx, and every answer must match the schema (status code, content
type, body). Generated ids are often replaced by alice's real rows (see _steer), so that the
services are reached with real objects rather than only with made-up ids.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from rapport.accounts.services import api_token_create
from rapport.conftest import Persona

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    # Input the schema calls invalid is refused (4xx), not stored.
    negative_data_rejection,
]
# Each operation, each mode: enough to reach every branch of the serializers, bounded in time.
FUZZ = settings(
    max_examples=20,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the work tree
    derandomize=True,  # the same cases on every run: CI must not be flaky
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure prints its case anyway
    suppress_health_check=list(HealthCheck),
)
# Body fields and filters that name a row, and which kind of row they name.
REFERENCES = {
    "client": "client",
    "project": "project",
    "milestone": "milestone",
    "account_owner": "user",
    "owner": "user",
}

VALID_VALUES = {
    "timezone": ["Europe/Athens", "Asia/Jakarta", "UTC"],
    "currency": ["EUR", "RON", "IDR"],
}
SERIAL = itertools.count()


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Run the WSGI app inside the test's transaction.

    Django closes the connection at the end of each request (CONN_MAX_AGE=0); that would end
    the test's transaction, so the signal is unhooked for the test, as Django's test client does.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _real_rows(alice: Persona, layouts: Any, carol: Any) -> dict[str, list[Any]]:
    milestone = layouts.milestone
    project = milestone.project
    return {
        "clients": [carol.client_id],
        "contacts": [carol.pk],
        "projects": [project.pk],
        "milestones": [milestone.pk],
        "deliverables": [layouts.pk],
        "client": [carol.client_id],
        "project": [project.pk],
        "milestone": [milestone.pk],
        "user": [alice.user.pk],
        # Within the project's dates, where a milestone may be due.
        "due_date": [
            (project.start_date + timedelta(days=n)).isoformat()
            for n in range(0, (project.due_date - project.start_date).days + 1, 7)
        ],
    }


def _steer(case: Any, rows: dict[str, list[Any]], data: st.DataObject, positive: bool) -> None:
    """Often point a case at alice's real rows, so that the services are reached too.

    Made-up ids only ever meet a 404 or "no such client"; real ones reach the business rules,
    where a 500 would hide. Negative cases keep whatever was made invalid on purpose.
    """
    resource = case.operation.path.split("/")[3]
    often = st.integers(0, 3).map(bool)  # three times in four
    path = case.path_parameters or {}
    if isinstance(path.get("id"), int) and data.draw(often):
        path["id"] = data.draw(st.sampled_from(rows[resource]))
    if not positive:
        return
    for part in (case.body, case.query):
        if not isinstance(part, dict):
            continue
        for name, kind in REFERENCES.items():
            if name in part and data.draw(often):
                part[name] = data.draw(st.sampled_from(rows[kind]))
    if isinstance(case.query, dict) and "page" in case.query and data.draw(often):
        del case.query["page"]  # a random page number is mostly past the end (404)
    body = case.body if isinstance(case.body, dict) else {}
    # Values the schema cannot express (known codes, dates within the project, a unique
    # address for the preferred channel), so that some writes succeed.
    for name, values in VALID_VALUES.items():
        if name in body and data.draw(often):
            body[name] = data.draw(st.sampled_from(values))
    if resource == "milestones" and "due_date" in body and data.draw(often):
        body["due_date"] = data.draw(st.sampled_from(rows["due_date"]))
    if resource == "contacts" and case.method == "POST" and data.draw(often):
        body.update(preferred_channel="email", email=f"fuzz{next(SERIAL)}@example.com")
        body.pop("contact_hours_start", None), body.pop("contact_hours_end", None)


def _schema(app: WSGIHandler) -> Any:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
    # The token is sent by the test (alice's); a generated or removed Authorization header
    # would only test the 401 path, which test_auth covers.
    schema.config.generation.update(with_security_parameters=False)
    return schema


# Loaded once, at collection, to name one test per operation (the schema view reads no data).
SCHEMA = _schema(WSGIHandler())
OPERATIONS = sorted(result.ok().label for result in SCHEMA.get_all_operations())


def test_all_operations_are_fuzzed() -> None:
    # 5 resources x (list, create, retrieve, patch, archive, restore).
    assert len(OPERATIONS) == 30


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_conforms_to_the_schema(
    label: str,
    mode: GenerationMode,
    keep_connection: None,
    alice: Persona,
    carol: Any,
    layouts: Any,
) -> None:
    operation = SCHEMA.find_operation_by_label(label)
    _token, secret = api_token_create(membership=alice.membership, name="fuzz")
    auth = {"Authorization": f"Bearer {secret}"}
    rows = _real_rows(alice, layouts, carol)

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case: Any, data: st.DataObject) -> None:
        _steer(case, rows, data, positive=mode is GenerationMode.POSITIVE)
        case.call_and_validate(headers=auth, checks=CHECKS)

    run()
