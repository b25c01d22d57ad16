"""Snippets with the matched words highlighted, escaped for the page; pure, no database."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import fold, lemma, participle_root, stem

TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
MIN_INFIX = 4


@lru_cache(maxsize=100_000)
def token_forms(token: str, language: str) -> tuple[str, frozenset[str]]:
    """A word of a text, folded, and the terms it is indexed under (stem, lemma, participle).

    Memoised per word, not per query: distinct queries share it, so a snippet checks
    each word with a set lookup instead of stemming it again for every new query.
    """
    folded = fold(token).replace("’", "'").split("'")[0]
    terms = {stem(folded, language), stem(lemma(folded, language), language)}
    root = participle_root(folded, language)
    if root:
        terms.add(stem(root, language))
    return folded, frozenset(terms)


def token_matches(token: str, stems: frozenset[str], language: str,
                  infixes: tuple[str, ...] | None = None) -> bool:
    """Does this word of the text match one of the query's stems?

    Compound words in the text ("pestgedrag") contain a searched stem ("pest"): the
    `infixes` are the stems of MIN_INFIX letters or more (computed from `stems` when
    not given; a snippet passes them once for all its words).
    """
    folded, terms = token_forms(token, language)
    if not terms.isdisjoint(stems):
        return True
    if infixes is None:
        infixes = _infixes(stems)
    return any(infix in folded for infix in infixes)


def _infixes(stems: frozenset[str]) -> tuple[str, ...]:
    return tuple(s for s in stems if len(s) >= MIN_INFIX)


def _letter_variants() -> dict[str, str]:
    """Lowercase Latin letters with diacritics, by the letter they fold to: "e" -> "èéêë…"."""
    variants: dict[str, str] = {}
    for code in range(0xC0, 0x250):
        letter = chr(code)
        folded = fold(letter)
        if letter.islower() and len(folded) == 1 and folded != letter:
            variants[folded] = variants.get(folded, "") + letter
    return variants


LETTER_VARIANTS = _letter_variants()
# A lowercase letter with a diacritic -> the letter it folds to ("ë" -> "e"): one for one,
# so folded text keeps its length, and a position found in it is a position in the text.
FOLDED_LETTER = {variant: letter for letter, variants in LETTER_VARIANTS.items()
                 for variant in variants}


# Any letter FOLDED_LETTER changes: most texts have few or none.
NEEDS_FOLDING = re.compile("[" + re.escape("".join(sorted(FOLDED_LETTER))) + "]")


def _folded(text: str) -> str | None:
    """The text lowercased and folded letter for letter, or None where lowercasing moved
    offsets (rare letters); translated only when it has a letter to fold."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    # Only the few letters to fold are replaced (str.translate with a table of this
    # size cost 100 µs on a long text, most of a snippet).
    return NEEDS_FOLDING.sub(_fold_letter, lowered)


def _fold_letter(match: re.Match) -> str:
    return FOLDED_LETTER[match.group(0)]


def _infix_positions(folded: str, infixes: tuple[str, ...], start: int, end: int) -> list[int]:
    """Every place in folded[start:end] where an infix begins (plain str.find, no pattern
    compiled per query: compiling one per set of stems was most of a search's time)."""
    positions = []
    for infix in infixes:
        position = folded.find(infix, start, end)
        while position >= 0:
            positions.append(position)
            position = folded.find(infix, position + 1, end)
    return sorted(positions)


def _first_match(text: str, folded: str | None, stems: frozenset[str], language: str,
                 infixes: tuple[str, ...]) -> int | None:
    """Where the first matching word starts, found without checking most words twice.

    A stem of MIN_INFIX letters or more found anywhere in the text is a match (see
    token_matches). No word before its first place can contain one, so those words
    need only the set lookup of their forms; from the word holding it on, every check.
    """
    if folded is None:  # no positions to trust: check every word fully
        cut, first = 0, None
    else:
        first = min((p for p in (folded.find(infix) for infix in infixes) if p >= 0),
                    default=None)
        cut = len(text) if first is None else first
        while cut > 0 and (text[cut - 1].isalnum() or (
                text[cut - 1] in "'’" and text[cut - 2 : cut - 1].isalnum())):
            cut -= 1  # the start of the word that holds it ("d'pestkop" is one word)
    for word in dict.fromkeys(TOKEN_RE.findall(text, 0, cut)):
        if not token_forms(word, language)[1].isdisjoint(stems):
            return _word_start(text, word)
    if folded is not None and first is None:
        return None
    for word in dict.fromkeys(TOKEN_RE.findall(text, cut)):
        if token_matches(word, stems, language, infixes):
            return _word_start(text, word)
    return None


def _word_start(text: str, word: str) -> int:
    """Where `word` first occurs as a whole word (not inside a longer one)."""
    position = text.find(word)
    while position > 0:
        before = text[position - 1]
        inside = before.isalnum() or (before in "'’" and text[position - 2 : position - 1]
                                      .isalnum())
        if not inside:
            break
        position = text.find(word, position + 1)
    return max(position, 0)


def _holds(places: list[int], start: int, end: int) -> bool:
    """Whether an infix begins within [start, end)."""
    index = bisect_left(places, start)
    return index < len(places) and places[index] < end


def make_snippet(text: str, stems: set[str] | frozenset[str], language: str, *,
                 width: int = 240) -> SafeString:
    """A window of `text` around the first matched word, with matches in <mark>.

    Only the text's distinct words are checked, and only the window is scanned word by
    word, so long texts stay cheap.
    """
    stems = frozenset(stems)
    text = text or ""
    if "  " in text or any(space in text for space in "\n\r\t"):
        text = " ".join(text.split())  # (indexed bodies are stored normalised already)
    folded = _folded(text)
    infixes = _infixes(stems)
    first = _first_match(text, folded, stems, language, infixes)
    if first is None:
        cut = text[:width]
        return mark_safe(escape(cut) + ("…" if len(text) > width else ""))  # noqa: S308
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    # Where an infix begins in the window: only words holding one need its check.
    places = None if folded is None else _infix_positions(folded, infixes, start, end)
    parts, position = [], start
    cut_word = end < len(text) and text[end].isalnum()  # the window ends inside a word
    for token in TOKEN_RE.finditer(text, start, end):
        if cut_word and token.end() == end:
            continue
        word = token.group(0)
        if token_forms(word, language)[1].isdisjoint(stems):
            if places is not None and not _holds(places, token.start(), token.end()):
                continue
            if not token_matches(word, stems, language, infixes):
                continue
        parts.append(escape(text[position : token.start()]))
        parts.append(f"<mark>{escape(word)}</mark>")
        position = token.end()
    parts.append(escape(text[position:end]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every part is escaped
