"""Querying: a visitor's words -> ranked hits with snippets, typo correction and filters."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.urls import translate_url
from django.utils.translation import get_language

from ..models import SearchDocument
from . import analysis
from .base import HEAD_BONUS, SearchHit, SearchResults, get_backend
from .ranking import QueryWord, bm25f, query_terms, query_words, required
from .vocabulary import Vocabulary, vocabularies

MAX_HITS = 100
# The most results a search lists (and so the page numbers a results page can have).
MAX_RESULTS = 200
FEW_HITS = 10  # fewer hits with all the words: add the hits with some of them, below
# Score offsets that make tiers, on either backend (body scores are far below 1e3): exact
# title/alias matches (the backends' HEAD_BONUS), then title/alias matches through a
# compound part, then exact body matches, then body matches through a compound part,
# then hits with only some of the words.
PART_HEAD_PENALTY = 500_000.0
PART_BODY_PENALTY = 10_000.0
SOME_WORDS_PENALTY = 100_000_000.0
TIER_OFFSETS = (HEAD_BONUS, HEAD_BONUS - PART_HEAD_PENALTY, 0.0, -PART_BODY_PENALTY,
                -SOME_WORDS_PENALTY)
# A tier's lowest score: half-way to the next tier's offset.
TIER_FLOORS = tuple((offset + lower) / 2 for offset, lower in
                    zip(TIER_OFFSETS, TIER_OFFSETS[1:], strict=False)) + (float("-inf"),)
HEAD_TIER = TIER_FLOORS[0]

# Any input costs a bounded number of SQL queries: only the first words are analysed,
# only a few unknown words are corrected, and only a few corrections are tried.
MAX_QUERY_WORDS = 12
MAX_CORRECTED_WORDS = 3
MAX_CORRECTION_TRIES = 3
MIN_CORRECTED_LENGTH = 4


@dataclass
class _Analysed:
    """One query analysed in one text language."""

    language: str
    groups: list  # per meaningful word, its alternatives (analysis.query_groups)
    with_parts: list | None  # the same with longer words containing a query word; None: none
    several: bool  # more than one meaningful word
    ranking: list[QueryWord]  # the words as BM25F weighs them (before _relax)


def _languages_for(language: str) -> list[str]:
    """Text languages to analyse a query in: its own, plus Dutch for untranslated text."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return [language] if language == default else [language, default]


def _analyse(words: list[str], vocabulary: Vocabulary, *, longer: bool = True) -> _Analysed:
    """The query in one text language; `longer`: also the guide's longer words for its words."""
    language = vocabulary.language
    query = " ".join(words)
    known = vocabulary.known_words(words)
    meaningful = analysis.meaningful_words(words, language)
    groups = analysis.query_groups(query, language, known)
    related = {word: vocabulary.containing(word) + vocabulary.shorter_forms(word)
               for word in meaningful} if longer else {}
    related = {word: others for word, others in related.items() if others}
    with_parts = analysis.query_groups(query, language, known, related) if related else None
    ranking = query_words(groups, with_parts, documents=vocabulary.documents,
                          spread=vocabulary.spread, common=vocabulary.common)
    if with_parts and len(groups) == 1 == len(with_parts):
        # One word: the documents only its longer words find are those with one of them.
        only_longer = [alt for alt in with_parts[0] if alt not in groups[0]]
        with_parts = [only_longer] if only_longer else None
    needed = required(ranking)
    return _Analysed(language, _relax(groups, needed), _relax(with_parts, needed),
                     len(groups) > 1, ranking)


def _relax(groups: list | None, needed: list[bool]) -> list | None:
    """Require only the query's rarest words (ranking.required); the others still rank.

    "leerling praat over zelfmoord" must contain "zelfmoord"; "leerling" and "praat",
    in much of the guide, are more alternatives of a last group that any word
    satisfies, so hits with them score higher, and hits without them are not lost.
    """
    if not groups or len(needed) != len(groups) or all(needed) or not any(needed):
        return groups
    kept = [group for group, keep in zip(groups, needed, strict=True) if keep]
    return kept + [[alternative for group in groups for alternative in group]]


def _scores(analysed: list[_Analysed], filters: dict, *, require_all: bool = True
            ) -> dict[int, float]:
    """Document id -> score over the text languages, in the tiers described above."""
    backend = get_backend()
    scored: dict[int, float] = {}

    def run(groups, exclude=None) -> None:
        if not require_all:
            groups = [list(dict.fromkeys(sum(groups, [])))]  # any word will do
        for pk, score in backend.match(groups, limit=MAX_HITS, tiered=require_all,
                                       exclude=exclude, **filters):
            if score > scored.get(pk, float("-inf")):
                scored[pk] = score

    if not require_all:  # one query per language: the longer words are just more words
        for one in analysed:
            if one.groups:
                run(one.with_parts or one.groups)
        return scored
    for one in analysed:
        if one.groups:
            run(one.groups)
    exact = set(scored)
    # Title matches through a compound part rank below every exact title match; when those
    # already fill the list, the longer words could add nothing to it.
    if sum(1 for score in scored.values() if score >= HEAD_TIER) < MAX_HITS:
        for one in analysed:
            if one.with_parts:  # only what the exact words did not find: a short list
                run(one.with_parts, exclude=one.groups)
    for pk in set(scored) - exact:
        score = scored[pk]
        scored[pk] = score - (PART_HEAD_PENALTY if score >= HEAD_TIER else PART_BODY_PENALTY)
    return scored


