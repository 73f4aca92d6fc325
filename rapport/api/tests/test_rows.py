"""List responses are built by ``rapport.api.rows`` without instantiating the serializers; they
must say exactly what the serializers say, for every resource, nested rows included."""

from __future__ import annotations

import json
from datetime import time

import pytest
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from rapport.api.urls import router
from rapport.clients.services import contact_update, important_date_add


@pytest.fixture
def full_data(alice, acme, carol, website, design_milestone, layouts):
    """Every kind of value a list shows: nested dates, times, decimals, JSON, nulls, ids."""
    important_date_add(contact=carol, kind="birthday", month=3, day=14, label="Birthday")
    important_date_add(contact=carol, kind="name_day", month=1, day=7, label="")
    contact_update(
        contact=carol,
        actor=alice.user,
        contact_hours_start=time(9, 30),
        contact_hours_end=time(18),
        timezone="Europe/Athens",
    )


@pytest.mark.parametrize("prefix, viewset, basename", router.registry, ids=lambda v: str(v))
def test_list_rows_equal_the_serializer_output(
    prefix, viewset, basename, full_data, alice, alice_api
):
    response = alice_api.get(reverse(f"api:{basename}-list"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows, f"{prefix}: the personas have rows to list"
    view = viewset()
    view.request = type("R", (), {"workspace": alice.workspace})()
    view.format_kwarg = None
    serializer_class = view.get_serializer_class()
    expected = []
    for row in rows:
        obj = view.select_one(row["id"])
        expected.append(serializer_class(obj, context={"workspace": alice.workspace}).data)
    assert rows == json.loads(JSONRenderer().render(expected))
