"""The SQLite backend's FTS5 expressions: user words are always quoted literals."""

import pytest
from django.db import connection

from handreiking.search.sqlite import match_expression, meta_terms


def test_terms_are_quoted_and_filters_are_marker_terms():
    expression = match_expression([[("near(",), ('a"b', "c")]], age_group="bovenbouw",
                                  kind="case")
    assert expression == ('((((("near(") OR ("a""b" AND "c"))) AND "kind_case") '
                          'NOT "notfor_bovenbouw")')


def test_meta_terms():
    groups = ["kleuters", "middenbouw", "bovenbouw"]
    assert meta_terms("section", "", all_age_groups=groups) == "kind_section"
    assert meta_terms("case", " bovenbouw ", all_age_groups=groups) == (
        "kind_case notfor_kleuters notfor_middenbouw")


@pytest.mark.django_db
def test_each_language_has_its_own_tables_with_the_documents_visible_in_it(loaded):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only: this run uses " + connection.vendor)
    from handreiking.models import SearchDocument
    from handreiking.search.sqlite import fts_table, head_table

    # Contentless tables cannot be scanned: count the rows by their kind markers.
    every_kind = " OR ".join(f'"kind_{value}"' for value in SearchDocument.Kind.values)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'handreiking_search_fts'")
        assert cursor.fetchone() is None  # the shared table of 0005 is gone (0010)
        for language in ("nl", "en"):
            visible = SearchDocument.objects.filter(visible_in__contains=language).count()
            for table in (fts_table(language), head_table(language)):
                cursor.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH %s",
                               [every_kind])
                assert cursor.fetchone()[0] == visible > 0


@pytest.mark.django_db
def test_marker_terms_never_match_query_words(loaded):
    """A visitor typing a marker searches words, not filters: analysed terms have no "_"."""
    from handreiking.search import analysis, search

    for query in ("kind_section", "notfor_kleuters"):
        groups = analysis.query_groups(query, "nl", set())
        assert all("_" not in term for group in groups for alt in group for term in alt)
        same = [hit.pk for hit in search(query.replace("_", " "), language="nl").hits]
        assert [hit.pk for hit in search(query, language="nl").hits] == same
    assert search("kindsection", language="nl").hits == []


def test_synonyms_that_only_add_words_are_dropped():
    from handreiking.search.analysis import query_groups

    groups = query_groups("deepfake", "nl", {"deepfake": ["deepfake video", "nepvideo"]})
    assert groups == [[("deepfake",), ("nepvideo",)]]


@pytest.mark.django_db
def test_title_matches_rank_above_body_matches(loaded):
    from handreiking.search import search

    hits = search("grooming", language="nl").hits
    in_title = [i for i, hit in enumerate(hits) if "grooming" in hit.title.lower()]
    assert in_title == list(range(len(in_title))), [h.title for h in hits]
