"""Querying: a visitor's words -> ranked hits with snippets, typo correction and filters."""

from __future__ import annotations

import difflib
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.urls import translate_url
from django.utils.translation import get_language

from ..models import SearchDocument, SearchIndexState, SearchTerm
from . import analysis
from .base import SearchHit, SearchResults, get_backend

MAX_HITS = 100
FEW_HITS = 10  # fewer hits with all the words: add the hits with some of them, below
SOME_WORDS_PENALTY = 100_000_000.0  # below every hit with all the words, on either backend
TYPO_CANDIDATES = 60
# Any input costs a bounded number of SQL queries: only the first words are analysed, and
# only a few unknown words are looked up for "Did you mean …?" (one query each).
MAX_QUERY_WORDS = 12
MAX_CORRECTED_WORDS = 3
TYPO_MIN_RATIO = 0.75



_vocabulary_cache: dict = {"version": None, "words": {}}


def _vocabulary_for(language: str) -> dict[str, list[str]]:
    """The guide's words (with their synonyms), cached per process per index version."""
    # Raw SQL: this runs for every search, and the ORM's query building costs more than
    # the lookup itself.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {SearchIndexState._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    version = row[0] if row else None
    cache = _vocabulary_cache
    if cache["version"] != version or version is None:
        words: dict[str, dict[str, list[str]]] = {}
        for code, word, synonyms in SearchTerm.objects.values_list("language", "word",
                                                                   "synonyms"):
            words.setdefault(code, {})[word] = synonyms.splitlines() if synonyms else []
        cache = {"version": version, "words": words}
        globals()["_vocabulary_cache"] = cache
    return cache["words"].get(language, {})


def _known_words(words: list[str], language: str) -> dict[str, list[str]]:
    """Which of these words (and their possible compound halves) the guide uses.

    Maps each known word to its synonyms (other names of the same glossary term).
    """
    vocabulary = _vocabulary_for(language)
    known = {}
    for word in words:
        candidates = {word}
        for cut in range(analysis.MIN_COMPOUND_PART, len(word) - analysis.MIN_COMPOUND_PART + 1):
            left = word[:cut]
            candidates.update({left, word[cut:], left[:-1], left[:-2]})
        known.update({c: vocabulary[c] for c in candidates if c in vocabulary})
    return known


