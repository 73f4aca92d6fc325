"""Helpers shared by every app's services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from rapport.core.errors import ApplicationError


def model_validate(
    instance: models.Model, *, exclude: Iterable[str] = (), constraints: bool = True
) -> None:
    """Run the model's field and constraint checks; raise ApplicationError naming the fields.

    ``constraints=False`` skips the database round trips of the check constraints, for a
    service that has already checked the same rule in Python (the database still enforces it).
    """
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=True, validate_constraints=constraints
        )
    except ValidationError as exc:
        raise ApplicationError.from_validation_error(exc) from exc


def model_assign(
    instance: models.Model, *, fields: Iterable[str], data: dict[str, Any]
) -> list[str]:
    """Set the allowed ``fields`` present in ``data``; return the names that changed."""
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed
