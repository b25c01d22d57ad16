"""Build the SearchDocument rows from content: what is searchable, with its URL and context."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

from django.conf import settings
from django.utils import translation

from ..models import (
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    QuestionList,
    SearchDocument,
    Section,
    StepPlan,
)

TOOLTIP_RE = re.compile(r'<span class="app-term__definition"[^>]*>.*?</span>', re.DOTALL)
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|li|ul|ol|h[1-6]|div|br|hr|dt|dd|dl|blockquote|table|tr|td|th)\b[^>]*>")
TAG_RE = re.compile(r"<[^>]+>")


def html_to_text(value: str) -> str:
    """Plain text of stored HTML, without the glossary tooltips it carries.

    Composed (NFC), so "ë" typed as "e" plus a combining mark is one letter of one word
    when snippets look for words.
    """
    text = TOOLTIP_RE.sub("", value or "")
    text = BLOCK_TAG_RE.sub(" ", text)  # blocks separate words; inline tags (links) do not
    text = TAG_RE.sub("", text)
    return unicodedata.normalize("NFC", " ".join(html.unescape(text).split()))


def _ages(obj) -> str:
    """Age-group slugs padded with spaces, so " bovenbouw " matches whole slugs only."""
    slugs = sorted(group.slug for group in obj.age_groups.all())
    return f" {' '.join(slugs)} " if slugs else ""


def _is_translated(obj, language: str) -> bool:
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return True
    field = "text" if hasattr(obj, "text_html") else "title"
    return bool(getattr(obj, f"{field}_{language}", None))


def _documents_in_current_language(language: str) -> Iterator[SearchDocument]:
    def doc(kind, obj, *, title, url, body="", extra="", context="", ages="", term=""):
        if not _is_translated(obj, language):
            return None
        document = SearchDocument(kind=kind, language=language, visible_in=language, url=url,
                                  title=title, context=context, extra=extra, body=body,
                                  age_groups=ages, term_slug=term)
        document.identity = (kind, type(obj).__name__, obj.pk)
        return document

    kinds = SearchDocument.Kind
    for chapter in Chapter.objects.all():
        yield doc(kinds.CHAPTER, chapter, title=chapter.title, url=chapter.get_absolute_url(),
                  extra=chapter.summary, body=html_to_text(chapter.body_html),
                  context=str(chapter))
    sections = Section.objects.select_related("chapter").prefetch_related("age_groups")
    for section in sections:
        yield doc(kinds.SECTION, section, title=section.title, url=section.get_absolute_url(),
                  body=html_to_text(section.body_html), context=str(section.chapter),
                  ages=_ages(section))
    for case in Case.objects.prefetch_related("age_groups", "themes"):
        themes = " ".join(t.title for t in case.themes.all())
        yield doc(kinds.CASE, case, title=case.title, url=case.get_absolute_url(),
                  extra=f"{case.summary} {themes}",
                  body=html_to_text(case.story_html) + " " + html_to_text(case.advice_html),
                  ages=_ages(case))
    for term in GlossaryTerm.objects.all():
        yield doc(kinds.TERM, term, title=term.title, url=term.get_absolute_url(),
                  extra="\n".join(term.alias_list), body=html_to_text(term.body_html),
                  term=term.slug)
    for org in HelpOrganisation.objects.all():
        yield doc(kinds.ORGANISATION, org, title=org.title, url=org.get_absolute_url(),
                  extra=org.get_category_display(), body=html_to_text(org.body_html))
    plans = StepPlan.objects.select_related("chapter").prefetch_related("steps", "age_groups")
    for plan in plans:
        url = plan.get_absolute_url()
        yield doc(kinds.STEP_PLAN, plan, title=plan.title, url=url,
                  body=html_to_text(plan.body_html), context=plan.get_kind_display(),
                  ages=_ages(plan))
        for step in plan.steps.all():
            yield doc(kinds.STEP, step, title=step.title, url=f"{url}#stap-{step.order}",
                      body=html_to_text(step.body_html), context=plan.title, ages=_ages(plan))
    lists = QuestionList.objects.select_related("chapter").prefetch_related(
        "questions", "age_groups"
    )
    for question_list in lists:
        questions = " ".join(html_to_text(q.text_html) for q in question_list.questions.all())
        yield doc(kinds.QUESTIONS, question_list, title=question_list.title,
                  url=question_list.get_absolute_url(),
                  body=f"{html_to_text(question_list.body_html)} {questions}",
                  context=str(question_list.chapter), ages=_ages(question_list))


def build_documents() -> list[SearchDocument]:
    """Every searchable document in every language it exists in (unsaved).

    Text not yet translated has only a Dutch document, which English search shows
    too (`visible_in` lists both), as the English pages show the Dutch text.
    """
    documents: list[SearchDocument] = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            documents.extend(d for d in _documents_in_current_language(language) if d)
    translated = {d.identity for d in documents
                  if d.language != settings.MODELTRANSLATION_DEFAULT_LANGUAGE}
    fallback = [code for code, _name in settings.LANGUAGES
                if code != settings.MODELTRANSLATION_DEFAULT_LANGUAGE]
    for document in documents:
        if document.language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE \
                and document.identity not in translated:
            document.visible_in = " ".join([document.language, *fallback])
    return documents
