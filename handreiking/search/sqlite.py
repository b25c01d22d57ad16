"""SQLite backend: an FTS5 table of analysed terms ranked by bm25, a trigram table for typos."""

from __future__ import annotations

from django.db import connection

from .base import Backend

FTS_TABLE = "handreiking_search_fts"
TRIGRAM_TABLE = "handreiking_searchterm_trigram"
# bm25 column weights: title, extra (aliases, summary), body, meta (filters only).
BM25 = f"bm25({FTS_TABLE}, 10.0, 4.0, 1.0, 0.0)"


def _quote(term: str) -> str:
    """An FTS5 string literal: user words can never become FTS5 syntax."""
    return '"' + term.replace('"', '""') + '"'


def match_expression(groups, *, language: str, age_group: str | None, kind: str | None) -> str:
    """FTS5 query: every group must match in the text columns, filters match the meta column."""
    text = " AND ".join(
        "(" + " OR ".join(
            "(" + " AND ".join(_quote(t) for t in alternative) + ")" for alternative in group
        ) + ")"
        for group in groups
    )
    filters = [f"meta : {_quote('lang' + language)}"]
    if kind:
        filters.append(f"meta : {_quote('kind' + kind)}")
    if age_group:
        filters.append(f"meta : ({_quote('ageall')} OR {_quote('age' + age_group)})")
    return "{title extra body} : (" + text + ") AND " + " AND ".join(filters)


def meta_terms(visible_in: str, kind: str, age_groups: str) -> str:
    ages = age_groups.split() or ["all"]
    return " ".join([*(f"lang{code}" for code in visible_in.split()), f"kind{kind}",
                     *(f"age{slug.replace('-', '')}" for slug in ages)])


class SQLiteBackend(Backend):
    def rebuild(self) -> None:
        from ..models import SearchDocument

        rows = SearchDocument.objects.values_list(
            "id", "title_terms", "extra_terms", "body_terms", "visible_in", "kind", "age_groups"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('delete-all')")
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, title, extra, body, meta) VALUES (%s, %s, %s, %s, %s)",
                [(pk, title, extra, body, meta_terms(visible, kind, ages))
                 for pk, title, extra, body, visible, kind, ages in rows],
            )
            cursor.execute(f"INSERT INTO {TRIGRAM_TABLE}({TRIGRAM_TABLE}) VALUES('rebuild')")

    def match(self, groups, *, language, age_group, kind, limit):
        if age_group:
            age_group = age_group.replace("-", "")
        expression = match_expression(groups, language=language, age_group=age_group, kind=kind)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {BM25} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                f"ORDER BY 2 LIMIT %s",
                [expression, limit],
            )
            # bm25 is lower-is-better; report higher-is-better like PostgreSQL.
            return [(pk, -score) for pk, score in cursor.fetchall()]

    def similar_words(self, word, *, language, limit):
        grams = {word[i : i + 3] for i in range(len(word) - 2)}
        if not grams:
            return []
        expression = " OR ".join(_quote(g) for g in sorted(grams))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.word FROM {TRIGRAM_TABLE} f JOIN handreiking_searchterm t "
                f"ON t.id = f.rowid WHERE {TRIGRAM_TABLE} MATCH %s AND t.language = %s "
                f"ORDER BY rank LIMIT %s",
                [expression, language, limit],
            )
            return [row[0] for row in cursor.fetchall()]
