"""Suggestions as you type: titles, glossary terms and aliases that start with what is typed.

Kept in memory per language and rebuilt (one query) when the index version changes;
the JSON view's responses are cached on the content version like every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import translate_url

from ..models import SearchDocument
from . import analysis
from .vocabulary import index_version

MAX_SUGGESTIONS = 8
MIN_PREFIX = 2
# Kinds suggested, in this order when equally good: what a name finds first.
SUGGESTED_KINDS = ("term", "organisation", "case", "stepplan", "chapter", "section", "questions")


@dataclass(frozen=True)
class Suggestion:
    label: str  # what matched: a title or an alias
    title: str  # the item's title (differs from label for an alias)
    url: str
    kind: str

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "title": self.title, "url": self.url, "kind": self.kind}


@dataclass(frozen=True)
class _Entry:
    folded: str  # the label's words, folded, joined by single spaces
    suggestion: Suggestion
    order: int


@dataclass(frozen=True)
class _Loaded:
    version: int | None
    languages: dict  # language -> list[_Entry], filled as languages are asked for


class _Current:
    """The entries of the last index version this process read: one reference, replaced
    whole when the version changes. A language's list is built completely and stored
    with one assignment into its own version's dict, so a thread never sees a list of
    another version, or half a list; two threads may build the same list twice."""

    loaded: _Loaded | None = None


def _entries(language: str) -> list[_Entry]:
    version = index_version()
    loaded = _Current.loaded
    if loaded is None or loaded.version != version or version is None:
        loaded = _Current.loaded = _Loaded(version, {})
    found = loaded.languages.get(language)
    if found is None:
        found = []
        rows = (SearchDocument.objects.filter(kind__in=SUGGESTED_KINDS,
                                              visible_in__contains=language)
                .values_list("kind", "language", "url", "title", "extra"))
        for kind, doc_language, url, title, extra in rows:
            if doc_language != language:
                url = translate_url(url, language)
            labels = [title]
            if kind == SearchDocument.Kind.TERM:
                labels += [alias for alias in extra.splitlines() if alias.strip()]
            for label in labels:
                folded = " ".join(analysis.words(label))
                if folded:
                    found.append(_Entry(folded, Suggestion(label.strip(), title, url, kind),
                                        SUGGESTED_KINDS.index(kind)))
        loaded.languages[language] = found
    return found


def suggest(typed: str, *, language: str) -> list[Suggestion]:
    """At most MAX_SUGGESTIONS items whose title or alias has a word starting with `typed`.

    Labels that start with it come first, then by kind (terms first) and length.
    """
    prefix = " ".join(analysis.words(typed[:100]))
    if len(prefix) < MIN_PREFIX:
        return []
    matches = []
    for entry in _entries(language):
        if entry.folded.startswith(prefix):
            position = 0
        elif f" {prefix}" in entry.folded:
            position = 1
        else:
            continue
        matches.append(((position, entry.order, len(entry.folded), entry.folded), entry))
    matches.sort(key=lambda match: match[0])
    chosen: list[Suggestion] = []
    seen: set[str] = set()
    for _key, entry in matches:
        if entry.suggestion.url in seen:  # one line per item, by its best label
            continue
        seen.add(entry.suggestion.url)
        chosen.append(entry.suggestion)
        if len(chosen) == MAX_SUGGESTIONS:
            break
    return chosen
