"""SQLite backend: FTS5 tables of analysed terms ranked by bm25, one pair per language.

Each language has its own tables holding the documents visible in it (its own texts and
the Dutch ones not yet translated), so no query has to leave out the other language's
documents: a NOT over half the index costs more than the whole rest of a search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from .base import HEAD_BONUS, Backend


def fts_table(language: str) -> str:
    """The language's full table: title, extra, body and meta columns."""
    return f"handreiking_search_fts_{language}"


def head_table(language: str) -> str:
    """The language's head table: title and extra only (the title tier)."""
    return f"handreiking_search_head_fts_{language}"


# Ranking is each table's `rank`: bm25 with column weights (title above extra, i.e.
# aliases and summary, above body; meta 0), set by the migration that creates the
# tables (0005 explains the weights), so that "ORDER BY rank LIMIT n" sorts inside
# FTS5. (Setting it here, inside a transaction that may roll back, would leave FTS5's
# cached configuration out of step with the table.)
#
# The tables tokenize with `tokenchars '_'` and every marker term in the meta column
# holds an underscore ("kind_case"). Analysed words never do (analysis.WORD_RE splits
# on "_"), so query words can only match title, extra and body, and no query needs a
# column filter, which FTS5 checks against every matching row's positions.


def _quote(term: str) -> str:
    """An FTS5 string literal: user words can never become FTS5 syntax."""
    return '"' + term.replace('"', '""') + '"'


def _marker(prefix: str, value: str) -> str:
    return f"{prefix}_{value.replace('-', '_')}"


def text_expression(groups) -> str:
    """Every group must match; within a group any alternative; within one, every term."""
    return " AND ".join(
        "(" + " OR ".join(
            "(" + " AND ".join(_quote(t) for t in alternative) + ")" for alternative in group
        ) + ")"
        for group in groups
    )


def match_expression(groups, *, age_group: str | None, kind: str | None,
                     exclude=None) -> str:
    """FTS5 query for the analysed groups; the filters are marker terms.

    The age filter excludes a rare marker ("notfor_kleuters") instead of requiring a
    term every document carries, so FTS5 has no long list of matches to intersect; the
    language is the table's.
    """
    expression = "(" + text_expression(groups) + ")"
    if exclude:
        expression = f"({expression} NOT ({text_expression(exclude)}))"
    if kind:
        expression = f"({expression} AND {_quote(_marker('kind', kind))})"
    if age_group:
        expression = f"({expression} NOT {_quote(_marker('notfor', age_group))})"
    return expression


def meta_terms(kind: str, age_groups: str, *, all_age_groups: list[str]) -> str:
    """Marker terms: the kind, and the age groups it is not for."""
    ages = age_groups.split()
    terms = [_marker("kind", kind)]
    if ages:
        terms += [_marker("notfor", slug) for slug in all_age_groups if slug not in ages]
    return " ".join(terms)


def fill_tables(cursor, rows, *, languages: list[str], age_groups: list[str]) -> None:
    """Replace every language's FTS5 tables' contents with these SearchDocument rows.

    `rows` are (id, title_terms, extra_terms, body_terms, visible_in, kind, age_groups)
    tuples; a row goes into the tables of every language it is visible in.
    """
    entries = [(pk, title, extra, body, visible.split(),
                meta_terms(kind, ages, all_age_groups=age_groups))
               for pk, title, extra, body, visible, kind, ages in rows]
    for language in languages:
        full, head = fts_table(language), head_table(language)
        for table in (full, head):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES('delete-all')")
        mine = [entry for entry in entries if language in entry[4]]
        cursor.executemany(
            f"INSERT INTO {full}(rowid, title, extra, body, meta) VALUES (%s, %s, %s, %s, %s)",
            [(pk, title, extra, body, meta) for pk, title, extra, body, _v, meta in mine])
        cursor.executemany(
            f"INSERT INTO {head}(rowid, title, extra, meta) VALUES (%s, %s, %s, %s)",
            [(pk, title, extra, meta) for pk, title, extra, _body, _v, meta in mine
             if title or extra])


class SQLiteBackend(Backend):
    def rebuild(self) -> None:
        from ..models import AgeGroup, SearchDocument

        rows = SearchDocument.objects.values_list(
            "id", "title_terms", "extra_terms", "body_terms", "visible_in", "kind", "age_groups"
        )
        with connection.cursor() as cursor:
            fill_tables(cursor, rows, languages=[code for code, _name in settings.LANGUAGES],
                        age_groups=list(AgeGroup.objects.values_list("slug", flat=True)))

    def match(self, groups, *, language, age_group, kind, limit, tiered=True, exclude=None):
        """Title and alias/summary matches first, then body-only matches, each by bm25.

        Untiered (for hits with only some of the words): by bm25 over all columns alone,
        so one common word in a title never outranks the rare words in a text.

        The head tier is ranked in its own small table, so a common word at scale never
        needs bm25 over every body that mentions it when titles fill the page. When
        they do not, every head match is known, and the whole table's best matches,
        minus those, are the body-only tier.
        """
        expression = match_expression(groups, age_group=age_group, kind=kind,
                                      exclude=exclude)
        sql = "SELECT rowid, rank FROM {0} WHERE {0} MATCH %s ORDER BY rank LIMIT %s"
        with connection.cursor() as cursor:
            if not tiered:
                cursor.execute(sql.format(fts_table(language)), [expression, limit])
                return [(pk, -score) for pk, score in cursor.fetchall()]
            cursor.execute(sql.format(head_table(language)), [expression, limit])
            # bm25 is lower-is-better; report higher-is-better like PostgreSQL.
            hits = [(pk, HEAD_BONUS - score) for pk, score in cursor.fetchall()]
            if len(hits) < limit:
                in_head = {pk for pk, _score in hits}
                cursor.execute(sql.format(fts_table(language)), [expression, limit + len(hits)])
                rest = [(pk, -score) for pk, score in cursor.fetchall() if pk not in in_head]
                hits.extend(rest[: limit - len(hits)])
        return hits
