"""Ranking: BM25F over the candidates' analysed terms, computed here so every database agrees.

The databases find the candidates (and sort them into tiers: title or text, exact word or
compound part, all words or some); within a tier, this orders them. Neither FTS5's bm25
over tables without column sizes nor PostgreSQL's ts_rank (which has no inverse document
frequency) normalises for length, so a long section that mentions everything outranked
the short one about the query; BM25F with the index's own statistics does not.

It ranks per *query word*, not per index term: a word counts once however many of its
forms (stem, lemma, synonym) a text has, weighs what the word as typed weighs in the
guide (its inverse document frequency), and a longer word that merely contains it
("kind" in "kinderporno") counts for less and never for the longer word's own, higher
rarity. So in a teacher's question the one rare word carries it: "wat doe ik als een
kind depressief is" is about "depressief".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

K1 = 1.2
# Field weights as the FTS5 and tsvector weights (title far above aliases/summary above the
# text) and length normalisation per field (b), as in BM25F.
WEIGHTS = {"title": 10.0, "extra": 4.0, "body": 1.0}
LENGTH_NORMALISATION = {"title": 0.5, "extra": 0.5, "body": 0.75}
# A text with only a longer word containing the query word ("kinderporno" for "kind")
# scores this share of what the word itself would score there.
PART_WEIGHT = 0.5
# A word in more than COMMON_SHARE of the documents (vocabulary.COMMON_SHARE: "leerling",
# "kind", "online") weighs this share of its inverse document frequency, so the rare
# word of a question outweighs the common ones beside it: a common word weighs at most
# log(1 + 0.8 / 0.2) / 2 = 0.8, a word in three documents of the guide's 120 weighs 3.5.
# (0.5 met the judged sets best of 0.1-1.0: lower, the guide's staples stopped telling
# apart two texts that both have the rare word.)
COMMON_WEIGHT = 0.5


def idf(spread: int, documents: int) -> float:
    """Inverse document frequency, never negative (BM25's "+1" form), whatever the counts."""
    documents = max(documents, spread)
    return math.log(1.0 + (documents - spread + 0.5) / (spread + 0.5))


Alternative = tuple[str, ...]  # terms that must all be present (a compound's two halves)


@dataclass(frozen=True)
class QueryWord:
    """One word of the query as ranking sees it."""

    weight: float  # its inverse document frequency, lowered when the word is common
    exact: tuple[Alternative, ...]  # its own forms: stem, lemma, participle, synonyms
    parts: tuple[Alternative, ...] = ()  # longer words of the guide that contain it
    in_guide: bool = True  # some text of the guide has one of its forms or longer words
    common: bool = False  # in more than vocabulary.COMMON_SHARE of the documents


def query_words(exact: Sequence[list[Alternative]], longer: Sequence[list[Alternative]] | None,
                *, documents: int, spread: dict[str, int], common: frozenset[str]
                ) -> list[QueryWord]:
    """The query's words, weighted, from its analysed groups (one group per word).

    `longer`, when given, holds the same groups with the longer words added (querying's
    `with_parts`); a word's weight is that of its most widespread own form, so "kind"
    weighs what "kind" and "kinderen" weigh together, never what "kinderporno" does.
    """
    words = []
    longer = longer if longer is not None and len(longer) == len(exact) else [[]] * len(exact)
    for own, more in zip(exact, longer, strict=True):
        spreads = [min(spread.get(term, 0) for term in alternative) for alternative in own]
        widest = max(spreads, default=0)
        weight = idf(widest, documents)
        # Common when one of its own forms is ("kinderen"); a synonym of two words is
        # common only when both are ("sexuality education" is not, though "sexual" is).
        is_common = any(all(term in common for term in alternative) for alternative in own)
        if is_common:
            weight *= COMMON_WEIGHT
        parts = tuple(alternative for alternative in more if alternative not in own)
        words.append(QueryWord(weight, tuple(own), parts, in_guide=widest > 0 or bool(parts),
                               common=is_common))
    return words


def required(words: Sequence[QueryWord]) -> list[bool]:
    """Which words a hit must have: every word but the guide's staples and absent words.

    The common ones ("kind", "leerling", "online") only rank. A word no text has is
    never required: it would leave nothing to find ("depressief" in a question about a
    child who is; the results page says the guide does not use it).
    """
    return [word.in_guide and not word.common for word in words]


def query_terms(words: Iterable[QueryWord]) -> frozenset[str]:
    """Every term the words can be found by (for highlighting)."""
    return frozenset(term for word in words for alternative in (*word.exact, *word.parts)
                     for term in alternative)


def bm25f(fields: dict[str, str], words: Sequence[QueryWord], *, average: dict[str, float]
          ) -> float:
    """The BM25F score of one document's analysed fields (space-separated terms).

    Counted with str.count on the text with every term between its own spaces (whole
    terms only, repeats too): this runs for every candidate of every search, and
    splitting long texts into lists costs more.
    """
    padded = {}
    norms = {}
    for name, text in fields.items():
        if text:
            padded[name] = f" {text.replace(' ', '  ')} "
            b = LENGTH_NORMALISATION[name]
            length = text.count(" ") + 1
            norms[name] = 1.0 - b + b * length / max(average.get(name, 1.0), 1.0)
    score = 0.0
    for word in words:
        own = _weighted(padded, norms, word.exact)
        if own:
            score += word.weight * own / (K1 + own)
        elif word.parts:  # only through a longer word: a share of what the word would give
            longer = _weighted(padded, norms, word.parts)
            score += PART_WEIGHT * word.weight * longer / (K1 + longer)
    return score


def _weighted(padded: dict[str, str], norms: dict[str, float],
              alternatives: tuple[Alternative, ...]) -> float:
    """BM25F's weighted, length-normalised count of a word over the fields: per field,
    the count of its most frequent alternative (two forms of one word count once)."""
    weighted = 0.0
    for name, text in padded.items():
        count = max((_count(text, alternative) for alternative in alternatives), default=0)
        if count:
            weighted += WEIGHTS[name] * count / norms[name]
    return weighted


def _count(padded: str, alternative: Alternative) -> int:
    """How often every term of the alternative occurs (the rarest one's count)."""
    return min(padded.count(f" {term} ") for term in alternative)
