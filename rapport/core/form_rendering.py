"""Django's form renderer, with its most used widget templates written out in Python.

Every widget is rendered through Django's templates: an ``<input>`` is ``text.html`` including
``input.html`` including ``attrs.html``, each a template render with its own context. A page
with the forms of a project (39 fields) spent 35 ms of its 95 ms doing that on the benchmark
machine. The functions here produce the same text as those templates (the test
``core/tests/test_form_rendering.py`` renders every case both ways and compares), and any other
template (radio buttons, file inputs, a project override) still goes through Django.

``field_row`` is the markup of ``includes/field.html`` (label, widget, help, errors), the same
way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.forms import BaseForm, BoundField
from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

# A context only for render_value_in_context (autoescape, time zone, localisation): read-only.
_CONTEXT = Context(autoescape=True)
Renderer = Callable[[Mapping[str, Any]], str]


def _text(value: Any) -> str:
    """``{{ value }}``: localised and escaped as the template engine does."""
    return str(render_value_in_context(value, _CONTEXT))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps safe text safe, escapes the rest."""
    if isinstance(value, tuple):
        value = str(value)
    text = "%s" % value  # noqa: UP031 - the filter's own formatting, tuples aside
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: Mapping[str, Any]) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {_text(name)}")
        else:
            out.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _input_based(context: Mapping[str, Any]) -> str:
    # text.html, number.html…: '{% include "django/forms/widgets/input.html" %}\n'
    return _input(context) + "\n"


def _option(context: Mapping[str, Any]) -> str:
    option = context["widget"]
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


class FormRenderer(DjangoTemplates):
    """The default renderer, with the templates of ``FAST`` rendered without the engine."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = FAST.get(template_name)
        if fast is not None:
            return SafeString(fast(self, context).strip())  # as BaseRenderer.render strips
        return str(super().render(template_name, context, request))

    def include(self, template_name: str, context: Mapping[str, Any]) -> str:
        """``{% include template_name %}`` inside a template: not stripped."""
        fast = FAST.get(template_name)
        if fast is not None:
            return fast(self, context)
        return str(self.get_template(template_name).render(dict(context)))

    def select(self, context: Mapping[str, Any]) -> str:
        widget = context["widget"]
        out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in group_choices:
                out.append("\n  ")
                out.append(self.include(option["template_name"], {**context, "widget": option}))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>\n")
        return "".join(out)


def _textarea(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>\n"
    )


def _errors(context: Mapping[str, Any]) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    anchor = f' id="{_text(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(context["error_class"])}"{anchor}>{items}</ul>'


def _plain(render: Renderer) -> Callable[[FormRenderer, Mapping[str, Any]], str]:
    return lambda renderer, context: render(context)


_INPUTS = "text number email url password hidden date datetime time checkbox search tel color"
FAST: dict[str, Callable[[FormRenderer, Mapping[str, Any]], str]] = {
    "django/forms/widgets/input.html": _plain(_input),
    **{f"django/forms/widgets/{kind}.html": _plain(_input_based) for kind in _INPUTS.split()},
    "django/forms/widgets/select.html": FormRenderer.select,
    "django/forms/widgets/select_option.html": _plain(_option),
    "django/forms/widgets/textarea.html": _plain(_textarea),
    "django/forms/errors/list/default.html": _plain(_errors),
    "django/forms/errors/list/ul.html": _plain(_errors),
}

_GROUPED = {"radioselect", "checkboxselectmultiple"}


def field_row(field: BoundField) -> SafeString:
    """The markup of ``includes/field.html``: label (or legend), widget, help text, errors."""
    errors = field.errors
    classes = "field has-error" if errors else "field"
    if field.is_hidden:
        return mark_safe(f'<div class="{classes}">{field}</div>')  # noqa: S308 - escaped parts
    label = _text(field.label)
    if field.widget_type in _GROUPED:
        control = f"<fieldset><legend>{label}</legend>{field}</fieldset>"
    else:
        control = f'<label for="{_text(field.id_for_label)}">{label}</label>\n  {field}'
    help_text = (
        f'<div class="help" id="{_text(field.auto_id)}_help">{_text(field.help_text)}</div>'
        if field.help_text
        else ""
    )
    return mark_safe(  # noqa: S308 - every part above is escaped or rendered safe by Django
        f'<div class="{classes}">\n  {control}\n  {help_text}\n  {errors}\n</div>'
    )


# In ids only: letters, digits and "-", never in a label, a name or a value of these forms.
_KEY_SLOT = "rapport-key-slot"


def empty_form_for_each(
    make_form: Callable[[str], BaseForm], keys: Iterable[int], *, id_pattern: str
) -> dict[int, SafeString]:
    """The fields of the same empty form once per key, each copy with ids of its own.

    A page that repeats an "add …" form per card (a date per contact, a deliverable per
    milestone) needs distinct ids in each copy so that every label names its own field; the
    copies are otherwise the same text. ``make_form(auto_id)`` builds the unbound form; it is
    rendered once (``includes/form_fields.html``) with ``id_pattern`` (e.g.
    ``"date-{key}-%s"``) holding a placeholder for the key, then the placeholder is replaced
    by each key (ids of rows: integers, so nothing to escape). A test holds each copy equal to
    the form rendered for its key.
    """
    keys = list(keys)
    if not keys:
        return {}
    form = make_form(id_pattern.replace("{key}", _KEY_SLOT))
    html = render_to_string("includes/form_fields.html", {"form": form})
    if form.is_bound or _KEY_SLOT not in html:
        raise ValueError("an unbound form whose ids hold the key")
    return {key: mark_safe(html.replace(_KEY_SLOT, str(int(key)))) for key in keys}  # noqa: S308