def _joined(words: list[str], vocabulary: Vocabulary) -> list[str]:
    """Two words typed apart that the page language writes as one: "dick pic".

    Where both are words of their own, only when the joined word is a concept (a
    glossary name or a synonym's everyday word: "nude selfie"), so "naakt foto" stays two
    words (and still finds "naaktfoto", whose parts are indexed).
    """
    joined: list[str] = []
    for word in words:
        if joined:
            together = joined[-1] + word
            both_known = joined[-1] in vocabulary and word in vocabulary
            if together in vocabulary and (not both_known or together in vocabulary.concepts):
                joined[-1] = together
                continue
        joined.append(word)
    return joined


def _unknown(words: list[str], language_vocabularies: list[Vocabulary]) -> list[str]:
    """Words worth correcting: no stop word, not short, and unknown in every text language.

    A word the guide uses only inside longer words ("telefoon"), or a compound of two
    words it uses ("pestgedrag"), is known. So is a word of the language's dictionary
    that the guide lacks: "opslaan" is no typo of "doorslaan", and is searched as itself
    (its lemma and forms), or reported as a word the guide does not use.
    """
    unknown = []
    for word in words:
        if len(word) < MIN_CORRECTED_LENGTH or any(
                analysis.is_stop_word(word, v.language) or word in v
                or analysis.is_real_word(word, v.language)
                or analysis.split_compound(word, v.frequency) or v.containing(word)
                for v in language_vocabularies):
            continue
        unknown.append(word)
    return unknown[:MAX_CORRECTED_WORDS]


def _corrections(words: list[str], language_vocabularies: list[Vocabulary]) -> list[list[str]]:
    """Corrected versions of the query, most likely first; known words stay as typed."""
    unknown = _unknown(words, language_vocabularies)
    options: dict[str, list[str]] = {}
    for word in unknown:
        found: list[str] = []
        for vocabulary in language_vocabularies:
            found += [c for c in vocabulary.corrections(word) if c not in found]
        if found:
            options[word] = found
    if not options:
        return []
    tries = [{word: found[0] for word, found in options.items()}]
    for word, found in options.items():  # then the second choice for one word at a time
        if len(found) > 1 and len(tries) < MAX_CORRECTION_TRIES:
            tries.append({**tries[0], word: found[1]})
    return [[chosen.get(word, word) for word in words] for chosen in tries]


def search(query: str, *, language: str, age_group: str | None = None,
           kind: str | None = None) -> SearchResults:
    """Ranked hits for a visitor's query; never raises for odd input, empty query -> no hits.

    Hits with all the words come first (an exact word above a longer word that only
    contains it); when there are few of them, hits with some of the words follow
    ("naaktfoto doorgestuurd" also finds what says "naaktfoto" alone). With no hits,
    unknown words are corrected for typos, and a correction is only ever shown when it
    has hits.
    """
    results = SearchResults(query=query)
    words = analysis.words(query)[:MAX_QUERY_WORDS]  # the rest of a pasted message is not searched
    if not words:
        return results
    loaded = vocabularies()
    language_vocabularies = [loaded.get(code) or Vocabulary(code)
                             for code in _languages_for(language)]
    words = _joined(words, language_vocabularies[0])
    filters = {"language": language, "age_group": age_group, "kind": kind}
    analysed = [_analyse(words, vocabulary) for vocabulary in language_vocabularies]
    scored = _scores(analysed, filters)
    # A word the guide lacks does not stop the others from finding hits, so a typo
    # among known words ("pesten groomng") is corrected even when there are hits.
    if not scored or _absent(analysed, words):
        for corrected in _corrections(words, language_vocabularies):
            # A correction is a word of the guide: its own matches are what was meant.
            attempt = [_analyse(corrected, vocabulary, longer=False)
                       for vocabulary in language_vocabularies]
            scored = _scores(attempt, filters)
            if scored:
                results.corrected_query, words, analysed = " ".join(corrected), corrected, attempt
                break
    partial: set[int] = set()
    if len(scored) < FEW_HITS and any(one.several for one in analysed):
        some = _scores(analysed, filters, require_all=False)
        partial = set(some) - set(scored)
        scored.update({pk: some[pk] - SOME_WORDS_PENALTY for pk in partial})
    results.absent_words = _absent(analysed, words)
    if not scored:
        return results
    concepts = _concept_names(words, language_vocabularies)
    _build_hits(results, scored, analysed, language, partial, concepts, language_vocabularies)
    return results


