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


def make_snippet(text: str, stems: set[str] | frozenset[str], language: str, *,
                 width: int = 240) -> SafeString:
    """A window of `text` around the first matched word, with matches in <mark>.

    Scans only up to the first match and then the window, so long texts stay cheap.
    """
    stems = frozenset(stems)
    text = " ".join((text or "").split())
    first = next((t for t in TOKEN_RE.finditer(text)
                  if token_matches(t.group(0), stems, language)), None)
    if first is None:
        cut = text[:width]
        return mark_safe(escape(cut) + ("…" if len(text) > width else ""))  # noqa: S308
    start = max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + width)
    parts, position = [], start
    for token in TOKEN_RE.finditer(text, start, end):
        if token.end() >= end or not token_matches(token.group(0), stems, language):
            continue
        parts.append(escape(text[position : token.start()]))
        parts.append(f"<mark>{escape(token.group(0))}</mark>")
        position = token.end()
    parts.append(escape(text[position:end]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every part is escaped
