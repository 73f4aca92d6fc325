"""The Python widget renderers write exactly what Django's widget templates write."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from rapport.core.form_rendering import FAST, FormRenderer, field_row
from rapport.core.forms import DateInput, FastSelect, TimeInput

TEMPLATES = DjangoTemplates()
FAST_RENDERER = FormRenderer()

CHOICES = [
    ("", "---------"),
    ("a", "Alpha & <b>"),
    (3, gettext_lazy("Greek")),
    ("Group", [("g1", "One"), ("g2", mark_safe("<i>Two</i>"))]),
]

WIDGETS: list[tuple[forms.Widget, Any]] = [
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"placeholder": 'say "hi" & <go>', "required": True}), "x<y"),
    (forms.TextInput(attrs={"disabled": False, "data-n": 0, "aria-x": None}), mark_safe("<b>")),
    (forms.NumberInput(attrs={"min": 0, "max": 100, "step": "1"}), 40),
    (forms.NumberInput(), Decimal("12.50")),
    (forms.EmailInput(), "carol@acme.example"),
    (forms.URLInput(), "https://x.example/?a=1&b=2"),
    (forms.PasswordInput(render_value=False), "secret"),
    (forms.HiddenInput(), "7"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (DateInput(), date(2026, 12, 2)),
    (TimeInput(), time(9, 30)),
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=CHOICES, attrs={"class": "x"}), None),
    (forms.SelectMultiple(choices=CHOICES), ["a", "g2"]),
    (forms.NullBooleanSelect(), True),
    (forms.Textarea(), "Line one\n<script>two</script>"),
    (forms.Textarea(attrs={"rows": 3}), ""),
    (forms.Textarea(), None),
    (forms.RadioSelect(choices=CHOICES[1:3]), "a"),  # not in FAST: Django renders it
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize("language", ["en", "el"])
def test_widgets_render_as_the_templates_do(
    widget: forms.Widget, value: Any, language: str
) -> None:
    with override(language):
        expected = widget.render("name", value, attrs={"id": "id_name"}, renderer=TEMPLATES)
        actual = widget.render("name", value, attrs={"id": "id_name"}, renderer=FAST_RENDERER)
    assert actual == expected


def test_every_fast_template_exists_in_django_and_is_covered() -> None:
    covered = set()
    for widget, _value in WIDGETS:
        covered.add(widget.template_name)
        covered.add(getattr(widget, "option_template_name", ""))
    covered |= {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
    forms_dir = Path(forms.__file__).parent / "templates"
    for name in FAST:
        assert (forms_dir / name).exists(), name
    untested = {"input.html", "datetime.html", "search.html", "tel.html", "color.html"}
    assert {n for n in FAST if n not in covered} == {f"django/forms/widgets/{n}" for n in untested}


class Sample(forms.Form):
    name = forms.CharField(help_text="Your <full> name", max_length=10)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    colour = forms.ChoiceField(choices=[("r", "Red")], widget=forms.RadioSelect)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)


OLD_FIELD_TEMPLATE = """<div class="field{% if field.errors %} has-error{% endif %}">
  {% if field.is_hidden %}{{ field }}{% else %}
  {% if field.widget_type == "radioselect" or field.widget_type == "checkboxselectmultiple" %}
  <fieldset><legend>{{ field.label }}</legend>{{ field }}</fieldset>
  {% else %}
  <label for="{{ field.id_for_label }}">{{ field.label }}</label>
  {{ field }}
  {% endif %}
  {% if field.help_text %}<div class="help" id="{{ field.auto_id }}_help">{{ field.help_text }}\
</div>{% endif %}
  {{ field.errors }}
  {% endif %}
</div>"""


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("data", [None, {"name": "x" * 11, "kind": "z", "colour": "r"}])
def test_field_row_is_the_field_template(data: dict[str, str] | None) -> None:
    template = Template(OLD_FIELD_TEMPLATE)
    form = Sample(data=data, renderer=TEMPLATES)
    fast_form = Sample(data=data, renderer=FAST_RENDERER)
    for name in form.fields:
        expected = template.render(Context({"field": form[name]}))
        assert _squeezed(str(field_row(fast_form[name]))) == _squeezed(expected), name
    if data:
        assert fast_form.errors and "has-error" in field_row(fast_form["name"])


@pytest.mark.parametrize("value", ["Europe/Athens", None, "", "<x>"])
def test_fast_select_writes_what_a_select_writes(value: str | None) -> None:
    choices = [("", "—"), ("Europe/Athens", "Europe/Athens"), ("<x>", 'A & "B"')]
    attrs = {"id": "id_tz", "required": True, "class": "wide"}
    fast = FastSelect(choices=choices).render("tz", value, attrs=attrs)
    django = forms.Select(choices=choices).render("tz", value, attrs=attrs, renderer=TEMPLATES)
    assert _squeezed(fast) == _squeezed(django)


def test_fast_select_writes_translated_labels_in_each_language() -> None:
    widget = FastSelect(choices=[("en", gettext_lazy("English")), ("el", gettext_lazy("Greek"))])
    with override("el"):
        greek = widget.render("language", "el")
    with override("en"):
        english = widget.render("language", "el")
    assert "Greek</option>" in english and "Greek</option>" not in greek
    assert 'value="el" selected' in greek


def test_an_empty_form_per_key_is_that_form_rendered_with_its_own_ids(db) -> None:
    from django.template.loader import render_to_string

    from rapport.clients.forms import ImportantDateForm
    from rapport.core.form_rendering import empty_form_for_each
    from rapport.projects.forms import DeliverableForm

    copies = empty_form_for_each(
        lambda auto_id: ImportantDateForm(auto_id=auto_id), [7, 12], id_pattern="date-{key}-%s"
    )
    for key in (7, 12):
        direct = ImportantDateForm(auto_id=f"date-{key}-%s")
        assert copies[key] == render_to_string("includes/form_fields.html", {"form": direct})
        assert f'id="date-{key}-day"' in copies[key] and f'for="date-{key}-day"' in copies[key]
    prefixed = empty_form_for_each(
        lambda auto_id: DeliverableForm(prefix="dl", auto_id=auto_id), [3], id_pattern="ms{key}-%s"
    )
    deliverable = DeliverableForm(prefix="dl", auto_id="ms3-%s")
    assert prefixed[3] == render_to_string("includes/form_fields.html", {"form": deliverable})
    assert (
        empty_form_for_each(lambda a: ImportantDateForm(auto_id=a), [], id_pattern="{key}%s") == {}
    )
