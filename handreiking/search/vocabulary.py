"""The guide's vocabulary in memory: known words, synonyms, compound parts and typo candidates.

Every process keeps one `Vocabulary` per language, read from the SearchTerm rows in one
query and kept until the index version changes. Looking words up here costs no SQL
query per word, and gives the same answers on SQLite and PostgreSQL.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection

from ..models import SearchIndexState, SearchTerm
from . import analysis

# A query word also finds longer words that contain it ("telefoon" -> "kindertelefoon",
# "foto" -> "naaktfoto"): inside a word from this many letters, at either end from
# MIN_EDGE_PART ("app" -> "appgroep"); the longer word has at least MIN_EXTRA more
# letters (fewer is an inflection, which stems already match).
MIN_INNER_PART = 4
MIN_EDGE_PART = 3
MIN_EXTRA = 3
MAX_CONTAINING = 20  # the most frequent ones: a query never expands to hundreds of terms
MIN_SHORTER_STEM = 5  # "stalker" -> "stalk"(ing), "groomer" -> "groom"(ing)
AGENT_ENDINGS = ("ers", "er")  # the one who does it: "stalker", "pesters", "gamer"
# Typo candidates: words sharing the most three-letter pieces, then the closest spelling.
TYPO_CANDIDATES = 60
TYPO_MIN_RATIO = 0.75
CONCEPT_BONUS = 0.06  # a glossary name or everyday synonym beats an equally close common word
# A term in more than this share of a language's documents is "common": queries rank by it
# but do not require it. (Stop words are dropped before; these are the guide's own staples,
# such as "leerling", "kind", "online".)
COMMON_SHARE = 0.2


@dataclass
class Vocabulary:
    """One language's words, read once per index version and then only read.

    Shared by every thread of a process. Its tables are filled before it is published
    (`vocabularies` swaps in a whole new set), and never changed after; the lookups it
    builds lazily (`_grams`, `_by_stem`, `_containing`) are each built completely and
    then stored with one assignment, so two threads at worst build the same one twice.
    """

    language: str
    frequency: dict[str, int] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    concepts: set[str] = field(default_factory=set)
    # The index's statistics (see SearchIndexState.statistics) for ranking.
    documents: int = 0
    average: dict[str, float] = field(default_factory=dict)
    spread: dict[str, int] = field(default_factory=dict)
    common: frozenset[str] = frozenset()  # terms too widespread to require
    _grams: dict[str, list[str]] | None = None
    _containing: dict[str, list[str]] = field(default_factory=dict)
    _by_stem: dict[str, str] | None = None

    def __contains__(self, word: str) -> bool:
        return word in self.frequency

    def known_words(self, words: list[str]) -> dict[str, list[str]]:
        """These words and their possible compound halves that the guide uses -> synonyms."""
        known = {}
        low = analysis.MIN_COMPOUND_PART
        for word in words:
            candidates = {word}
            for cut in range(low, len(word) - low + 1):
                left = word[:cut]
                candidates.update({left, word[cut:], left[:-1], left[:-2]})
            known.update({c: self.synonyms.get(c, []) for c in candidates if c in self.frequency})
        return known

    def containing(self, word: str) -> list[str]:
        """Longer words of the guide that have `word` as a part, most frequent first."""
        if word in self._containing:
            return self._containing[word]
        found: list[str] = []
        if len(word) >= MIN_EDGE_PART and not analysis.is_stop_word(word, self.language):
            own = analysis.stem(word, self.language)
            inner = len(word) >= MIN_INNER_PART
            for other in self._sharing_pieces(word):
                if len(other) - len(word) < MIN_EXTRA or word not in other:
                    continue
                if not (inner or other.startswith(word) or other.endswith(word)):
                    continue
                if analysis.stem(other, self.language) != own:
                    found.append(other)
            found.sort(key=lambda other: (-self.frequency[other], other))
            found = found[:MAX_CONTAINING]
        if len(self._containing) < 10_000:
            self._containing[word] = found
        return found

    def shorter_forms(self, word: str) -> list[str]:
        """For a word the guide does not use, a guide word it extends ("stalker" -> "stalking").

        The Snowball stems differ ("stalker", "stalk"), so stems alone never match them;
        the word without its agent ending, when that is a stem of the guide, does.
        """
        if word in self.frequency or len(word) < MIN_SHORTER_STEM + 1:
            return []
        if self._by_stem is None:
            by_stem: dict[str, str] = {}
            for other in sorted(self.frequency, key=lambda w: (-self.frequency[w], w)):
                by_stem.setdefault(analysis.stem(other, self.language), other)
            self._by_stem = by_stem
        own = analysis.stem(word, self.language)
        for ending in AGENT_ENDINGS:
            prefix = word.removesuffix(ending)
            if prefix != word and len(prefix) >= MIN_SHORTER_STEM and prefix != own \
                    and prefix in self._by_stem:
                return [self._by_stem[prefix]]
        return []

    def _sharing_pieces(self, word: str) -> set[str]:
        """The guide's words that have every three-letter piece of `word`: a superset of
        those containing it, from the trigram index instead of a scan of every word."""
        index = self._trigram_index()
        pieces = sorted((index.get(word[i : i + 3], ()) for i in range(len(word) - 2)), key=len)
        if not pieces:
            return set()
        shared = set(pieces[0])
        for others in pieces[1:]:
            shared.intersection_update(others)
            if not shared:
                break
        return shared

    def _trigram_index(self) -> dict[str, list[str]]:
        if self._grams is None:
            grams: dict[str, list[str]] = defaultdict(list)
            for word in self.frequency:
                for gram in _trigrams(word):
                    grams[gram].append(word)
            self._grams = dict(grams)
        return self._grams

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """The guide's words this one is most likely a typo of, best first."""
        index = self._trigram_index()
        shared = Counter()
        for gram in _trigrams(word):
            shared.update(index.get(gram, ()))
        candidates = [w for w, _count in shared.most_common(TYPO_CANDIDATES)]
        scored = []
        for candidate in candidates:
            ratio = difflib.SequenceMatcher(None, word, candidate).ratio()
            if ratio >= TYPO_MIN_RATIO:
                bonus = CONCEPT_BONUS if candidate in self.concepts else 0.0
                scored.append((-(ratio + bonus), -self.frequency[candidate], candidate))
        return [candidate for *_key, candidate in sorted(scored)[:limit]]


