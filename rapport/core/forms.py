"""Form helpers: put a service's ApplicationError on the form field it names, reach a form's
choice fields typed, and the date and time inputs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from rapport.core.errors import ApplicationError


def form_add_error(form: forms.BaseForm, error: ApplicationError) -> None:
    for field, messages in error.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(None if target is None or field == NON_FIELD_ERRORS else target, message)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, a choice field whose choices a form sets per request.

    ``form.fields`` holds plain ``Field``s to a type checker; this says which kind it is.
    """
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field ``name``, a model choice field whose queryset a form narrows per request
    (to the workspace, the client…)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), name
    return field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")
