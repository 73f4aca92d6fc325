"""Form fields for a time zone and a currency: chosen from a list, never typed by hand.

Both render as a plain ``<select>`` with a group of common entries first, so they work without
JavaScript (typing the first letters searches the list). Two small enhancements in
``static/js/rapport.js`` read the data attributes set here:

* ``data-browser-timezone``: the browser's zone (``Intl.DateTimeFormat``) fills the field while
  the person has not touched it — on a form about the person themselves (sign-up, their
  preferences, their workspace), never on a client's contact, whose zone is not the provider's.
* ``data-search-label``: a search box before the time-zone list narrows it to the zones whose
  name contains what is typed and selects the first of them.
* ``data-suggest``: on a language select, the currency and zone that language suggests fill
  the fields it names, again only while they are untouched.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rapport.core.currencies import currency_choices
from rapport.core.zones import zone_choices

type StrOrPromise = str | Promise


class TimezoneField(forms.ChoiceField):
    """A current IANA zone (``core.zones``); ``blank_label`` offers an empty choice first."""

    def __init__(
        self, *, browser: bool = False, blank_label: StrOrPromise = "", **kwargs: Any
    ) -> None:
        self.blank_label = blank_label
        kwargs.setdefault("required", not blank_label)
        super().__init__(choices=self._choices, **kwargs)
        self.widget.attrs["data-timezone"] = ""
        # The label of the search box the script puts before the list (600 zones are too many
        # to scroll); without JavaScript the select's own type-ahead remains.
        self.widget.attrs["data-search-label"] = _("Search time zones")
        if browser:
            self.widget.attrs["data-browser-timezone"] = ""

    def _choices(self) -> list[Any]:
        blank: list[Any] = [("", self.blank_label)] if self.blank_label else []
        return [*blank, *zone_choices()]


class CurrencyField(forms.ChoiceField):
    """An ISO 4217 code in use today (``core.currencies``), common ones first."""

    def __init__(self, **kwargs: Any) -> None:
        # A callable: the names follow the language of each request.
        super().__init__(choices=currency_choices, **kwargs)
        self.widget.attrs["data-currency"] = ""

    def keep(self, current: str) -> None:
        """Keep ``current`` (a record's saved code) selectable even if no longer in use. Call
        it on the form's own copy of the field, in the form's ``__init__``."""
        if current:
            self.choices = currency_choices(current)


def suggest_from_language(
    field: forms.Field, suggestions: dict[str, dict[str, str]], targets: dict[str, str]
) -> None:
    """Mark a language select so that choosing a language fills the untouched fields in
    ``targets`` (kind → the target field's HTML name, e.g. {"currency": "ws-default_currency"})
    with ``suggestions[language][kind]``."""
    field.widget.attrs["data-suggest"] = json.dumps(suggestions, sort_keys=True)
    field.widget.attrs["data-suggest-targets"] = json.dumps(targets, sort_keys=True)
