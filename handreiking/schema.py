"""The content schema, declared once: each kind's model, file, fields, body, children and search.

Everything that handles content derives from these declarations: reading and validating
files (`files.records`), loading them (`files.loader`), the fingerprint that protects
admin edits (`ContentKind.snapshot`), the translation registrations (`translation.py`),
rendering (`publishing`) and the search documents (`search.indexing`). Field rules
(types, lengths, choices, required) come from the models themselves.

Adding a content kind means: its model, one `ContentKind` here, and its template.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models

from .models import (
    AgeGroup,
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    Question,
    QuestionList,
    SearchDocument,
    Section,
    Step,
    StepPlan,
    Theme,
)

DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
LANGUAGES = [code for code, _name in settings.LANGUAGES]
OTHER_LANGUAGES = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
TRANSLATION_DIR = "en"  # content/en/… holds the English text, at the Dutch file's path
ADVICE_MARKER = "<!-- advice -->"
STEP_HEADING = re.compile(r"^## +(?P<title>.+?)\s*#*\s*$", re.MULTILINE)


# --- Bodies: how a file's Markdown text maps onto model fields -----------------------------------


class BodyError(ValueError):
    """The body does not have the shape its kind needs; the message says how to fix it."""


@dataclass(frozen=True)
class Body:
    """The whole body is one Markdown field."""

    field: str = "body"
    required: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def split(self, text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
        if self.required and not text:
            raise BodyError("must not be empty")
        return {self.field: text}, []

    def join(self, values: dict[str, str], children: list[dict[str, str]]) -> str:
        return values[self.field]


@dataclass(frozen=True)
class MarkedBody:
    """Two required parts separated by a marker line (a case: the story, then the advice)."""

    first: str
    second: str
    marker: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.first, self.second)

    def split(self, text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
        if text.count(self.marker) != 1:
            raise BodyError(f"needs exactly one line '{self.marker}' between the {self.first} "
                            f"and the {self.second}")
        first, second = (part.strip() for part in text.split(self.marker))
        if not first:
            raise BodyError(f"the {self.first} before the marker is empty")
        if not second:
            raise BodyError(f"the {self.second} after the marker is empty")
        return {self.first: first, self.second: second}, []

    def join(self, values: dict[str, str], children: list[dict[str, str]]) -> str:
        return f"{values[self.first]}\n\n{self.marker}\n\n{values[self.second]}"


@dataclass(frozen=True)
class HeadedBody:
    """An optional introduction, then one `## Title` heading per child (a step plan's steps)."""

    field: str = "body"
    title: str = "title"
    text: str = "body"

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def split(self, text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
        matches = list(STEP_HEADING.finditer(text))
        if not matches:
            raise BodyError("a step plan needs at least one '## Step' heading")
        children = []
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
            children.append({self.title: match["title"].strip(),
                             self.text: text[match.end():end].strip()})
        return {self.field: text[: matches[0].start()].strip()}, children

    def join(self, values: dict[str, str], children: list[dict[str, str]]) -> str:
        parts = [values[self.field]] if values[self.field] else []
        for child in children:
            parts.append(f"## {child[self.title]}")
            if child[self.text]:
                parts.append(child[self.text])
        return "\n\n".join(parts)


# --- Children and search documents ---------------------------------------------------------------


@dataclass(frozen=True)
class Children:
    """Rows owned by an item and rewritten with it, numbered 1… in file order.

    `from_key` names the front-matter list they come from (a list's questions, one
    string each, into `fields[0]`); without it they come from the body (`HeadedBody`).
    """

    model: type[models.Model]
    parent_field: str
    fields: tuple[str, ...]
    translated: tuple[str, ...]
    rendered: dict[str, str]
    from_key: str | None = None
    inline: bool = False  # rendered without a wrapping <p> (one line of a list)

    @property
    def related_name(self) -> str:
        return self.model._meta.get_field(self.parent_field).remote_field.related_name


@dataclass(frozen=True)
class Searchable:
    """How an item becomes a search document (see `search.indexing`)."""

    kind: str  # a SearchDocument.Kind value
    extra: Callable[[Any], str] = lambda obj: ""  # names and summaries: ranked above the body
    context: Callable[[Any], str] = lambda obj: ""  # shown above the hit ("3. Chapter title")
    aged: bool = False  # carries the item's age groups for the age filter
    child_kind: str | None = None  # one document per child as well (a plan's steps)
    title: Callable[[Any], str] = lambda obj: obj.title  # the hit's title, as its page shows it


# --- The kind declaration ------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentKind:
    """One kind of content item: where its files are and which model fields they fill.

    `keys` are front-matter keys; each is the model field of the same name, so its
    type, length, choices and whether it is required come from the model. Foreign keys
    and many-to-many fields to other content kinds are written as slugs. `lines` are
    text fields stored one value per line and written as a YAML list.
    """

    name: str  # label in reports, and the folder under content/ unless `folder` is set
    model: type[models.Model]
    keys: tuple[str, ...]
    body: Body | MarkedBody | HeadedBody
    translated: tuple[str, ...]
    rendered: dict[str, str]  # Markdown field -> the HTML field the publisher writes
    folder: str | None = None
    pattern: str = "*.md"
    parent: str | None = None  # the foreign key that the file's folder sets (a section's chapter)
    lines: tuple[str, ...] = ()
    children: Children | None = None
    search: Searchable | None = None
    slug_from_folder: bool = False  # chapters/NN-<slug>/_index.md

    @property
    def directory(self) -> str:
        return self.folder or self.name

    def model_field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    def is_ref(self, name: str) -> bool:
        """Whether a key names other items by slug (a foreign key or many-to-many field)."""
        return not self._is_child_key(name) and self.model_field(name).is_relation

    @property
    def ref_keys(self) -> tuple[str, ...]:
        """Keys naming other items by slug, the parent first."""
        refs = tuple(k for k in self.keys if self.is_ref(k))
        return ((self.parent,) if self.parent else ()) + refs

    @property
    def value_keys(self) -> tuple[str, ...]:
        return tuple(k for k in self.keys if not self.is_ref(k) and not self._is_child_key(k))

    def _is_child_key(self, name: str) -> bool:
        return bool(self.children and self.children.from_key == name)

    @property
    def translatable_keys(self) -> set[str]:
        """Front-matter keys an English file may set."""
        keys = {k for k in self.value_keys if k in self.translated}
        if self.children and self.children.from_key:
            keys.add(self.children.from_key)
        return keys

    @property
    def stored_fields(self) -> list[str]:
        """Model attributes the files set (translated ones once per language), in order."""
        names = ["order", "source_path"]
        for name in (*self.value_keys, *self.body.fields):
            if name in ("slug", "order"):
                continue
            if name in self.translated:
                names.extend(f"{name}_{code}" for code in LANGUAGES)
            else:
                names.append(name)
        return names

    @property
    def child_fields(self) -> list[str]:
        if not self.children:
            return []
        names = ["order"]
        for name in self.children.fields:
            if name in self.children.translated:
                names.extend(f"{name}_{code}" for code in LANGUAGES)
            else:
                names.append(name)
        return names

    def key_of(self, obj) -> tuple[str, ...]:
        """The identity of a stored row: its slug, under its parent's slug when it has one."""
        if self.parent:
            return (getattr(obj, self.parent).slug, obj.slug)
        return (obj.slug,)

    def queryset(self):
        """Every stored row, with what `snapshot` reads fetched in a fixed number of queries."""
        qs = self.model.objects.all()
        many = [k for k in self.ref_keys if self.model_field(k).many_to_many]
        single = [k for k in self.ref_keys if not self.model_field(k).many_to_many]
        if single:
            qs = qs.select_related(*single)
        if many:
            qs = qs.prefetch_related(*many)
        if self.children:
            qs = qs.prefetch_related(self.children.related_name)
        return qs

    def snapshot(self, obj) -> dict[str, Any]:
        """A stored row in the shape `files.records` builds from files (see `fingerprint`)."""
        values = {name: _plain(getattr(obj, name)) for name in self.stored_fields}
        refs: dict[str, Any] = {}
        for name in self.ref_keys:
            if self.model_field(name).many_to_many:
                refs[name] = sorted(target.slug for target in getattr(obj, name).all())
            else:
                target = getattr(obj, name)
                refs[name] = target.slug if target is not None else None
        children = []
        if self.children:
            rows = sorted(getattr(obj, self.children.related_name).all(), key=lambda c: c.order)
            children = [{n: _plain(getattr(c, n)) for n in self.child_fields} for c in rows]
        return {"values": values, "refs": refs, "children": children}


def _plain(value: Any) -> Any:
    return "" if value is None else value


# Keys added after items were first loaded: left out of the fingerprint while empty, so
# the rows loaded before them keep their fingerprint (and are not taken for admin edits).
LATER_KEYS = ("reviewed", "contact_checked")


def fingerprint(shape: dict[str, Any]) -> str:
    """A stable hash of an item's values, refs and children (files and rows alike)."""
    values = {name: value for name, value in shape.get("values", {}).items()
              if not (name in LATER_KEYS and value in ("", None))}
    data = json.dumps({**shape, "values": values}, sort_keys=True, ensure_ascii=False,
                      default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _shown_heading(section) -> str:
    """An untitled part is found under the heading the reader sees above it (its editorial
    title is for the admin only): the nearest shown section title, else the chapter's."""
    from .selectors import part_links

    (link,) = part_links([section])
    return link.named_by.title


def _chapter_context(obj) -> str:
    return str(obj.chapter) if obj.chapter_id else ""


TAGS = ("age_groups", "themes")

KINDS: tuple[ContentKind, ...] = (
    ContentKind(
        "age-groups", AgeGroup,
        keys=("title", "slug", "order", "min_age", "max_age", "school_groups", "reviewed"),
        body=Body("description"),
        translated=("title", "school_groups", "description"), rendered={},
    ),
    ContentKind(
        "themes", Theme, keys=("title", "slug", "order", "reviewed"), body=Body("description"),
        translated=("title", "description"), rendered={},
    ),
    ContentKind(
        "glossary", GlossaryTerm, keys=("title", "slug", "order", "aliases", "related", "reviewed"),
        body=Body("body", required=True), lines=("aliases",),
        translated=("title", "aliases", "body", "body_html"), rendered={"body": "body_html"},
        search=Searchable(SearchDocument.Kind.TERM, extra=lambda term: term.aliases),
    ),
    ContentKind(
        "organisations", HelpOrganisation,
        keys=("title", "slug", "order", "category", "audiences", "website", "phone",
              "in_appendix", "sources", "contact_checked", "reviewed"),
        body=Body("body", required=True),
        translated=("title", "body", "body_html"), rendered={"body": "body_html"},
        search=Searchable(SearchDocument.Kind.ORGANISATION,
                          extra=lambda org: str(org.get_category_display())),
    ),
    ContentKind(
        "chapters", Chapter, keys=("title", "slug", "order", "number", "summary", "reviewed"),
        body=Body("body"), pattern="*/_index.md", slug_from_folder=True,
        translated=("title", "summary", "body", "body_html"), rendered={"body": "body_html"},
        search=Searchable(SearchDocument.Kind.CHAPTER, extra=lambda ch: ch.summary,
                          context=str),
    ),
    ContentKind(
        "sections", Section, keys=("title", "slug", "order", "show_title", *TAGS, "reviewed"),
        body=Body("body"), folder="chapters", pattern="*/[!_]*.md", parent="chapter",
        translated=("title", "body", "body_html"), rendered={"body": "body_html"},
        search=Searchable(SearchDocument.Kind.SECTION, context=_chapter_context, aged=True,
                          title=_shown_heading),
    ),
    ContentKind(
        "cases", Case,
        keys=("title", "slug", "order", "name", "age", "summary", "chapter", *TAGS, "terms",
              "organisations", "reviewed"),
        body=MarkedBody("story", "advice", ADVICE_MARKER),
        translated=("title", "summary", "story", "story_html", "advice", "advice_html"),
        rendered={"story": "story_html", "advice": "advice_html"},
        search=Searchable(SearchDocument.Kind.CASE, aged=True,
                          extra=lambda case: " ".join([case.summary,
                                                       *(t.title for t in case.themes.all())])),
    ),
    ContentKind(
        "questions", QuestionList,
        keys=("title", "slug", "order", "kind", "chapter", "section", *TAGS, "questions",
              "reviewed"),
        body=Body("body"),
        translated=("title", "body", "body_html"), rendered={"body": "body_html"},
        children=Children(Question, "question_list", fields=("text",), translated=("text",),
                          rendered={"text": "text_html"}, from_key="questions", inline=True),
        search=Searchable(SearchDocument.Kind.QUESTIONS, context=_chapter_context, aged=True),
    ),
    ContentKind(
        "step-plans", StepPlan,
        keys=("title", "slug", "order", "kind", "chapter", "section", *TAGS, "organisations",
              "reviewed"),
        body=HeadedBody("body"),
        translated=("title", "body", "body_html"), rendered={"body": "body_html"},
        children=Children(Step, "plan", fields=("title", "body"), translated=("title", "body"),
                          rendered={"body": "body_html"}),
        search=Searchable(SearchDocument.Kind.STEP_PLAN, aged=True,
                          context=lambda plan: str(plan.get_kind_display()),
                          child_kind=SearchDocument.Kind.STEP),
    ),
)

KINDS_BY_MODEL = {kind.model: kind for kind in KINDS}
CHILD_MODELS = {kind.children.model: kind for kind in KINDS if kind.children}


def kind_for(model_or_obj) -> ContentKind | None:
    """The declaration of a content model (or a row of one)."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return KINDS_BY_MODEL.get(model)


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields django-modeltranslation gives a value per language (translation.py)."""
    kind = KINDS_BY_MODEL.get(model)
    if kind:
        return kind.translated
    parent = CHILD_MODELS[model].children
    return tuple(dict.fromkeys((*parent.translated, *parent.rendered.values())))


def rendered_fields(model: type[models.Model]) -> dict[str, str]:
    kind = KINDS_BY_MODEL.get(model)
    if kind:
        return kind.rendered
    return CHILD_MODELS[model].children.rendered


TRANSLATED_MODELS = [*KINDS_BY_MODEL, *CHILD_MODELS]
