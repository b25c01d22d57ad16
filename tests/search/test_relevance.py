"""Search as staff use it: stems, typos, diacritics, aliases, several words — on either database."""

import pytest

from handreiking.search import attach_snippets, search

pytestmark = pytest.mark.django_db


def top(query, n=3, **kwargs):
    return [(hit.kind, hit.title) for hit in search(query, language="nl", **kwargs).hits[:n]]


def titles(query, n=3, **kwargs):
    return [title for _kind, title in top(query, n, **kwargs)]


@pytest.mark.parametrize(("query", "expected"), [
    ("wat is sextortion?", ("term", "Sextortion")),
    ("wat is doxing", ("term", "Doxing")),
    ("grooming", ("term", "Grooming")),
    ("groomng", ("term", "Grooming")),            # typo
    ("sextorsion", ("term", "Sextortion")),        # typo
    ("cyberpesten", ("term", "Cyberbullying")),    # alias
    ("deepfake", ("term", "Deepfakes")),           # singular alias
    ("digitale kinderlokkerij", ("term", "Grooming")),
    ("Kindertelefoon", ("organisation", "De Kindertelefoon")),
    ("zelfmoordpreventie", ("organisation", "113")),
    ("wraakporno", ("term", "Wraakporno")),
])
def test_expected_item_ranks_in_top_three(loaded, query, expected):
    assert expected in top(query), top(query)


def test_inflections_find_each_other(loaded):
    gepest = set(titles("gepest", 20))
    pesten = set(titles("pesten", 20))
    assert "Jasmijn (12 jaar)" in gepest
    assert "Jasmijn (12 jaar)" in pesten
    assert "Online risico’s" in set(titles("pestgedrag", 5))
    assert gepest & pesten


def test_plural_and_possessive_forms(loaded):
    assert set(titles("naaktfoto", 10)) & set(titles("naaktfoto's", 10))


def test_several_words_narrow_down(loaded):
    hits = titles("naaktfoto doorgestuurd", 3)
    assert any("grensoverschrijdend gedrag" in t for t in hits), hits


def test_diacritics_are_folded(loaded):
    assert titles("creëren", 5) == titles("creeren", 5)
    assert titles("creeren", 5)


def test_case_and_step_plan_queries(loaded):
    assert ("case", "Xavi (6 jaar)") in top("oorlogsbeelden reclame game") or \
        ("case", "Xavi (6 jaar)") in top("reclame game")
    assert ("case", "Janna (11 jaar)") in top("deepfake naaktfoto")
    assert any(kind in {"step", "stepplan"} for kind, _ in top("aangifte doen politie", 5))
    assert ("step", "Evalueer") in top("beleid evalueren")


def test_exact_term_is_shown_as_definition(loaded):
    results = search("wat is sextortion?", language="nl")
    assert results.definition is not None
    assert results.definition.title == "Sextortion"
    assert search("sextortion chantage", language="nl").definition is None


def test_typo_is_corrected_and_said(loaded):
    results = search("groomng", language="nl")
    assert results.corrected_query == "grooming"
    assert results.hits


def test_hopeless_query_has_no_hits(loaded):
    results = search("qwxzv jjkkll", language="nl")
    assert results.hits == []


def test_empty_and_stopword_queries(loaded):
    assert search("", language="nl").hits == []
    assert search("   ", language="nl").hits == []
    assert search("?!", language="nl").hits == []
    assert search("de het een", language="nl").hits is not None


def test_age_filter(loaded):
    everything = {t for _k, t in top("naaktbeelden", 50)}
    kleuters = {t for _k, t in top("naaktbeelden", 50, age_group="kleuters")}
    assert kleuters < everything
    assert "Naaktbeelden in de bovenbouw" not in kleuters


def test_kind_filter(loaded):
    kinds = {k for k, _t in top("pesten", 50, kind="case")}
    assert kinds == {"case"}


def test_snippet_highlights_and_escapes(loaded):
    hit = search("gepest", language="nl").hits[0]
    attach_snippets([hit])
    assert "<mark>" in hit.snippet_html
    assert "<script" not in hit.snippet_html


