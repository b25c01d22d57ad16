"""Ranking: BM25F over the candidates' analysed terms, computed here so every database agrees.

The databases find the candidates (and sort them into tiers: title or text, exact word or
compound part, all words or some); within a tier, this orders them. Neither FTS5's bm25
over tables without column sizes nor PostgreSQL's ts_rank (which has no inverse document
frequency) normalises for length, so a long section that mentions everything outranked
the short one about the query; BM25F with the index's own statistics does not.
"""

from __future__ import annotations

import math

K1 = 1.2
# Field weights as the FTS5 and tsvector weights (title far above aliases/summary above the
# text) and length normalisation per field (b), as in BM25F.
WEIGHTS = {"title": 10.0, "extra": 4.0, "body": 1.0}
LENGTH_NORMALISATION = {"title": 0.5, "extra": 0.5, "body": 0.75}


def idf(spread: int, documents: int) -> float:
    """Inverse document frequency, never negative (BM25's "+1" form), whatever the counts."""
    documents = max(documents, spread)
    return math.log(1.0 + (documents - spread + 0.5) / (spread + 0.5))


def bm25f(fields: dict[str, str], terms: frozenset[str], *, documents: int,
          average: dict[str, float], spread: dict[str, int]) -> float:
    """The BM25F score of one document's analysed fields (space-separated terms).

    Counted with str.count on the text with every term between its own spaces (whole
    terms only, repeats too): this runs for every candidate of every search, and
    splitting long texts into lists costs more.
    """
    padded = {name: f" {text.replace(' ', '  ')} " for name, text in fields.items() if text}
    norms = {}
    for name, text in fields.items():
        if text:
            b = LENGTH_NORMALISATION[name]
            length = text.count(" ") + 1
            norms[name] = 1.0 - b + b * length / max(average.get(name, 1.0), 1.0)
    score = 0.0
    for term in terms:
        needle = f" {term} "
        weighted = 0.0
        for name, text in padded.items():
            count = text.count(needle)
            if count:
                weighted += WEIGHTS[name] * count / norms[name]
        if weighted:
            score += idf(spread.get(term, 0), documents) * weighted / (K1 + weighted)
    return score
