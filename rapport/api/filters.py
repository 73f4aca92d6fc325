"""Query-string filters of the list endpoints, one serializer per list.

Each serializer both validates the query string (a bad value is a 400 naming the parameter) and
documents it: drf-spectacular turns its fields into OpenAPI query parameters, so the schema and
the checks cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import SkipField

from rapport.api.fields import id_field
from rapport.clients.models import Client
from rapport.projects.models import Project

# Far enough for any plan, near enough that today + N stays a valid date.
MAX_DUE_WITHIN_DAYS = 3660


def _archived() -> serializers.BooleanField:
    return serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: only archived rows; false (default): only rows in use.",
    )


def _search(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=help_text
    )


class ListFilters(serializers.Serializer[Any]):
    """Base of the filters; ``page`` and ``page_size`` belong to the paginator.

    Stricter than DRF's reading of a query string: ``?archived=`` would silently mean "not
    given" and ``?open=true&open=false`` would keep the last; both are refused, naming the
    parameter, so that a client's mistake cannot quietly widen or narrow a list.

    A request's query string is read with ``parse``, through the fields of one instance made
    when the class is defined: a serializer per request deep-copies and binds every field
    again, about seven times the cost of the validation itself (0.11-0.13 ms a request).
    """

    # The fields of one instance of the class (set by __init_subclass__); parse only reads
    # them (get_value, run_validation), so requests may share them.
    _shared_fields: ClassVar[Mapping[str, serializers.Field[Any, Any, Any, Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._shared_fields = cls().fields

    @classmethod
    def parse(cls, params: QueryDict) -> dict[str, Any]:
        """The filters given in ``params`` (absent ones at their defaults, if any); a
        ValidationError naming each bad parameter, as validating a serializer would."""
        errors: dict[str, Any] = {}
        filters: dict[str, Any] = {}
        for name, field in cls._shared_fields.items():
            values = params.getlist(name)
            if len(values) > 1:
                errors[name] = [_("Give this parameter once.")]
            elif values == [""] and not getattr(field, "allow_blank", False):
                errors[name] = [_("Give a value, or leave the parameter out.")]
        if errors:
            raise serializers.ValidationError(errors)
        for name, field in cls._shared_fields.items():
            try:
                filters[name] = field.run_validation(field.get_value(params))
            except SkipField:  # absent, without a default
                continue
            except serializers.ValidationError as exc:
                errors[name] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return filters


class ClientFilters(ListFilters):
    q = _search("Search in the name, the tags and the contacts' names and emails.")
    status = serializers.ChoiceField(choices=Client.Status.choices, required=False)
    owner = id_field(required=False, help_text="User id of the account owner.")
    archived = _archived()


class ContactFilters(ListFilters):
    client = id_field(required=False, help_text="Only the contacts of this client.")
    q = _search("Search in the name and the email.")
    archived = _archived()


class ProjectFilters(ListFilters):
    client = id_field(required=False, help_text="Only the projects of this client.")
    status = serializers.ChoiceField(choices=Project.Status.choices, required=False)
    archived = _archived()


class MilestoneFilters(ListFilters):
    project = id_field(required=False, help_text="Only the milestones of this project.")
    due_within_days = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_DUE_WITHIN_DAYS,
        help_text="Only milestones due from today up to this many days ahead.",
    )
    open = serializers.BooleanField(
        required=False, default=False, help_text="true: only milestones that are not done."
    )
    archived = _archived()


class DeliverableFilters(ListFilters):
    milestone = id_field(required=False, help_text="Only the deliverables of this milestone.")
    archived = _archived()
