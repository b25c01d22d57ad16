"""The one publisher: renders every `*_html` field, refreshes search, bumps the content version.

Called after anything published changes — a load, an admin save, an admin delete,
`manage.py publish` after an upgrade — and by nothing else that writes HTML. Each
language is rendered from its own Markdown with its own URLs and glossary; where a
translation is missing, the Dutch *source* is rendered with that language's URLs and
marked `lang="nl"`, never the Dutch HTML copied over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from . import search
from .locking import content_write_lock
from .models import ContentVersion, GlossaryTerm
from .rendering import GlossaryEntry, render_markdown, short_definition
from .schema import (
    CHILD_MODELS,
    DEFAULT_LANGUAGE,
    KINDS,
    LANGUAGES,
    rendered_fields,
)


@dataclass
class PublishReport:
    rendered: int = 0  # rows whose stored HTML changed
    documents: int = 0  # search documents indexed
    version: int = 0  # the content version after publishing


def _url(name: str, slug: str, language: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"slug": slug})


def check_url_translations() -> None:
    """Refuse to render links before the URL catalogue is compiled (they would 404 later)."""
    with translation.override(DEFAULT_LANGUAGE):
        dutch = reverse("handreiking:glossary")
    with translation.override("en"):
        english = reverse("handreiking:glossary")
    if dutch.replace(f"/{DEFAULT_LANGUAGE}/", "/en/") == english and len(LANGUAGES) > 1:
        raise ImproperlyConfigured(
            "The Dutch URL catalogue is not compiled (locale/nl/LC_MESSAGES/django.mo); "
            "run `make messages` before rendering content.")


def glossary_entries(*, page_language: str, text_language: str) -> list[GlossaryEntry]:
    """The terms to link in `text_language` text shown on a `page_language` page.

    Words come from the text's language (a term without a translation keeps its Dutch
    words); the link and the tooltip are the page's language.
    """
    def value(term, name: str, code: str) -> str:
        own = getattr(term, f"{name}_{code}", None)
        return own or getattr(term, f"{name}_{DEFAULT_LANGUAGE}") or ""

    entries = []
    for term in GlossaryTerm.objects.all():
        words = (value(term, "title", text_language),
                 *value(term, "aliases", text_language).splitlines())
        entries.append(GlossaryEntry(
            slug=term.slug,
            url=_url("handreiking:glossary-detail", term.slug, page_language),
            words=tuple(w for w in words if w.strip()),
            short_definition=short_definition(value(term, "body", page_language)),
        ))
    return entries


class _Renderer:
    """Renders one row's Markdown fields in every language; glossaries built once."""

    def __init__(self) -> None:
        self.glossaries = {
            (page, text): glossary_entries(page_language=page, text_language=text)
            for page in LANGUAGES for text in {page, DEFAULT_LANGUAGE}
        }

    def render(self, obj, *, inline: bool = False) -> dict[str, str]:
        """The `<field>_html_<lang>` values that differ from what the row stores."""
        changed = {}
        exclude = obj.slug if isinstance(obj, GlossaryTerm) else None
        for source, target in rendered_fields(type(obj)).items():
            dutch = getattr(obj, f"{source}_{DEFAULT_LANGUAGE}") or ""
            for code in LANGUAGES:
                own = getattr(obj, f"{source}_{code}") or ""
                fallback = not own and bool(dutch)
                text, text_language = (dutch, DEFAULT_LANGUAGE) if fallback else (own, code)
                html = render_markdown(text, glossary=self.glossaries[(code, text_language)],
                                       exclude_term=exclude, inline=inline)
                if html and text_language != code:
                    html = _mark_fallback(html, code, text_language, inline=inline)
                name = f"{target}_{code}"
                if (getattr(obj, name) or "") != html:
                    changed[name] = html
        return changed


SITE_LINK = re.compile(r'href="(/[a-z]{2}/[^"]*)"')


def _mark_fallback(html: str, page_language: str, text_language: str, *, inline: bool) -> str:
    """Text shown in another language than the page's: say so, and mark its language.

    Links to this site's own pages (`/nl/…` in the Dutch text) go to the page's language.
    """
    with translation.override(text_language):  # the path resolves in its own language
        html = SITE_LINK.sub(lambda m: f'href="{translate_url(m.group(1), page_language)}"',
                             html)
    if inline:
        return f'<span lang="{text_language}">{html}</span>'
    with translation.override(page_language):
        note = escape(gettext("This part is not yet available in English."))
    return (f'<div class="app-fallback" lang="{text_language}">'
            f'<p class="app-fallback__note" lang="{page_language}">{note}</p>{html}</div>')


def render_all() -> int:
    """Re-render every stored Markdown field; returns how many rows changed."""
    check_url_translations()
    renderer = _Renderer()
    saved = 0
    models = [kind.model for kind in KINDS if kind.rendered]
    models += list(CHILD_MODELS)
    for model in models:
        inline = model in CHILD_MODELS and CHILD_MODELS[model].children.inline
        for obj in model.objects.all():
            changed = renderer.render(obj, inline=inline)
            if changed:
                model.objects.filter(pk=obj.pk).update(**changed)
                saved += 1
    return saved


def publish(*, changed: bool = True) -> PublishReport:
    """Bring everything derived from the content up to date.

    Renders every row whose HTML is out of date (a changed text, a renamed or deleted
    glossary term, a new translation). When anything changed — `changed`, or HTML
    that had to be re-rendered — it rebuilds the search index from the rendered text
    and bumps the content version that page caches are keyed on; a load that changed
    nothing leaves both alone, unless the index was made by an older analysis of words
    (a deploy that changed it: search.index_is_stale).
    """
    report = PublishReport()
    with content_write_lock():  # two publishes at once would rebuild one vocabulary twice
        report.rendered = render_all()
        if changed or report.rendered or search.index_is_stale():
            report.documents = search.rebuild_index()
            report.version = ContentVersion.bump()
        else:
            report.version = ContentVersion.current()
    return report
