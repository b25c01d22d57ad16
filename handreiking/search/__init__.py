"""Site search: one interface, a backend per database (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import difflib
import time
from collections import Counter
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.urls import translate_url
from django.utils.translation import get_language

from ..models import SearchDocument, SearchIndexState, SearchTerm
from . import analysis
from .base import Backend, SearchHit, SearchResults
from .documents import build_documents

MAX_HITS = 100
FEW_HITS = 10  # fewer hits with all the words: add the hits with some of them, below
SOME_WORDS_PENALTY = 100_000_000.0  # below every hit with all the words, on either backend
MAX_SYNONYMS = 8  # per word: a query expands to a handful of names, never to hundreds
TYPO_CANDIDATES = 60
TYPO_MIN_RATIO = 0.75

__all__ = ["SearchHit", "SearchResults", "attach_snippets", "get_backend", "index_documents",
           "rebuild_index", "search"]


def get_backend() -> Backend:
    """The backend for the database in use; views never import one directly."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SQLiteBackend

    return SQLiteBackend()


def _vocabulary(documents) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for document in documents:
        counter = counts.setdefault(document.language, Counter())
        for text in (document.title, document.extra, document.body):
            counter.update(analysis.words(text))
    return counts


def _synonyms(documents) -> dict[tuple[str, str], set[str]]:
    """(language, word) -> the other names of its glossary term (title and aliases)."""
    synonyms: dict[tuple[str, str], set[str]] = {}
    for document in documents:
        if document.kind != SearchDocument.Kind.TERM:
            continue
        names = [document.title, *document.extra.splitlines()]
        for name in names:
            name_words = analysis.words(name)
            if len(name_words) != 1:
                continue  # a query is matched word by word; multi-word names are targets only
            others = {other for other in names if other != name}
            synonyms.setdefault((document.language, name_words[0]), set()).update(others)
    return synonyms


def rebuild_index() -> int:
    """Recreate every search document and the vocabulary from the content rows."""
    return index_documents(build_documents())


def index_documents(documents: list[SearchDocument], *,
                    timings: dict[str, float] | None = None) -> int:
    """Replace the whole index with these (unsaved) documents; returns how many.

    `timings`, when given, receives seconds per phase (used by `make bench`).
    """
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        if timings is not None:
            now = time.perf_counter()
            timings[name] = timings.get(name, 0.0) + now - clock
            clock = now

    vocabulary = _vocabulary(documents)
    known = {language: set(counter) for language, counter in vocabulary.items()}
    synonyms = _synonyms(documents)
    lap("vocabulary")
    caches: dict[str, dict] = {}
    for document in documents:
        language = document.language
        words, cache = known.get(language, set()), caches.setdefault(language, {})
        for source, target in (("title", "title_terms"), ("extra", "extra_terms"),
                               ("body", "body_terms")):
            terms = analysis.index_terms(getattr(document, source), language, words, cache)
            setattr(document, target, " ".join(terms))
    lap("terms")
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        SearchDocument.objects.bulk_create(documents, batch_size=500)
        SearchTerm.objects.bulk_create(
            [SearchTerm(language=language, word=word[:100], frequency=count,
                        synonyms="\n".join(sorted(synonyms.get((language, word), ()),
                                                   key=lambda name: (len(name), name))
                                            [:MAX_SYNONYMS]))
             for language, counter in vocabulary.items() for word, count in counter.items()
             if len(word) >= 3],
            batch_size=1000,
        )
        lap("insert")
        get_backend().rebuild()
        state, _created = SearchIndexState.objects.get_or_create(pk=1)
        state.version = time.time_ns()
        state.save(update_fields=["version"])
        lap("backend")
    return len(documents)


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
    for word in words:
        if word in known or analysis.is_stop_word(word, language) or len(word) < 4:
            corrected.append(word)
            continue
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
    if not analysis.words(query):
        return results
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

