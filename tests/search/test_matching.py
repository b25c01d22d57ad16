"""Compound parts, sound typo correction and concept-first ranking, as a worried teacher types."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from handreiking.search import search
from handreiking.search.vocabulary import vocabulary

pytestmark = pytest.mark.django_db


def urls(query, language="nl", n=5):
    return [hit.url for hit in search(query, language=language).hits[:n]]


@pytest.mark.parametrize(("query", "language", "expected"), [
    ("telefoon", "nl", "/nl/hulp/#kindertelefoon"),  # only inside "Kindertelefoon"
    ("zelfmoord", "nl", "/nl/hulp/#113"),  # only inside "zelfmoordpreventie"
    ("app", "nl", "/nl/hoofdstukken/themas-in-de-klas/#afspraken-in-appgroepen"),
    ("bully", "en", "/en/glossary/cyberbullying/"),
])
def test_a_word_inside_a_longer_word_finds_it(loaded, query, language, expected):
    assert expected in urls(query, language), urls(query, language)


def test_a_longer_word_alone_ranks_below_the_exact_word(loaded):
    from handreiking.search.querying import PART_BODY_PENALTY

    hits = search("pest", language="nl").hits  # "pest" itself, and inside "cyberpesten"
    assert hits
    scores = [hit.score for hit in hits if hit.all_words]
    assert scores == sorted(scores, reverse=True)
    exact_body = [s for s in scores if -PART_BODY_PENALTY / 2 < s < 9e5]
    parts_body = [s for s in scores if s <= -PART_BODY_PENALTY / 2]
    assert not exact_body or not parts_body or min(exact_body) > max(parts_body)


def test_compound_matching_needs_no_query_per_word(loaded):
    search("telefoon", language="nl")  # the vocabulary is in memory now
    with CaptureQueriesContext(connection) as captured:
        search("telefoon foto app", language="nl")
    # The index version, (exact words, longer words) x (titles, texts), the words on
    # their own when few hits have all three, and the rows of the hits.
    assert len(captured) <= 7


@pytest.mark.parametrize(("typed", "corrected"), [
    ("groomng", "grooming"),
    ("kindertelefon", "kindertelefoon"),
    ("wraakpono", "wraakporno"),
    ("pesten groomng", "pesten grooming"),  # the known word stays as typed
])
def test_typos_are_corrected_word_by_word(loaded, typed, corrected):
    results = search(typed, language="nl")
    assert results.corrected_query == corrected
    assert results.hits


def test_a_correction_is_never_offered_without_results(loaded):
    results = search("qwxzv jjkkll", language="nl")
    assert results.hits == [] and results.corrected_query == ""


def test_a_known_word_is_never_corrected(loaded):
    results = search("telefoon", language="nl")  # a compound part, not a typo
    assert results.corrected_query == ""
    assert results.hits


def test_a_correction_prefers_the_guides_concepts(loaded):
    v = vocabulary("nl")
    assert v.corrections("sextorsion")[0] == "sextortion"
    assert v.corrections("cyberpessten")[0] == "cyberpesten"


@pytest.mark.parametrize(("query", "language", "term"), [
    ("wat is sextortion", "nl", "Sextortion"),
    ("cyberpesten", "nl", "Cyberbullying"),  # an alias
    ("what is doxing", "en", "Doxing"),
])
def test_a_named_concept_comes_first_as_the_definition(loaded, query, language, term):
    results = search(query, language=language)
    if term is None:
        return
    assert results.definition is not None and results.definition.title == term
    assert results.hits[0].title == term


@pytest.mark.parametrize(("query", "title"), [("stalker", "Stalking"), ("groomer", "Grooming")])
def test_the_one_who_does_it_finds_what_they_do(loaded, query, title):
    results = search(query, language="en")
    assert results.hits[0].title == title
    assert results.corrected_query == ""  # no typo: a word the guide does not use itself


def test_two_words_typed_apart_find_the_one_word(loaded):
    from handreiking.search.querying import _joined

    loaded_vocabularies = vocabulary("en")
    assert _joined(["dick", "pic"], loaded_vocabularies) == ["dickpic"]  # a synonym's word
    assert _joined(["nude", "photo"], loaded_vocabularies) == ["nude", "photo"]  # both known
    assert _joined(["nude", "selfie"], loaded_vocabularies) == ["nudeselfie"]  # a synonym
    assert search("dick pic", language="en").hits
    # A Dutch synonym ("privacysettings") never joins English words.
    assert _joined(["privacy", "settings"], loaded_vocabularies) == ["privacy", "settings"]


def test_an_everyday_word_from_the_synonyms_file_finds_the_guides_word(loaded):
    assert "nudes" not in {w for w, f in vocabulary("nl").frequency.items() if f}
    found = urls("nudes")
    assert any("naaktbeelden" in url for url in found), found
    assert urls("groepsapp"), "groepsapp -> appgroep"


def test_suggestions_by_prefix_in_each_language(client, loaded):
    response = client.get(reverse("handreiking:search-suggestions"), {"q": "sext"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response["X-Robots-Tag"] == "noindex"
    data = response.json()
    labels = [s["label"] for s in data["suggestions"]]
    assert labels[:2] == ["Sexting", "Sextortion"] or "Sextortion" in labels
    assert all(s["url"].startswith("/nl/") for s in data["suggestions"])
    assert {s["kind_label"] for s in data["suggestions"]} >= {"Begrip"}
    english = client.get("/en/search/suggestions/", {"q": "cyberb"}).json()["suggestions"]
    assert english and english[0]["title"] == "Cyberbullying"
    assert english[0]["url"] == "/en/glossary/cyberbullying/"


@pytest.mark.parametrize("typed", ["", "s", "?!", "x" * 500, "\u202e", "🙂🙂"])
def test_suggestions_for_odd_input_are_an_empty_list(client, loaded, typed):
    response = client.get(reverse("handreiking:search-suggestions"), {"q": typed})
    assert response.status_code == HTTPStatus.OK
    assert response.json()["suggestions"] == []


def test_suggestions_are_cached_on_the_content_version(site, loaded):
    url = reverse("handreiking:search-suggestions")
    first = site.get(url, {"q": "groom"})
    assert first.headers["ETag"]
    again = site.get(url, {"q": "groom"}, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_int == HTTPStatus.NOT_MODIFIED
    with CaptureQueriesContext(connection) as captured:
        cached = site.get(url, {"q": "groom"})
    assert cached.json == first.json
    assert cached.headers["Content-Type"] == "application/json"
    assert len(captured) == 0  # only the content version, read below the ORM


def test_bm25f_counts_whole_terms_and_repeats():
    from handreiking.search.ranking import bm25f, query_words

    stats = {"documents": 100, "spread": {"pest": 10, "foto": 50}, "common": frozenset({"foto"})}
    average = {"title": 3, "extra": 3, "body": 50}
    pest = query_words([[("pest",)]], None, **stats)
    foto = query_words([[("foto",)]], None, **stats)

    def score(words, title="", body=""):
        return bm25f({"title": title, "extra": "", "body": body}, words, average=average)

    once, twice = score(pest, body="pest ander"), score(pest, body="pest pest")
    assert twice > once > score(pest, body="pest " + "ander " * 200) > 0
    assert score(pest, body="pestgedrag") == 0  # whole terms only
    assert score(pest, title="pest", body="ander") > once
    assert once > score(foto, body="foto ander")  # rarer, and "foto" is common


def test_a_word_counts_once_at_its_own_rarity_and_less_through_a_longer_word():
    """Issue #18: "kind" matched "kinderporno" in a title and put Meldpunt Kinderporno
    first for a question about a depressed child. A longer word counts PART_WEIGHT of
    the word, at the word's own (common) weight, never at the longer word's rarity."""
    from handreiking.search.ranking import PART_WEIGHT, bm25f, query_words

    spread = {"kind": 60, "kinder": 60, "kinderporno": 1, "depressief": 2}
    stats = {"documents": 100, "spread": spread, "common": frozenset({"kind", "kinder"})}
    average = {"title": 3, "extra": 3, "body": 50}
    [kind] = query_words([[("kind",), ("kinder",)]], [[("kind",), ("kinder",),
                                                      ("kinderporno",)]], **stats)
    [rare] = query_words([[("depressief",)]], None, **stats)
    assert kind.common and kind.parts == (("kinderporno",),)
    assert rare.weight > 5 * kind.weight

    def score(words, title="", body=""):
        return bm25f({"title": title, "extra": "", "body": body}, words, average=average)

    own = score([kind], title="kind ander")
    assert score([kind], title="kind kinder") == own  # two forms of one word: once
    assert 0 < score([kind], title="kinderporno ander") < own * (PART_WEIGHT + 0.1)
    assert score([kind, rare], body="depressief") > score([kind, rare], title="kinderporno")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_word_of_the_guide_finds_something(loaded, language):
    """Zero results only for words the guide does not use, also inside a longer word.

    (Stop words are not indexed: "de", "this" alone find nothing, by design.)
    """
    import random

    from handreiking.search.analysis import is_stop_word

    words = sorted(w for w, frequency in vocabulary(language).frequency.items()
                   if frequency and len(w) >= 4 and not is_stop_word(w, language))
    sample = random.Random(13).sample(words, 300)
    parts = [w[:5] for w in sample  # the start of a longer word, unless it is a stop word
             if len(w) >= 10 and not is_stop_word(w[:5], language)][:50]  # ("under")
    empty = [w for w in sample + parts if not search(w, language=language).hits]
    assert not empty, empty
