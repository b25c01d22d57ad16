"""Indexing: content rows -> search documents (derived from the schema) -> the backend's index."""

from __future__ import annotations

import html
import re
import time
import unicodedata
from collections import Counter

from django.db import transaction
from django.utils import translation

from ..models import SearchDocument, SearchIndexState, SearchTerm, Synonym
from ..schema import DEFAULT_LANGUAGE, KINDS, LANGUAGES, ContentKind
from . import analysis
from .base import get_backend

MAX_SYNONYMS = 8  # per word: a query expands to a handful of names, never to hundreds
FIELDS = (("title", "title_terms"), ("extra", "extra_terms"), ("body", "body_terms"))

TOOLTIP_RE = re.compile(r'<span class="app-term__definition"[^>]*>.*?</span>', re.DOTALL)
FALLBACK_NOTE_RE = re.compile(r'<p class="app-fallback__note"[^>]*>.*?</p>', re.DOTALL)
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|li|ul|ol|h[1-6]|div|br|hr|dt|dd|dl|blockquote|table|tr|td|th)\b[^>]*>")
TAG_RE = re.compile(r"<[^>]+>")


def html_to_text(value: str) -> str:
    """Plain text of stored HTML, without the glossary tooltips and notes it carries.

    Composed (NFC), so "ë" typed as "e" plus a combining mark is one letter of one word
    when snippets look for words.
    """
    text = TOOLTIP_RE.sub("", value or "")
    text = FALLBACK_NOTE_RE.sub("", text)
    text = BLOCK_TAG_RE.sub(" ", text)  # blocks separate words; inline tags (links) do not
    text = TAG_RE.sub("", text)
    return unicodedata.normalize("NFC", " ".join(html.unescape(text).split()))


def _ages(obj) -> str:
    """Age-group slugs padded with spaces, so " bovenbouw " matches whole slugs only."""
    slugs = sorted(group.slug for group in obj.age_groups.all())
    return f" {' '.join(slugs)} " if slugs else ""


def _is_translated(obj, sources, language: str) -> bool:
    """Whether every source field with Dutch text has text in `language` too."""
    if language == DEFAULT_LANGUAGE:
        return True
    return all(getattr(obj, f"{name}_{language}", None)
               for name in sources if getattr(obj, f"{name}_{DEFAULT_LANGUAGE}", None))


def _sources(kind_translated, rendered) -> list[str]:
    return [name for name in kind_translated if name not in rendered.values()]


def _kind_documents(kind: ContentKind, language: str):
    """The documents of one kind in the active language; None for untranslated rows."""
    spec = kind.search
    qs = kind.queryset()
    if spec.aged:
        qs = qs.prefetch_related("age_groups")
    sources = _sources(kind.translated, kind.rendered)
    for obj in qs:
        if not _is_translated(obj, sources, language):
            continue
        body = [html_to_text(getattr(obj, target)) for target in kind.rendered.values()]
        children = []
        if kind.children:
            children = sorted(getattr(obj, kind.children.related_name).all(),
                              key=lambda child: child.order)
            if not spec.child_kind:  # a list's questions are part of its text
                body += [html_to_text(getattr(child, target)) for child in children
                         for target in kind.children.rendered.values()]
        url, ages = obj.get_absolute_url(), _ages(obj) if spec.aged else ""
        document = SearchDocument(
            kind=spec.kind, language=language, visible_in=language, url=url,
            title=spec.title(obj),
            context=spec.context(obj), extra=spec.extra(obj) or "",
            body=" ".join(part for part in body if part), age_groups=ages,
            term_slug=obj.slug if spec.kind == SearchDocument.Kind.TERM else "")
        # Shown: the heading the reader sees on the page. Ranked: the item's own title, which
        # for an untitled part still says what it is about (it is never shown).
        document.ranked_title = obj.title
        document.identity = (kind.name, obj.pk)
        yield document
        if spec.child_kind:
            child_sources = _sources(kind.children.translated, kind.children.rendered)
            for child in children:
                if not _is_translated(child, child_sources, language):
                    continue
                document = SearchDocument(
                    kind=spec.child_kind, language=language, visible_in=language,
                    url=f"{url}#stap-{child.order}", title=child.title, context=obj.title,
                    body=" ".join(html_to_text(getattr(child, target))
                                  for target in kind.children.rendered.values()),
                    age_groups=ages)
                document.identity = (kind.name, obj.pk, child.pk)
                yield document


def build_documents() -> list[SearchDocument]:
    """Every searchable document in every language it exists in (unsaved).

    Text not yet translated has only a Dutch document, which English search shows
    too (`visible_in` lists both), as the English pages show the Dutch text.
    """
    documents: list[SearchDocument] = []
    for language in LANGUAGES:
        with translation.override(language):
            for kind in KINDS:
                if kind.search:
                    documents.extend(_kind_documents(kind, language))
    translated = {d.identity for d in documents if d.language != DEFAULT_LANGUAGE}
    fallback = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    for document in documents:
        if document.language == DEFAULT_LANGUAGE and document.identity not in translated:
            document.visible_in = " ".join([document.language, *fallback])
    return documents


