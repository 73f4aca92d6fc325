"""FastSelect (the time-zone lists) writes what Django's select writes."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils.translation import gettext_lazy, override

from rapport.core.forms import FastSelect


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["Europe/Athens", None, "", "<x>"])
def test_fast_select_writes_what_a_select_writes(value: str | None) -> None:
    choices = [("", "—"), ("Europe/Athens", "Europe/Athens"), ("<x>", 'A & "B"')]
    attrs = {"id": "id_tz", "required": True, "class": "wide"}
    fast = FastSelect(choices=choices).render("tz", value, attrs=attrs)
    django = forms.Select(choices=choices).render("tz", value, attrs=attrs)
    assert _squeezed(fast) == _squeezed(django)


def test_fast_select_writes_translated_labels_in_each_language() -> None:
    widget = FastSelect(choices=[("en", gettext_lazy("English")), ("el", gettext_lazy("Greek"))])
    with override("el"):
        greek = widget.render("language", "el")
    with override("en"):
        english = widget.render("language", "el")
    assert "Greek</option>" in english and "Greek</option>" not in greek
    assert 'value="el" selected' in greek
