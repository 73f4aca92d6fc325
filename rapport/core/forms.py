"""Form helpers: put a service's ApplicationError on the form field it names."""

from __future__ import annotations

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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%H:%M", **kwargs)  # type: ignore[arg-type]


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
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == selected else ""}>'
            f"{escape(label)}</option>"
            for v, label in self.choices
        )
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')  # noqa: S308
