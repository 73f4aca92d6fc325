"""The plain-words check on its own (P26): per language, accents and diacritics, phrases,
the client's glossary, workspace overrides, the shipped files, and robustness."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.care.jargon.check import (
    GLOSSARY,
    JARGON,
    Entry,
    Override,
    check,
    check_languages,
    fold,
    merge,
    term_key,
)
from rapport.care.jargon.shipped import LANGUAGES, parse, shipped


def _terms(text: str, language: str, **kwargs: object) -> list[str]:
    return [h.written for h in check(text, language=language, entries=shipped(language), **kwargs)]  # type: ignore[arg-type]


def test_english_words_and_phrases() -> None:
    text = "We deploy to Staging after the DNS propagation; the SSL certificate is in the cache."
    assert _terms(text, "en") == [
        "deploy",
        "Staging",
        "DNS propagation",
        "SSL certificate",
        "cache",
    ]


def test_the_longest_phrase_wins_and_a_hit_names_the_text() -> None:
    text = "Check the staging server."
    [hit] = check(text, language="en", entries=shipped("en"))
    assert (hit.term, hit.written, text[hit.start : hit.end]) == (
        "staging server",
        "staging server",
        "staging server",
    )
    assert hit.suggestion == "the test copy of the site" and hit.source == JARGON


def test_whole_words_only() -> None:
    # "API" inside "rapid", "UI" inside "build", "bug" inside "debugging": not hits.
    assert _terms("A rapid build, no debugging needed.", "en") == []


def test_hyphens_and_spaces_are_the_same_separator() -> None:
    assert _terms("The front-end and the front end", "en") == ["front-end", "front end"]


def test_a_star_matches_any_ending() -> None:
    assert _terms("Two wireframes and a mockup.", "en") == ["wireframes", "mockup"]


def test_greek_ignores_tonos_case_and_final_sigma() -> None:
    text = "Ο ΔΙΑΚΟΜΙΣΤΗΣ έπεσε· το πιστοποιητικο ssl και η Βάση Δεδομένων είναι εντάξει."
    assert _terms(text, "el") == ["ΔΙΑΚΟΜΙΣΤΗΣ", "πιστοποιητικο ssl", "Βάση Δεδομένων"]
    assert fold("ΔΙΑΚΟΜΙΣΤΗΣ") == fold("διακομιστής") == "διακομιστησ"


def test_greek_loanwords_in_greek_text() -> None:
    assert _terms("Κάνουμε deploy στο staging αύριο.", "el") == ["deploy", "staging"]


def test_romanian_comma_and_cedilla_and_missing_diacritics() -> None:
    for written in ("pe producție", "pe producţie", "pe productie", "PE PRODUCȚIE"):
        assert _terms(f"Am pus site-ul {written} azi.", "ro") == [written]
    assert _terms("autentificare in doi pasi", "ro") == ["autentificare in doi pasi"]


def test_romanian_merge_is_not_jargon() -> None:
    # "merge" is "it works" in Romanian: the Romanian list leaves it out on purpose.
    assert _terms("Totul merge bine.", "ro") == []
    assert _terms("We merge the branches.", "en") == ["merge"]


def test_indonesian() -> None:
    assert _terms("Kami akan deploy ke server staging dan cek propagasi DNS.", "id") == [
        "deploy",
        "server staging",
        "propagasi DNS",
    ]


def test_glossary_terms_the_client_uses_are_not_flagged() -> None:
    glossary = [{"term": "CMS", "meaning": "the editing page"}]
    assert _terms("Log into the CMS.", "en", glossary=glossary) == []
    # "servers" is the client's word although "server*" is listed.
    el = [{"term": "διακομιστές", "meaning": "οι υπολογιστές"}]
    assert _terms("Οι διακομιστές και ο διακομιστής", "el", glossary=el) == ["διακομιστής"]


def test_glossary_meanings_suggest_the_clients_word() -> None:
    glossary = [
        {"term": "pop-up", "meaning": "lightbox, over the page, not a new window"},
        {"term": "the thing", "meaning": "the mobile app"},
        {"term": "the padlock", "meaning": "the SSL certificate"},
    ]
    hits = check(
        "The lightbox, the mobile app and the SSL certificate.",
        language="en",
        entries=shipped("en"),
        glossary=glossary,
    )
    assert [(h.written, h.suggestion, h.source) for h in hits] == [
        ("lightbox", "pop-up", GLOSSARY),
        ("mobile app", "the thing", GLOSSARY),
        ("SSL certificate", "the padlock", GLOSSARY),
    ]


def test_a_long_meaning_is_a_description_not_a_word() -> None:
    glossary = [{"term": "the shop", "meaning": "our online store with all the products"}]
    assert _terms("Our online store with all the products", "en", glossary=glossary) == []


def test_overrides_change_add_and_switch_off() -> None:
    entries = merge(
        shipped("en"),
        [
            Override("Deploy", "publish"),
            Override("staging", "", active=False),
            Override("moodboard", "a page of pictures that set the mood"),
        ],
    )
    hits = check("Deploy to staging, then the moodboard.", language="en", entries=entries)
    assert [(h.written, h.suggestion) for h in hits] == [
        ("Deploy", "publish"),
        ("moodboard", "a page of pictures that set the mood"),
    ]


def test_several_languages_report_a_stretch_once() -> None:
    lists = [("el", list(shipped("el"))), ("en", list(shipped("en")))]
    hits = check_languages("deploy and the API", lists=lists)
    assert [(h.written, h.language) for h in hits] == [("deploy", "el"), ("API", "el")]


def test_term_key() -> None:
    assert term_key("Front-End") == term_key("front end") == "front end"
    assert term_key("server*") == "server*" != term_key("server")
    assert term_key("  --  ") == ""


def test_shipped_lists_are_complete_and_clean() -> None:
    for language in LANGUAGES:
        entries = shipped(language)
        assert len(entries) >= 40, language
        keys = [term_key(e.term) for e in entries]
        assert len(keys) == len(set(keys)), f"{language}: a term twice"
        assert all(k for k in keys)
        assert all(e.suggestion and e.suggestion != e.term for e in entries)
    # A regional code reads its language; an unknown language reads English.
    assert shipped("el-GR") == shipped("el")
    assert shipped("xx") == shipped("en")


def test_parse_skips_comments_and_broken_lines() -> None:
    assert parse("# note\nAPI\ta connection\nno tab here\n\t\nCMS\t\n") == (
        Entry("API", "a connection"),
    )


_entries = st.lists(st.builds(Entry, st.text(max_size=20), st.text(max_size=20)), max_size=8).map(
    lambda extra: [*shipped("en"), *extra]
)
_glossary = st.lists(
    st.fixed_dictionaries({"term": st.text(max_size=15), "meaning": st.text(max_size=30)}),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(max_size=300),
    entries=_entries,
    glossary=_glossary,
    language=st.sampled_from(["en", "el", "ro", "id", "xx"]),
)
def test_never_raises_and_hits_point_at_real_text(
    text: str, entries: list[Entry], glossary: list[dict[str, str]], language: str
) -> None:
    hits = check(text, language=language, entries=entries, glossary=glossary)
    end = 0
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.written
        assert hit.start >= end  # in order, never overlapping
        end = hit.end


@settings(max_examples=100, deadline=None)
@given(
    before=st.text(alphabet=st.characters(categories=["Zs", "P"]), max_size=5),
    after=st.text(alphabet=st.characters(categories=["Zs", "P"]), max_size=5),
    entry=st.sampled_from([e for lang in LANGUAGES for e in shipped(lang)]),
    upper=st.booleans(),
)
def test_every_shipped_term_is_found_where_written(
    before: str, after: str, entry: Entry, upper: bool
) -> None:
    written = entry.term.rstrip("*")
    written = written.upper() if upper else written
    text = f"{before} {written} {after}"
    hits = check(text, language="en", entries=[entry])
    assert [h.written for h in hits] == [written.strip()]
