"""Snippets: a window around the first matching word, matches marked, everything escaped."""

from handreiking.search.analysis import stem
from handreiking.search.snippets import make_snippet


def stems(*words):
    return frozenset(stem(word, "nl") for word in words)


def test_window_starts_near_the_first_match_deep_in_a_long_text():
    text = "Een zin over iets anders. " * 200 + "Hier wordt gepest op school. " + "Slot. " * 50
    snippet = make_snippet(text, stems("pesten"), "nl")
    assert "<mark>gepest</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")


def test_the_earliest_of_several_query_words_opens_the_window():
    text = "Begin. " * 100 + "Een naaktfoto doorsturen is strafbaar. " + "Later een foto. " * 100
    snippet = make_snippet(text, stems("foto", "doorsturen"), "nl")
    assert "<mark>naaktfoto</mark> <mark>doorsturen</mark>" in snippet


def test_a_stem_after_an_apostrophe_does_not_hide_the_real_match():
    # "d'pesten" contains the stem, but only the part before the apostrophe counts.
    text = "x d'pestkop " + "woord " * 100 + "gepest"
    snippet = make_snippet(text, stems("pesten"), "nl")
    assert "<mark>gepest</mark>" in snippet


def test_line_breaks_are_normalised_and_markup_escaped():
    snippet = make_snippet("Kies <b>grooming</b>\n\n  en verder", stems("grooming"), "nl")
    assert snippet == "Kies &lt;b&gt;<mark>grooming</mark>&lt;/b&gt; en verder"


def test_no_match_quotes_the_start():
    snippet = make_snippet("a" * 300, stems("pesten"), "nl")
    assert snippet == "a" * 240 + "…"


def test_a_query_without_diacritics_marks_the_word_with_them():
    text = "Begin. " * 100 + "Kinderen creëren hun eigen online wereld. " + "Slot. " * 100
    snippet = make_snippet(text, stems("creeren"), "nl")
    assert "<mark>creëren</mark>" in snippet
    assert snippet.startswith("…")