def test_english_search_shows_untranslated_dutch_text_with_english_urls(loaded):
    results = search("grooming", language="en")
    assert results.hits
    assert results.hits[0].url.startswith("/en/")


def test_glossary_aliases_work_as_synonyms(loaded):
    # The guide's text says "cyberpesten"; the glossary term is "Cyberbullying".
    found = titles("cyberbullying", 10)
    assert "Gendergelijkheid" in found, found
    assert titles("digitale kinderlokkerij", 1) == ["Grooming"]


def test_few_hits_with_all_words_are_followed_by_hits_with_some(loaded):
    both = search("naaktfoto doorgestuurd", language="nl").hits
    with_all = [hit for hit in both if hit.all_words]
    assert with_all and len(with_all) < len(both)
    assert both[: len(with_all)] == with_all  # every hit with all the words comes first
    first_partial = both[len(with_all)]
    assert first_partial.first_with_some_words
    assert sum(hit.first_with_some_words for hit in both) == 1
    only_naaktfoto = {hit.pk for hit in search("naaktfoto", language="nl").hits}
    assert only_naaktfoto <= {hit.pk for hit in both}


def test_a_single_word_never_gets_partial_hits(loaded):
    assert all(hit.all_words for hit in search("naaktfoto", language="nl").hits)


def test_the_rare_word_of_a_question_comes_first(loaded):
    """Issue #18: "kind" is in half the guide and matched "Meldpunt Kinderporno" through
    a compound part; the question is about the one word the guide does not use."""
    results = search("wat doe ik als een kind depressief is", language="nl")
    assert results.hits and results.hits[0].url != "/nl/hulp/#meldpunt-kinderporno"
    assert results.absent_words == ["depressief"] and results.corrected_query == ""
    blackmail = search("hoe help ik een kind dat gechanteerd wordt", language="nl")
    assert any("chanteren" in hit.snippet_source or "chanteer" in " ".join(hit.stems)
               for hit in blackmail.hits[:3])


@pytest.mark.parametrize(("query", "expected"), [
    ("opslaan", "/nl/stappenplannen/wat-kan-een-slachtoffer-doen/#stap-4"),  # "Sla ... op"
    ("bewijs opgeslagen", "/nl/stappenplannen/wat-kan-een-slachtoffer-doen/#stap-4"),
    ("blokkeren", "/nl/stappenplannen/wat-kan-een-slachtoffer-doen/#stap-7"),  # "blokkeer"
])
def test_real_words_are_searched_as_themselves_not_corrected(loaded, query, expected):
    """A word of the dictionary is no typo: "opslaan" was "corrected" to "doorslaan"."""
    results = search(query, language="nl")
    assert results.corrected_query == ""
    assert expected in [hit.url for hit in results.hits[:3]]


def test_lemmas_join_irregular_forms(loaded):
    """Stems alone keep "kind" and "kinderen", "child" and "children" apart; the lemma's
    stem is indexed and searched beside them, so each finds the other's texts."""
    from handreiking.models import SearchDocument
    from handreiking.search.analysis import query_groups, word_terms, words

    for language, one, many in (("nl", "kind", "kinderen"), ("en", "child", "children")):
        [own] = word_terms(one, language)
        assert own in word_terms(many, language)
        assert (own,) in query_groups(many, language, set())[0]
        plural_only = {document.url for document in SearchDocument.objects.filter(
            language=language) if many in words(document.body) and one not in
            words(f"{document.title} {document.extra} {document.body}")}
        assert plural_only
        texts = {h.url for h in search(one, language=language).hits}
        assert texts & plural_only


def test_a_word_the_guide_lacks_is_said_plainly_with_the_routes_in(client, loaded):
    page = client.get("/nl/zoeken/", {"q": "depressief"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Het woord “depressief” komt niet voor in de handreiking." in html
    for route in ("/nl/hoofdstukken/", "/nl/begrippen/", "/nl/hulp/"):
        assert f'href="{route}"' in html
    english = client.get("/en/search/", {"q": "flabbergasted"}).content.decode()
    assert "The guide does not use the word “flabbergasted”." in english
    assert 'href="/en/glossary/"' in english