def _trigrams(word: str) -> set[str]:
    padded = f" {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class _Loaded:
    version: int | None
    languages: dict[str, Vocabulary]


class _Current:
    """The vocabularies of the last index version this process read: one reference,
    replaced whole, so a thread sees one version's complete set and never a mix."""

    loaded: _Loaded | None = None


def index_version() -> int | None:
    # Raw SQL: this runs for every search, and building the ORM query costs more than it.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {SearchIndexState._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def vocabularies() -> dict[str, Vocabulary]:
    """Every language's vocabulary, reloaded (two queries) when the index version changed."""
    version = index_version()
    loaded = _Current.loaded
    if loaded is None or loaded.version != version or version is None:
        loaded = _Current.loaded = _Loaded(version, _read_vocabularies())
    return loaded.languages


def _read_vocabularies() -> dict[str, Vocabulary]:
    languages: dict[str, Vocabulary] = {}
    for code, word, frequency, synonyms, concept in SearchTerm.objects.values_list(
            "language", "word", "frequency", "synonyms", "is_concept"):
        vocabulary = languages.setdefault(code, Vocabulary(code))
        vocabulary.frequency[word] = frequency
        if synonyms:
            vocabulary.synonyms[word] = synonyms.splitlines()
        if concept:
            vocabulary.concepts.add(word)
    state = SearchIndexState.objects.filter(pk=1).values_list("statistics", flat=True)
    for code, stats in (state.first() or {}).items():
        vocabulary = languages.setdefault(code, Vocabulary(code))
        vocabulary.documents = stats["documents"]
        vocabulary.average = stats["average"]
        vocabulary.spread = stats["spread"]
        vocabulary.common = frozenset(term for term, count in stats["spread"].items()
                                      if count > COMMON_SHARE * stats["documents"])
    return languages


def vocabulary(language: str) -> Vocabulary:
    return vocabularies().get(language) or Vocabulary(language)
