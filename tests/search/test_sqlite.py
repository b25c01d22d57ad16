"""The SQLite backend's FTS5 expressions: user words are always quoted literals."""

import pytest
from django.db import connection

from handreiking.search.sqlite import match_expression, meta_terms


def test_terms_are_quoted_and_filters_target_the_meta_column():
    expression = match_expression([[("near(",), ('a"b', "c")]], language="nl",
                                  age_group="bovenbouw", kind="case")
    assert '"near("' in expression
    assert '("a""b" AND "c")' in expression
    assert 'NOT meta : "hidenl"' in expression
    assert 'AND meta : "kindcase"' in expression
    assert 'NOT meta : "notforbovenbouw"' in expression


def test_meta_terms():
    groups = ["kleuters", "middenbouw", "bovenbouw"]
    assert meta_terms("nl en", "section", "", languages=["nl", "en"],
                      all_age_groups=groups) == "kindsection"
    assert meta_terms("nl", "case", " bovenbouw ", languages=["nl", "en"],
                      all_age_groups=groups) == "kindcase hideen notforkleuters notformiddenbouw"


@pytest.mark.django_db
def test_fts_table_exists_only_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only: this run uses " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'handreiking_search_fts'")
        assert cursor.fetchone()


def test_ranking_tiers_split_head_and_body_matches():
    head = match_expression([[("pest",)]], language="nl", age_group=None, kind=None,
                            tier="head")
    rest = match_expression([[("pest",)]], language="nl", age_group=None, kind=None,
                            tier="rest")
    assert head == '(({title extra} : ((("pest")))) NOT meta : "hidenl")'
    assert rest.startswith('((({title extra body} : ((("pest")))) NOT '
                           '({title extra} : ((("pest"))))) NOT meta : "hidenl")')


@pytest.mark.django_db
def test_title_matches_rank_above_body_matches(loaded):
    from handreiking.search import search

    hits = search("grooming", language="nl").hits
    in_title = [i for i, hit in enumerate(hits) if "grooming" in hit.title.lower()]
    assert in_title == list(range(len(in_title))), [h.title for h in hits]
