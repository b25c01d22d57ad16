"""What every search backend returns, and the small interface they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from django.db import connection
from django.utils.safestring import SafeString

from .snippets import make_snippet


@dataclass
class SearchHit:
    pk: int
    title: str
    url: str
    kind: str
    kind_label: str
    context: str
    stems: frozenset[str]
    language: str
    score: float = 0.0
    # The text to quote; filled by search.attach_snippets() for the hits on the page shown.
    snippet_source: str = ""
    all_words: bool = True  # False: it matched only some of the query's words
    first_with_some_words: bool = False  # the results page puts a heading above it

    @cached_property
    def snippet_html(self) -> SafeString:
        return make_snippet(self.snippet_source, self.stems, self.language)


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    definition: SearchHit | None = None  # a glossary term matching the query exactly
    corrected_query: str = ""  # set when a typo was corrected to find these hits (never
    # set for a correction without hits)
    absent_words: list[str] = field(default_factory=list)  # no form of them is in the guide


# A backend adds this to every title/alias match's score, so with `tiered` matching every
# title match ranks above every body-only match (querying builds its tiers on it).
HEAD_BONUS = 1_000_000.0


class Backend(Protocol):
    """One database's full-text engine over the SearchDocument rows."""

    def rebuild(self) -> None:
        """Index every SearchDocument (and the vocabulary) from scratch."""

    def match(self, groups, *, language: str, age_group: str | None, kind: str | None,
              limit: int, tiered: bool = True, exclude=None) -> list[tuple[int, float]]:
        """(document id, score) pairs, best first, for analysed query groups.

        Tiered: every title/alias match (score >= HEAD_BONUS) above every body-only match.
        `exclude`: groups whose matches are left out (the exact words, when asking for
        the documents only the longer words find).
        """


def get_backend() -> Backend:
    """The backend for the database in use; views never import one directly."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SQLiteBackend

    return SQLiteBackend()
