"""A list's query string, read by its filters: defaults, values, and a 400 naming each bad
parameter (repeated, blank, or of the wrong type), as a serializer would answer."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from rapport.api.filters import MAX_DUE_WITHIN_DAYS, ClientFilters, MilestoneFilters


def test_absent_parameters_take_their_defaults() -> None:
    assert ClientFilters.parse(QueryDict("")) == {"archived": False}
    assert MilestoneFilters.parse(QueryDict("")) == {"open": False, "archived": False}


def test_given_parameters_are_converted() -> None:
    params = QueryDict("project=7&due_within_days=3&open=true&archived=false")
    assert MilestoneFilters.parse(params) == {
        "project": 7,
        "due_within_days": 3,
        "open": True,
        "archived": False,
    }
    assert ClientFilters.parse(QueryDict("q=&status=lead"))["q"] == ""  # a blank search


def test_parse_agrees_with_the_serializer() -> None:
    for query in ("", "q=harbour&status=lead&owner=3&archived=true", "q=%20x%20"):
        serializer = ClientFilters(data=QueryDict(query))
        assert serializer.is_valid(), serializer.errors
        assert ClientFilters.parse(QueryDict(query)) == dict(serializer.validated_data)


@pytest.mark.parametrize(
    ("query", "messages"),
    [
        ("open=true&open=false", {"open": ["Give this parameter once."]}),
        ("archived=", {"archived": ["Give a value, or leave the parameter out."]}),
        (
            "due_within_days=-1",
            {"due_within_days": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            f"due_within_days={MAX_DUE_WITHIN_DAYS + 1}&project=x",
            {
                "project": ["A valid integer is required."],
                "due_within_days": [
                    f"Ensure this value is less than or equal to {MAX_DUE_WITHIN_DAYS}."
                ],
            },
        ),
    ],
)
def test_bad_parameters_are_named(query: str, messages: dict[str, list[str]]) -> None:
    with pytest.raises(ValidationError) as raised:
        MilestoneFilters.parse(QueryDict(query))
    assert raised.value.detail == messages


def test_a_repeated_filter_is_a_400_naming_it(alice_api: APIClient) -> None:
    response = alice_api.get("/api/v1/milestones/?open=true&open=false&archived=")
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "open": ["Give this parameter once."],
            "archived": ["Give a value, or leave the parameter out."],
        }
    }
