"""Snippets with the matched words highlighted, escaped for the page; pure, no database."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import fold, participle_root, stem

TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
MIN_INFIX = 4


@lru_cache(maxsize=100_000)
def token_matches(token: str, stems: frozenset[str], language: str) -> bool:
    """Does this word of the text match one of the query's stems?"""
    folded = fold(token).replace("’", "'").split("'")[0]
    if stem(folded, language) in stems:
        return True
    root = participle_root(folded, language)
    if root and stem(root, language) in stems:
        return True
    # Compound words in the text ("pestgedrag") contain a searched stem ("pest").
    return any(len(s) >= MIN_INFIX and s in folded for s in stems)


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
# Lowercase text -> the same text folded letter for letter ("ë" -> "e"): the same length,
# so a position found in it is a position in the text.
FOLD_LETTERS = str.maketrans({variant: letter for letter, variants in LETTER_VARIANTS.items()
                              for variant in variants})


def _first_infix(lowered: str, stems: frozenset[str]) -> int | None:
    """Where the first stem of MIN_INFIX letters or more occurs, with or without diacritics.

    Plain `str.find` on the folded text, one per stem: no pattern to compile per query
    (compiling one per set of stems was most of a search's time on distinct queries).
    """
    folded = lowered.translate(FOLD_LETTERS)
    found = [position for position in (folded.find(s) for s in stems if len(s) >= MIN_INFIX)
             if position >= 0]
    return min(found) if found else None


def _first_match(text: str, stems: frozenset[str], language: str) -> int | None:
    """Where the first matching word starts, found without a Python loop over every word.

    A stem of MIN_INFIX letters or more found anywhere in the text is a match (see
    token_matches), so the first such place (`_first_infix`) bounds
    the search. Below it, a word's first occurrence comes in the order of the distinct
    words, so the first matching distinct word marks the first match.
    """
    end = len(text)
    lowered = text.lower()
    if len(lowered) == len(text):  # (lowercasing rare letters moves offsets)
        found = _first_infix(lowered, stems)
        space = text.find(" ", found) if found is not None else -1
        end = space if space >= 0 else end
    for bound in dict.fromkeys((end, len(text))):  # the whole text if the bound misled
        for word in dict.fromkeys(TOKEN_RE.findall(text, 0, bound)):
            if token_matches(word, stems, language):
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
    first = _first_match(text, stems, language)
    if first is None:
        cut = text[:width]
        return mark_safe(escape(cut) + ("…" if len(text) > width else ""))  # noqa: S308
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    parts, position = [], start
    cut_word = end < len(text) and text[end].isalnum()  # the window ends inside a word
    for token in TOKEN_RE.finditer(text, start, end):
        if (cut_word and token.end() == end) or not token_matches(token.group(0), stems,
                                                                  language):
            continue
        parts.append(escape(text[position : token.start()]))
        parts.append(f"<mark>{escape(token.group(0))}</mark>")
        position = token.end()
    parts.append(escape(text[position:end]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every part is escaped