def _absent(analysed: list[_Analysed], words: list[str]) -> list[str]:
    """The query's words that no text of the guide has in any form, in any text language
    (the results page says so rather than guess what they meant)."""
    absent = None
    for one in analysed:
        meaningful = list(dict.fromkeys(analysis.meaningful_words(words, one.language)))
        if len(meaningful) != len(one.ranking):
            return []  # two words analysed alike: no telling which is which
        missing = {word for word, ranked in zip(meaningful, one.ranking, strict=True)
                   if not ranked.in_guide}
        absent = missing if absent is None else absent & missing
    return sorted(absent or (), key=words.index)


def _tier(score: float) -> float:
    """The offset of the tier a score is in (see TIER_OFFSETS)."""
    return next(offset for floor, offset in zip(TIER_FLOORS, TIER_OFFSETS, strict=True)
                if score >= floor)


def _concept_names(words: list[str], language_vocabularies: list[Vocabulary]) -> set[str]:
    """The names the query may mean: its meaningful words, and for one word its synonyms.

    "wat is sextortion" -> {"sextortion"}; "cyberpesten" -> {"cyberpesten",
    "cyberbullying"}; "nudes" -> {"nudes", "naaktbeelden"} (from the synonyms file).
    """
    names = set()
    for vocabulary in language_vocabularies:
        meaningful = analysis.meaningful_words(words, vocabulary.language)
        names.add(" ".join(meaningful))
        if len(meaningful) == 1:
            names.update(" ".join(analysis.words(name))
                         for name in vocabulary.synonyms.get(meaningful[0], []))
    return names


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


def _build_hits(results: SearchResults, scored: dict[int, float], analysed: list[_Analysed],
                language: str, partial: set[int], concepts: set[str],
                language_vocabularies: list[Vocabulary]) -> None:
    """Ranked hits from scored document ids: the concept the query names first, then score.

    Within its tier, a hit's score is its BM25F (search.ranking), for every candidate, so
    every database ranks alike. A glossary term whose name, alias or synonym the query is
    ranks first (and is the definition card), then items titled exactly so, then the
    rest by score. `partial` holds the ids that matched only some of the words.
    """
    rows = _document_rows(list(scored), ["kind", "language", "url", "title", "context", "extra",
                                         "title_terms", "extra_terms", "body_terms"])
    by_language = {v.language: v for v in language_vocabularies}
    labels = _kind_labels(get_language())
    ranking = {one.language: one.ranking for one in analysed}
    stems_by_language = {one.language: query_terms(one.ranking) for one in analysed}

    def names_the_query(kind: str, title: str, extra: str) -> bool:
        names = [title, *extra.splitlines()] if kind == SearchDocument.Kind.TERM else [title]
        return any(" ".join(analysis.words(name)) in concepts for name in names)

    relevance = {}
    for pk, _kind, doc_language, _url, _title, _context, _extra, *terms in rows:
        vocabulary = by_language.get(doc_language) or Vocabulary(doc_language)
        relevance[pk] = bm25f(dict(zip(("title", "extra", "body"), terms, strict=True)),
                              ranking.get(doc_language, ()), average=vocabulary.average)
    # A hit with some of the words whose words weigh more than those of every text hit
    # with all of them ranks among those: "positive approach" in a title, for "positive
    # approach to internet use", above a paragraph that mentions all four in passing.
    best_text = max((relevance[pk] for pk in scored
                     if pk not in partial and _tier(scored[pk]) <= 0.0), default=float("-inf"))
    promoted = {pk for pk in partial if relevance[pk] > best_text}
    ranked = []
    for pk, kind, doc_language, url, title, context, extra, *_terms in rows:
        has_all = pk not in partial or pk in promoted
        exact = has_all and names_the_query(kind, title, extra)
        is_term = exact and kind == SearchDocument.Kind.TERM
        score = (0.0 if pk in promoted else _tier(scored[pk])) + relevance[pk]
        ranked.append(((not is_term, not exact, -score, pk), is_term, SearchHit(
            pk=pk, title=title,
            url=url if doc_language == language else translate_url(url, language),
            kind=kind, kind_label=labels.get(kind, kind), context=context,
            stems=stems_by_language.get(doc_language, frozenset()), language=doc_language,
            score=score, snippet_source=extra, all_words=has_all)))
    ranked.sort(key=lambda item: item[0])
    for _key, is_term, hit in ranked[:MAX_RESULTS]:
        if results.definition is None and is_term:
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

