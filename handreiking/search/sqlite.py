"""SQLite backend: an FTS5 table of analysed terms ranked by bm25, a trigram table for typos."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from .base import Backend

FTS_TABLE = "handreiking_search_fts"
HEAD_TABLE = "handreiking_search_head_fts"
HEAD_BONUS = 1_000_000.0  # any title/alias match ranks above every body-only match
TRIGRAM_TABLE = "handreiking_searchterm_trigram"
# Ranking is the table's `rank`: bm25 with column weights title 10, extra (aliases,
# summary) 4, body 1, meta 0, set once by migration 0002, so that "ORDER BY rank LIMIT n"
# sorts inside FTS5. (Setting it here, inside a transaction that may roll back, would
# leave FTS5's cached configuration out of step with the table.)


def _quote(term: str) -> str:
    """An FTS5 string literal: user words can never become FTS5 syntax."""
    return '"' + term.replace('"', '""') + '"'


def _token(prefix: str, value: str) -> str:
    return prefix + value.replace("-", "")


def text_expression(groups) -> str:
    """Every group must match; within a group any alternative; within one, every term."""
    return " AND ".join(
        "(" + " OR ".join(
            "(" + " AND ".join(_quote(t) for t in alternative) + ")" for alternative in group
        ) + ")"
        for group in groups
    )


def match_expression(groups, *, language: str, age_group: str | None, kind: str | None,
                     tier: str = "all") -> str:
    """FTS5 query for one ranking tier; filters use the meta column.

    tier "head": the words match in title or extra (aliases, summary); "rest": they match
    only when the body is included; "all": both. The language and age filters exclude
    rare marker terms ("hideen", "notforkleuters") instead of requiring a term every
    document carries, so FTS5 has no long list of matches to intersect.
    """
    text = text_expression(groups)
    head = "({title extra} : (" + text + "))"
    everywhere = "({title extra body} : (" + text + "))"
    expression = {"head": head, "all": everywhere, "rest": f"({everywhere} NOT {head})"}[tier]
    # (The head tier runs on HEAD_TABLE, which has no body column.)
    if kind:
        expression = f"({expression} AND meta : {_quote(_token('kind', kind))})"
    expression = f"({expression} NOT meta : {_quote(_token('hide', language))})"
    if age_group:
        expression = f"({expression} NOT meta : {_quote(_token('notfor', age_group))})"
    return expression


def meta_terms(visible_in: str, kind: str, age_groups: str, *, languages: list[str],
               all_age_groups: list[str]) -> str:
    """Marker terms: the kind, languages it is hidden in, age groups it is not for."""
    visible = visible_in.split()
    ages = age_groups.split()
    terms = [_token("kind", kind)]
    terms += [_token("hide", code) for code in languages if code not in visible]
    if ages:
        terms += [_token("notfor", slug) for slug in all_age_groups if slug not in ages]
    return " ".join(terms)


class SQLiteBackend(Backend):
    def rebuild(self) -> None:
        from ..models import AgeGroup, SearchDocument

        languages = [code for code, _name in settings.LANGUAGES]
        age_slugs = list(AgeGroup.objects.values_list("slug", flat=True))
        rows = SearchDocument.objects.values_list(
            "id", "title_terms", "extra_terms", "body_terms", "visible_in", "kind", "age_groups"
        )
        entries = [(pk, title, extra, body, meta_terms(visible, kind, ages, languages=languages,
                                                       all_age_groups=age_slugs))
                   for pk, title, extra, body, visible, kind, ages in rows]
        with connection.cursor() as cursor:
            for table in (FTS_TABLE, HEAD_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES('delete-all')")
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, title, extra, body, meta) "
                f"VALUES (%s, %s, %s, %s, %s)", entries)
            cursor.executemany(
                f"INSERT INTO {HEAD_TABLE}(rowid, title, extra, meta) VALUES (%s, %s, %s, %s)",
                [(pk, title, extra, meta) for pk, title, extra, _body, meta in entries
                 if title or extra])
            cursor.execute(f"INSERT INTO {TRIGRAM_TABLE}({TRIGRAM_TABLE}) VALUES('rebuild')")

    def match(self, groups, *, language, age_group, kind, limit):
        """Title and alias/summary matches first, then body-only matches, each by bm25.

        Ranking the small head tier first means a common word at scale never needs
        bm25 over every body that mentions it: when the head fills the page, done.
        """
        hits: list[tuple[int, float]] = []
        with connection.cursor() as cursor:
            for tier, bonus in (("head", HEAD_BONUS), ("rest", 0.0)):
                if len(hits) >= limit:
                    break
                expression = match_expression(groups, language=language, age_group=age_group,
                                              kind=kind, tier=tier)
                table = HEAD_TABLE if tier == "head" else FTS_TABLE
                cursor.execute(
                    f"SELECT rowid, rank FROM {table} WHERE {table} MATCH %s "
                    f"ORDER BY rank LIMIT %s",
                    [expression, limit - len(hits)],
                )
                # bm25 is lower-is-better; report higher-is-better like PostgreSQL.
                hits.extend((pk, bonus - score) for pk, score in cursor.fetchall())
        return hits

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
