"""Form helpers: put a service's ApplicationError on the form field it names, reach a form's
choice fields typed, and the date and time inputs."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def _option_parts(choices: Any) -> list[tuple[str, str, str]]:
    """Each choice's value, and its value and label escaped for HTML."""
    return [(str(value), str(escape(value)), str(escape(label))) for value, label in choices]


@lru_cache(maxsize=16)
def _cached_option_parts(choices: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    # The same few lists (time zones) are shown on many pages: written once. Only for plain
    # text labels; a translated label must be written in the language of each request.
    return _option_parts(choices)


class FastSelect(forms.Select):
    """A select rendered by plain string joining.

    The time-zone lists have about 600 options; rendering each through the widget templates
    cost a page 150 ms of CPU. The markup is the same as Django's select.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        attributes = "".join(
            f' {key}="{escape(val)}"' if val is not True else f" {key}"
            for key, val in final.items()
            if val is not False and val is not None
        )
        choices = tuple(self.choices)
        plain = all(type(label) is str and type(value) is str for value, label in choices)
        parts = _cached_option_parts(choices) if plain else _option_parts(choices)
        options = "".join(
            f'<option value="{escaped}"{" selected" if value == selected else ""}>{text}</option>'
            for value, escaped, text in parts
        )
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')  # noqa: S308
