"""Snippets with the matched words highlighted, escaped for the page; pure, no database."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import fold, participle_root, stem

TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def _matches(word: str, stems: set[str], language: str) -> bool:
    folded = fold(word).replace("’", "'").split("'")[0]
    if stem(folded, language) in stems:
        return True
    root = participle_root(folded, language)
    if root and stem(root, language) in stems:
        return True
    # Compound words in the text ("pestgedrag") contain a searched stem ("pest").
    return any(len(s) >= 4 and s in folded for s in stems)


def make_snippet(text: str, stems: set[str], language: str, *, width: int = 240) -> SafeString:
    """A window of `text` around the first matched word, with matches in <mark>."""
    text = " ".join((text or "").split())
    tokens = list(TOKEN_RE.finditer(text))
    hits = [t for t in tokens if _matches(t.group(0), stems, language)]
    if not hits:
        cut = text[:width]
        return mark_safe(escape(cut) + ("…" if len(text) > width else ""))  # noqa: S308
    start = max(0, hits[0].start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < hits[0].start() else start
    end = min(len(text), start + width)
    parts, position = [], start
    for token in hits:
        if token.start() < start or token.end() > end:
            continue
        parts.append(escape(text[position : token.start()]))
        parts.append(f"<mark>{escape(token.group(0))}</mark>")
        position = token.end()
    parts.append(escape(text[position:end]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every part is escaped
