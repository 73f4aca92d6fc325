"""Form helpers: put a service's ApplicationError on the form field it names."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from rapport.core.errors import ApplicationError


def form_add_error(form: forms.BaseForm, error: ApplicationError) -> None:
    for field, messages in error.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(None if target is None or field == NON_FIELD_ERRORS else target, message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%H:%M", **kwargs)  # type: ignore[arg-type]
