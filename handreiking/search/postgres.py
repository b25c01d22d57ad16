"""PostgreSQL backend: weighted tsvectors of the analysed terms, GIN indexes, ts_rank."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, Q

from .base import HEAD_BONUS, Backend

# The terms are already stemmed and folded by search/analysis.py (the same analysis
# the SQLite backend indexes), so PostgreSQL must not stem them again: 'simple'.
CONFIG = "simple"
# ts_rank weights for D, C, B, A: title (A) far above aliases/summary (B) above body (C).
RANK_WEIGHTS = [0.05, 0.2, 0.5, 1.0]


def _lexeme(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"


def tsquery(groups) -> str:
    """Raw tsquery text: `(a | b) & (c | (d & e))`; lexemes are always quoted."""
    return " & ".join(
        "(" + " | ".join(
            "(" + " & ".join(_lexeme(t) for t in alternative) + ")"
            for alternative in group
        ) + ")"
        for group in groups
    )


class PostgresBackend(Backend):
    def rebuild(self) -> None:
        from ..models import SearchDocument

        head = (SearchVector("title_terms", weight="A", config=CONFIG)
                + SearchVector("extra_terms", weight="B", config=CONFIG))
        SearchDocument.objects.update(
            head_vector=head,
            search_vector=head + SearchVector("body_terms", weight="C", config=CONFIG),
        )

    def match(self, groups, *, language, age_group, kind, limit, tiered=True, exclude=None):
        """Title and alias/summary matches first, then body-only matches, each by ts_rank.

        Untiered (for hits with only some of the words): by ts_rank over the whole vector.

        As on SQLite, the head tier is ranked on its own small vectors, so a common word
        never needs ts_rank over every (large, compressed) body vector when titles fill
        the page; otherwise the whole vectors' best matches, minus the head's, follow.
        """
        from ..models import SearchDocument

        text = tsquery(groups)
        if exclude:
            text = f"({text}) & !({tsquery(exclude)})"
        query = SearchQuery(text, search_type="raw", config=CONFIG)
        documents = SearchDocument.objects.filter(visible_in__contains=language)
        if kind:
            documents = documents.filter(kind=kind)
        if age_group:
            documents = documents.filter(
                Q(age_groups="") | Q(age_groups__contains=f" {age_group} "))

        def best(vector: str, count: int):
            return (documents.filter(**{vector: query})
                    .annotate(rank=SearchRank(F(vector), query, weights=RANK_WEIGHTS))
                    .order_by("-rank", "id").values_list("id", "rank")[:count])

        if not tiered:
            return list(best("search_vector", limit))
        hits = [(pk, HEAD_BONUS + rank) for pk, rank in best("head_vector", limit)]
        if len(hits) < limit:
            in_head = {pk for pk, _rank in hits}
            rest = [(pk, rank) for pk, rank in best("search_vector", limit + len(hits))
                    if pk not in in_head]
            hits.extend(rest[: limit - len(hits)])
        return hits