def _languages_for(language: str) -> list[str]:
    """Text languages to analyse a query in: its own, plus Dutch for untranslated text."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return [language] if language == default else [language, default]


def _match(query: str, *, language, age_group, kind, require_all=True):
    """(scores by document id, query stems by text language, whether it has several words)."""
    backend = get_backend()
    scored: dict[int, float] = {}
    stems: dict[str, set[str]] = {}
    several = False
    for text_language in _languages_for(language):
        words = analysis.words(query)
        groups = analysis.query_groups(query, text_language, _known_words(words, text_language))
        if not groups:
            continue
        several = several or len(groups) > 1
        stems[text_language] = analysis.query_stems(groups)
        attempts = [groups] if require_all else [[sum(groups, [])]]
        for attempt in attempts:
            for pk, score in backend.match(attempt, language=language, age_group=age_group,
                                           kind=kind, limit=MAX_HITS):
                scored[pk] = max(score, scored.get(pk, float("-inf")))
    return scored, stems, several


def _correct(query: str, language: str) -> str:
    """The query with unknown words replaced by the closest word the guide uses."""
    backend = get_backend()
    words = analysis.words(query)
    known = _known_words(words, language)
    corrected = []
    looked_up = 0
    for word in words:
        if word in known or analysis.is_stop_word(word, language) or len(word) < 4 \
                or looked_up >= MAX_CORRECTED_WORDS:
            corrected.append(word)
            continue
        looked_up += 1
        candidates = backend.similar_words(word, language=language, limit=TYPO_CANDIDATES)
        best = difflib.get_close_matches(word, candidates, n=1, cutoff=TYPO_MIN_RATIO)
        corrected.append(best[0] if best else word)
    result = " ".join(corrected)
    return result if result != " ".join(words) else ""


def search(query: str, *, language: str, age_group: str | None = None,
           kind: str | None = None) -> SearchResults:
    """Ranked hits for a visitor's query; never raises for odd input, empty query -> no hits.

    Hits with all the words come first; when there are few of them, hits with some of
    the words follow ("naaktfoto doorgestuurd" also finds what says "naaktfoto" alone).
    With no hits at all, the query is corrected for typos.
    """
    results = SearchResults(query=query)
    words = analysis.words(query)
    if not words:
        return results
    if len(words) > MAX_QUERY_WORDS:  # the rest of a pasted message is not searched
        query = " ".join(words[:MAX_QUERY_WORDS])
    filters = {"language": language, "age_group": age_group, "kind": kind}
    scored, stems, several = _match(query, **filters)
    partial: set[int] = set()
    if len(scored) < FEW_HITS and several:
        # (The same words, so the same stems to highlight.)
        some, _stems, _several = _match(query, **filters, require_all=False)
        partial = set(some) - set(scored)
        scored.update({pk: some[pk] - SOME_WORDS_PENALTY for pk in partial})
    if not scored:
        corrected = next(
            (c for c in (_correct(query, lang) for lang in _languages_for(language)) if c), ""
        )
        if corrected:
            scored, stems, _several = _match(corrected, **filters)
            if scored:
                results.corrected_query = corrected
            else:
                results.suggestion = corrected
    if not scored:
        return results
    _build_hits(results, scored, stems, language, partial)
    return results


@lru_cache(maxsize=8)
def _kind_labels(language_code: str | None) -> dict[str, str]:
    """Translated kind names, per interface language (the choices are lazy strings)."""
    return {value: str(label) for value, label in SearchDocument.Kind.choices}


def _document_rows(pks: list[int], columns: list[str]) -> list[tuple]:
    """(id, *columns) of these search documents, in one query.

    Raw SQL because it runs twice per search with up to a hundred ids, where building
    the ORM's IN lookup costs more than the query. `columns` are field names from this
    module, never user input.
    """
    table = SearchDocument._meta.db_table
    placeholders = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(columns)} FROM {table} "
                       f"WHERE id IN ({placeholders})", pks)
        return cursor.fetchall()


def _build_hits(results: SearchResults, scored: dict[int, float], stems: dict[str, set[str]],
                language: str, partial: set[int]) -> None:
    """Ranked hits from scored document ids: exact title/term matches first, then score.

    `partial` holds the ids that matched only some of the words.
    """
    target = results.corrected_query or results.query
    meaningful = [w for w in analysis.words(target) if not analysis.is_stop_word(w, language)]
    wanted = " ".join(meaningful or analysis.words(target))
    rows = _document_rows(list(scored), ["kind", "language", "url", "title", "context", "extra"])
    labels = _kind_labels(get_language())
    stems_by_language = {code: frozenset(found) for code, found in stems.items()}

    def is_exact(kind: str, title: str, extra: str) -> bool:
        names = [title, *extra.splitlines()] if kind == SearchDocument.Kind.TERM else [title]
        return any(" ".join(analysis.words(name)) == wanted for name in names)

    ranked = []
    for pk, kind, doc_language, url, title, context, extra in rows:
        exact = is_exact(kind, title, extra)
        ranked.append(((not exact, -scored[pk], pk), exact, SearchHit(
            pk=pk, title=title,
            url=url if doc_language == language else translate_url(url, language),
            kind=kind, kind_label=labels.get(kind, kind), context=context,
            stems=stems_by_language.get(doc_language, frozenset()), language=doc_language,
            score=scored[pk], snippet_source=extra, all_words=pk not in partial)))
    ranked.sort(key=lambda item: item[0])
    for _key, exact, hit in ranked:
        if results.definition is None and exact and hit.kind == SearchDocument.Kind.TERM:
            results.definition = hit
        if not hit.all_words and all(earlier.all_words for earlier in results.hits[-1:]):
            hit.first_with_some_words = True
        results.hits.append(hit)


def attach_snippets(hits) -> None:
    """Fetch the texts to quote for these hits (one query); call it for the page shown."""
    hits = [hit for hit in hits if hit is not None]
    bodies = dict(_document_rows([hit.pk for hit in hits], ["body"])) if hits else {}
    for hit in hits:
        hit.snippet_source = bodies.get(hit.pk) or hit.snippet_source
        hit.__dict__.pop("snippet_html", None)

