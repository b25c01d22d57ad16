"""PostgreSQL backend: weighted tsvectors of the analysed terms, GIN index, ts_rank, pg_trgm."""

from __future__ import annotations

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db.models import BooleanField, ExpressionWrapper, F, Q

from .base import Backend

# The terms are already stemmed and folded by search/analysis.py (the same analysis
# the SQLite backend indexes), so PostgreSQL must not stem them again: 'simple'.
CONFIG = "simple"
# ts_rank weights for D, C, B, A: title (A) far above aliases/summary (B) above body (C).
RANK_WEIGHTS = [0.05, 0.2, 0.5, 1.0]


HEAD_BONUS = 1_000_000.0  # any title/alias match ranks above every body-only match


def _lexeme(term: str, weights: str = "") -> str:
    quoted = "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
    return f"{quoted}:{weights}" if weights else quoted


def tsquery(groups, *, weights: str = "") -> str:
    """Raw tsquery text: `(a | b) & (c | (d & e))`; lexemes are always quoted.

    `weights="AB"` restricts every lexeme to title and aliases/summary (the head tier).
    """
    return " & ".join(
        "(" + " | ".join(
            "(" + " & ".join(_lexeme(t, weights) for t in alternative) + ")"
            for alternative in group
        ) + ")"
        for group in groups
    )


class PostgresBackend(Backend):
    def rebuild(self) -> None:
        from ..models import SearchDocument

        SearchDocument.objects.update(
            search_vector=SearchVector("title_terms", weight="A", config=CONFIG)
            + SearchVector("extra_terms", weight="B", config=CONFIG)
            + SearchVector("body_terms", weight="C", config=CONFIG)
        )

    def match(self, groups, *, language, age_group, kind, limit):
        from ..models import SearchDocument

        query = SearchQuery(tsquery(groups), search_type="raw", config=CONFIG)
        documents = SearchDocument.objects.filter(
            search_vector=query, visible_in__contains=language
        )
        if kind:
            documents = documents.filter(kind=kind)
        if age_group:
            documents = documents.filter(
                Q(age_groups="") | Q(age_groups__contains=f" {age_group} "))
        head = SearchQuery(tsquery(groups, weights="AB"), search_type="raw", config=CONFIG)
        ranked = documents.annotate(
            rank=SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS),
            in_head=ExpressionWrapper(Q(search_vector=head), output_field=BooleanField()),
        ).order_by("-in_head", "-rank", "id")
        return [(pk, rank + (HEAD_BONUS if in_head else 0.0))
                for pk, rank, in_head in ranked.values_list("id", "rank", "in_head")[:limit]]

    def similar_words(self, word, *, language, limit):
        from ..models import SearchTerm

        return list(
            SearchTerm.objects.filter(language=language)
            .annotate(similarity=TrigramSimilarity("word", word))
            .filter(similarity__gt=0.2)
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:limit]
        )
