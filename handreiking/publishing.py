"""Store rendered HTML on content objects: the one path used by the loader and admin saves."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .models import GlossaryTerm, Question
from .rendering import GlossaryEntry, render_markdown, short_definition

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def glossary_url(slug: str, language: str) -> str:
    with translation.override(language):
        return reverse("handreiking:glossary-detail", kwargs={"slug": slug})


def glossary_entry(
    *, slug: str, title: str, aliases: Iterable[str], definition: str, language: str
) -> GlossaryEntry:
    words = tuple(w for w in (title, *aliases) if w and w.strip())
    return GlossaryEntry(
        slug=slug,
        url=glossary_url(slug, language),
        words=words,
        short_definition=short_definition(definition),
    )


def glossary_from_database() -> dict[str, list[GlossaryEntry]]:
    """Glossary entries per language, as stored (English falls back to Dutch words)."""
    entries: dict[str, list[GlossaryEntry]] = {code: [] for code in LANGUAGE_CODES}
    for term in GlossaryTerm.objects.all():
        for code in LANGUAGE_CODES:
            title = getattr(term, f"title_{code}", None) or term.title_nl
            aliases = getattr(term, f"aliases_{code}", None) or term.aliases_nl or ""
            body = getattr(term, f"body_{code}", None) or term.body_nl
            entries[code].append(
                glossary_entry(
                    slug=term.slug,
                    title=title,
                    aliases=aliases.splitlines(),
                    definition=body,
                    language=code,
                )
            )
    return entries


def render_fields(obj, glossary: dict[str, list[GlossaryEntry]]) -> list[str]:
    """Set every `<field>_html_<lang>` from its Markdown source; return the changed field names."""
    changed = []
    exclude = obj.slug if isinstance(obj, GlossaryTerm) else None
    inline = isinstance(obj, Question)
    for source, target in obj.MARKDOWN_FIELDS.items():
        for code in LANGUAGE_CODES:
            text = getattr(obj, f"{source}_{code}", None) or ""
            html = render_markdown(
                text, glossary=glossary.get(code, []), exclude_term=exclude, inline=inline
            )
            name = f"{target}_{code}"
            if (getattr(obj, name, None) or "") != html:
                setattr(obj, name, html)
                changed.append(name)
    return changed


def rerender_all() -> int:
    """Re-render every stored document, e.g. after a glossary term changed; returns rows saved."""
    from .loader import RENDERED_MODELS  # the loader owns the list of content models

    glossary = glossary_from_database()
    saved = 0
    for model in RENDERED_MODELS:
        for obj in model.objects.all():
            changed = render_fields(obj, glossary)
            if changed:
                model.objects.filter(pk=obj.pk).update(**{f: getattr(obj, f) for f in changed})
                saved += 1
    return saved
