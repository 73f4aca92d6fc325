"""Serializer pieces shared by every resource: ids, workspace-scoped references, strict input.

DRF is lenient with JSON types: it stores ``{"title": 12.5}`` as the text "12.5" and reads
``{"progress": "40"}`` as 40. The API promises JSON types in its schema, so the fields here hold
clients to them ("wrong types → 400 naming the field") and the schema stays truthful.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.db import models
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# The largest primary key the databases can hold (a signed 64-bit integer). A bigger number in a
# URL or a filter would make SQLite raise OverflowError (a 500), so it is refused before any query.
MAX_ID = 2**63 - 1
_ID_RE = re.compile(r"[0-9]{1,19}")


def parse_id(value: str) -> int | None:
    """The primary key in a URL, or None when it cannot name a row (the view answers 404)."""
    if not _ID_RE.fullmatch(value):
        return None
    pk = int(value)
    return pk if 1 <= pk <= MAX_ID else None


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """An integer id (filters): positive and within range so that lookups cannot overflow."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- JSON-typed fields -------------------------------------------------------------------------


class _StringOnly(serializers.Field[Any, Any, Any, Any]):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Must be a string."), code="invalid")
        return super().to_internal_value(data)


class StrictCharField(_StringOnly, serializers.CharField):
    pass


class StrictEmailField(_StringOnly, serializers.EmailField):
    pass


class StrictURLField(_StringOnly, serializers.URLField):
    pass


class StrictDecimalField(_StringOnly, serializers.DecimalField):
    """A decimal as a string ("4500.50"), never a float that could lose cents."""


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError(_("Must be a whole number."), code="invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """One of the choices as the exact JSON value: "active", or 4 (not "4") for a weekday."""

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        if isinstance(data, bool) or not any(
            type(data) is type(choice) and data == choice for choice in self.choices
        ):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


# Local wall-clock times ("09:00"): a contact's hours are read in the contact's time zone, so an
# offset would mean nothing. OpenAPI's `format: time` requires an offset, hence the pattern.
_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field({"type": "string", "pattern": _TIME_PATTERN, "example": "09:00"})
class LocalTimeField(_StringOnly, serializers.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


# --- related rows ------------------------------------------------------------------------------

Getter = Callable[..., Model | None]


class WorkspaceRelatedField(StrictIntegerField):
    """A foreign key given by id and resolved inside the request's workspace.

    Input: an id, looked up with ``getter(workspace=..., pk=...)`` (a selector scoped to the
    workspace), so another workspace's id is indistinguishable from an unknown one: a 400 naming
    the field, never a leak. Output: the raw ``<field>_id`` column, so serializing a row never
    needs the related object (no per-row query, whatever the selector joins).
    """

    default_error_messages = {"does_not_exist": _("No such {noun} in this workspace.")}

    def __init__(self, *, getter: Getter, noun: str | Promise, **kwargs: Any) -> None:
        self.getter = getter
        self.noun = noun
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return getattr(instance, f"{self.source}_id")

    def to_internal_value(self, data: Any) -> Any:  # the related row, not an int
        pk = super().to_internal_value(data)
        # The min/max validators check the id, not the object it resolves to (see run_validators).
        super().run_validators(pk)
        obj = self.getter(workspace=self.context["workspace"], pk=pk)
        if obj is None:
            self.fail("does_not_exist", noun=self.noun)
        return obj

    def run_validators(self, value: Any) -> None:
        # Already run on the id in to_internal_value; the resolved object is not a number.
        return None


# --- serializers -------------------------------------------------------------------------------


class StrictInputMixin(serializers.Serializer[Any]):
    """Refuse keys that are not fields, so a typo ("due_dat") is an error, not silently ignored.

    Read-only fields (id, created_at…) are accepted and ignored, so that a client may send back
    what it read. ``Meta.create_only`` names fields that exist only when creating (the parent of
    a row cannot be changed afterwards; no service moves a contact to another client).
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            create_only = getattr(getattr(self, "Meta", None), "create_only", ())
            errors = {
                key: [
                    _("Set when creating; it cannot be changed.")
                    if key in create_only
                    else _("Unknown field.")
                ]
                for key in data
                if key not in self.fields
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictModelSerializer(StrictInputMixin, serializers.ModelSerializer[Any]):
    """A ModelSerializer whose generated fields take JSON values of their documented type only.

    It describes and checks input; it never saves (writes go through the services), and it runs
    no model validators (uniqueness and the like are the services' business, and would query).
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.URLField: StrictURLField,
        models.DecimalField: StrictDecimalField,
        models.IntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.TimeField: LocalTimeField,
    }
    serializer_choice_field = StrictChoiceField

    def get_validators(self) -> list[Any]:
        return []
