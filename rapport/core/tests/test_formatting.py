"""The formatting policy, language by language: dates day first with a 24-hour clock, money
and numbers the way each language writes them, and stored values written out for the reader
(docs/formatting.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import engines
from django.utils import timezone, translation
from django.utils.formats import get_format, number_format

from rapport.core.formatting import money_text, number_text, readable, readable_value
from rapport.core.texts import system_text, text_ref, text_ref_from

DAY = date(2026, 12, 6)
MOMENT = datetime(2026, 12, 6, 19, 40, tzinfo=UTC)

EXPECTED = {
    # language: date, datetime, short date, short datetime, 1234.5 EUR, 1234.5 RON, 1234.5
    "en": (
        "6 Dec 2026",
        "6 Dec 2026, 19:40",
        "06/12/2026",
        "06/12/2026 19:40",
        "€1,234.50",
        "RON\xa01,234.50",
        "1,234.5",
    ),
    "el": (
        "6 Δεκεμβρίου 2026",
        "6 Δεκεμβρίου 2026, 19:40",
        "06/12/2026",
        "06/12/2026 19:40",
        "1.234,50\xa0€",
        "1.234,50\xa0RON",
        "1.234,5",
    ),
    "ro": (
        "6 dec 2026",
        "6 dec 2026, 19:40",
        "06.12.2026",
        "06.12.2026, 19:40",
        "1.234,50\xa0EUR",
        "1.234,50\xa0RON",
        "1.234,5",
    ),
    "id": (
        "6 Des 2026",
        "6 Des 2026, 19.40",
        "06/12/2026",
        "06/12/2026 19.40",
        "€1.234,50",
        "RON\xa01.234,50",
        "1.234,5",
    ),
}

TEMPLATE = (
    '{% load rapport %}{{ d|date:"DATE_FORMAT" }}|{{ m|date:"DATETIME_FORMAT" }}|'
    '{{ d|date:"SHORT_DATE_FORMAT" }}|{{ m|date:"SHORT_DATETIME_FORMAT" }}|'
    '{{ a|money:"EUR" }}|{{ a|money:"RON" }}|{{ a|number:1 }}'
)


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_template_filters_follow_the_languages_policy(language: str) -> None:
    template = engines["django"].from_string(TEMPLATE)
    with translation.override(language), timezone.override("UTC"):
        shown = template.render({"d": DAY, "m": MOMENT, "a": Decimal("1234.5")})
    assert tuple(shown.split("|")) == EXPECTED[language]


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_python_helpers_say_the_same(language: str) -> None:
    assert money_text(Decimal("1234.5"), "EUR", language) == EXPECTED[language][4]
    assert number_text("1234.5", 1, language) == EXPECTED[language][6]


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_django_and_babel_agree_on_separators(language: str) -> None:
    """Django's own number output (``{{ 1234.5 }}``, localised inputs) uses the format
    module's separators; they must be Babel's, or one page would show two styles."""
    with translation.override(language):
        django_number = number_format(Decimal("1234.5"), 1, force_grouping=True)
    assert django_number == number_text("1234.5", 1, language)


def test_currencies_keep_their_minor_units() -> None:
    assert money_text(Decimal("1234.567"), "EUR", "el") == "1.234,57\xa0€"
    assert money_text(Decimal("1500000"), "IDR", "id") == "Rp1.500.000,00"
    assert money_text(Decimal("1234"), "JPY", "en") == "JP¥1,234"


@pytest.mark.parametrize(
    ("language", "typed"),
    [("en", "06/12/2026"), ("el", "06/12/2026"), ("ro", "06.12.2026"), ("id", "06/12/2026")],
)
def test_a_date_typed_the_languages_way_is_read_day_first(language: str, typed: str) -> None:
    field = forms.DateField()
    with translation.override(language):
        assert field.clean(typed) == DAY
        # What <input type="date"> sends is accepted in every language.
        assert field.clean("2026-12-06") == DAY


def test_a_us_order_date_is_refused_in_english() -> None:
    with translation.override("en"), pytest.raises(ValidationError):
        forms.DateField().clean("12/31/2026")


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_weeks_start_on_monday(language: str) -> None:
    with translation.override(language):
        assert get_format("FIRST_DAY_OF_WEEK") == 1


def test_stored_values_are_written_out_for_the_reader() -> None:
    data = {
        "due": "2026-12-06",
        "eta": "2026-12-06T19:40:00+00:00",
        "total": "330.00 EUR",
        "number": "2026-0007",
        "name": "Carol",
        "count": 3,
    }
    with translation.override("el"), timezone.override("Europe/Athens"):
        shown = readable(data)
        long_date = readable_value("2026-12-06", short=False)
    assert shown == {
        "due": "06/12/2026",
        "eta": "06/12/2026 21:40",  # Athens is two hours ahead in December
        "total": "330,00\xa0€",
        "number": "2026-0007",
        "name": "Carol",
        "count": 3,
    }
    assert long_date == "6 Δεκεμβρίου 2026"


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Progress update on Website"),
        ("el", "Ενημέρωση προόδου για το Website"),
        ("ro", "Actualizare despre progres pentru Website"),
        ("id", "Pembaruan progres untuk Website"),
    ],
)
def test_a_system_text_is_written_in_the_readers_language(language: str, sentence: str) -> None:
    ref = text_ref("commitment.update", title="Website")
    with translation.override(language):
        assert system_text(ref) == sentence
        assert readable_value(ref) == sentence
    # A sentence stored before references existed, in any of the languages, is recognised.
    assert text_ref_from(sentence) == ref


def test_unknown_texts_are_refused_or_fall_back() -> None:
    with pytest.raises(ValueError):
        text_ref("commitment.nonsense")
    assert system_text({"text": "gone", "args": {}}, fallback="as stored") == "as stored"
    assert system_text({"text": "commitment.update", "args": {}}, fallback="kept") == "kept"
    assert text_ref_from("Logo drafts by Friday") is None