def _ranked(document: SearchDocument, source: str) -> str:
    """The text a field is ranked on: the stored one, except an item's own title."""
    if source == "title":
        return getattr(document, "ranked_title", document.title)
    return getattr(document, source)


def _vocabulary(documents) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for document in documents:
        counter = counts.setdefault(document.language, Counter())
        for text in (_ranked(document, "title"), document.extra, document.body):
            counter.update(analysis.words(text))
    return counts


def _synonyms(documents) -> tuple[dict[tuple[str, str], set[str]], set[tuple[str, str]]]:
    """(language, word) -> the other names it stands for, and the (language, word) concepts.

    A one-word name of a glossary term stands for the term's other names (title and
    aliases); an everyday word from the synonyms files stands for the guide's words.
    Both are concepts: "Did you mean …?" prefers them over equally close common words.
    """
    synonyms: dict[tuple[str, str], set[str]] = {}
    concepts: set[tuple[str, str]] = set()
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
            concepts.add((document.language, name_words[0]))
    for language, word, means in Synonym.objects.values_list("language", "word", "means"):
        synonyms.setdefault((language, word), set()).add(means)
        concepts.add((language, word))
    return synonyms, concepts


def _terms(vocabulary, synonyms, concepts) -> list[SearchTerm]:
    """The vocabulary rows: the guide's words, plus everyday words only synonyms know."""
    counts = {(language, word): count for language, counter in vocabulary.items()
              for word, count in counter.items() if len(word) >= 3}
    for key in synonyms:
        counts.setdefault(key, 0)
    return [SearchTerm(language=language, word=word[:100], frequency=count,
                       is_concept=(language, word) in concepts,
                       synonyms="\n".join(sorted(synonyms.get((language, word), ()),
                                                  key=lambda name: (len(name), name))
                                           [:MAX_SYNONYMS]))
            for (language, word), count in counts.items()]


# How documents are made from the content; with analysis.VERSION it says whether an index
# is current. 2: an untitled part is shown under the heading its page shows.
DOCUMENTS_VERSION = 2
INDEX_VERSION = analysis.VERSION * 1000 + DOCUMENTS_VERSION


def index_is_stale() -> bool:
    """Whether the index was made by another version of the analysis or of the documents
    (or never made): a deploy that changed either re-indexes on its next load."""
    made_with = SearchIndexState.objects.filter(pk=1).values_list("analysis", flat=True).first()
    return made_with != INDEX_VERSION


def rebuild_index() -> int:
    """Recreate every search document and the vocabulary from the content rows."""
    return index_documents(build_documents())


def analyse_documents(documents: list[SearchDocument],
                      vocabulary: dict[str, Counter] | None = None) -> dict[str, dict]:
    """Set each document's `*_terms`; return the counts per language for the statistics.

    Pure (no database), so it can be run and compared beside concurrent searches: the
    stems it uses come from the thread's own stemmer (analysis._stemmer).
    """
    vocabulary = _vocabulary(documents) if vocabulary is None else vocabulary
    known = {language: set(counter) for language, counter in vocabulary.items()}
    caches: dict[str, dict] = {}
    statistics: dict[str, dict] = {}
    for document in documents:
        language = document.language
        words, cache = known.get(language, set()), caches.setdefault(language, {})
        stats = statistics.setdefault(language, {"documents": 0, "lengths": dict.fromkeys(
            (source for source, _target in FIELDS), 0), "spread": Counter()})
        found: set[str] = set()
        for source, target in FIELDS:
            terms = analysis.index_terms(_ranked(document, source), language, words, cache)
            setattr(document, target, " ".join(terms))
            found.update(terms)
            stats["lengths"][source] += len(terms)
        stats["documents"] += 1
        stats["spread"].update(found)
    return statistics


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
    synonyms, concepts = _synonyms(documents)
    lap("vocabulary")
    statistics = analyse_documents(documents, vocabulary)
    lap("terms")
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        SearchDocument.objects.bulk_create(documents, batch_size=500)
        SearchTerm.objects.bulk_create(_terms(vocabulary, synonyms, concepts), batch_size=1000)
        lap("insert")
        get_backend().rebuild()
        state, _created = SearchIndexState.objects.get_or_create(pk=1)
        state.version = time.time_ns()
        state.analysis = INDEX_VERSION
        state.statistics = {language: {
            "documents": stats["documents"],
            "average": {source: total / stats["documents"]
                        for source, total in stats["lengths"].items()},
            "spread": dict(stats["spread"]),
        } for language, stats in statistics.items()}
        state.save(update_fields=["version", "statistics", "analysis"])
        lap("backend")
    return len(documents)


