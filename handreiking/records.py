"""Turn the `content/` tree into validated records; reads files only, never the database."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .frontmatter import ContentError, ContentFile, parse_file, split_order_prefix

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{2,30}$")
ADVICE_MARKER = "<!-- advice -->"
STEP_HEADING = re.compile(r"^## +(?P<title>.+?)\s*#*\s*$", re.MULTILINE)
TRANSLATION_DIR = "en"
CONTACT_KEYS = ("website", "phone")


@dataclass(frozen=True)
class Key:
    """One front-matter key: its type, whether it is required, and where it goes."""

    name: str
    type: str  # "text", "int", "bool", "list", "dict"
    required: bool = False
    translated: bool = False
    ref: str | None = None  # kind name a slug (or list of slugs) must exist in
    choices: tuple[str, ...] | None = None
    field: str | None = None  # model field name, when it differs from `name`

    @property
    def target(self) -> str:
        return self.field or self.name


COMMON_KEYS = (Key("title", "text", required=True, translated=True), Key("slug", "text"),
               Key("order", "int"))
TAG_KEYS = (Key("age_groups", "list", ref="age-groups"), Key("themes", "list", ref="themes"))


@dataclass(frozen=True)
class Kind:
    name: str  # folder under content/ and label in reports
    keys: tuple[Key, ...]
    body: str = "body"  # how the body is stored: a field name, or "case"/"steps"/"none"
    body_required: bool = False
    pattern: str = "*.md"

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)


KINDS: tuple[Kind, ...] = (
    Kind("age-groups", (*COMMON_KEYS, Key("min_age", "int", required=True),
                        Key("max_age", "int", required=True),
                        Key("school_groups", "text", required=True, translated=True)),
         body="description"),
    Kind("themes", COMMON_KEYS, body="description"),
    Kind("glossary", (*COMMON_KEYS, Key("aliases", "list", translated=True),
                      Key("related", "list", ref="glossary")), body_required=True),
    Kind("organisations", (
        *COMMON_KEYS,
        Key("category", "text", required=True,
            choices=("acute", "online-abuse", "victim-support", "reporting", "information")),
        Key("audiences", "list", required=True,
            choices=("children", "parents", "schools", "everyone")),
        Key("website", "text"), Key("phone", "text"), Key("in_appendix", "bool"),
        Key("sources", "dict", required=True)), body_required=True),
    Kind("chapters", (*COMMON_KEYS, Key("number", "int", required=True),
                      Key("summary", "text", translated=True)), pattern="*/_index.md"),
    Kind("sections", (*COMMON_KEYS, Key("show_title", "bool"), *TAG_KEYS), pattern="*/[!_]*.md"),
    Kind("cases", (*COMMON_KEYS, Key("name", "text", required=True),
                   Key("age", "int", required=True),
                   Key("summary", "text", required=True, translated=True),
                   Key("chapter", "text", required=True, ref="chapters"), *TAG_KEYS,
                   Key("terms", "list", ref="glossary"),
                   Key("organisations", "list", ref="organisations")), body="case"),
    Kind("questions", (*COMMON_KEYS,
                       Key("kind", "text", required=True, choices=("questions", "scenarios")),
                       Key("chapter", "text", required=True, ref="chapters"),
                       Key("section", "text"), *TAG_KEYS,
                       Key("questions", "list", required=True, translated=True))),
    Kind("step-plans", (*COMMON_KEYS,
                        Key("kind", "text", required=True,
                            choices=("victim", "incident", "prevention", "child-tips")),
                        Key("chapter", "text", ref="chapters"), Key("section", "text"),
                        *TAG_KEYS, Key("organisations", "list", ref="organisations")),
         body="steps"),
)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}
TRANSLATABLE_KEYS = {"title", "summary", "aliases", "questions", "school_groups"}


@dataclass
class Record:
    """One item as the files describe it, in the shape the loader writes."""

    kind: str
    slug: str
    path: str
    fields: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)  # fk: slug or None; m2m: sorted slugs
    children: list[dict[str, Any]] = field(default_factory=list)
    parent: str | None = None  # a section's chapter slug

    @property
    def key(self) -> tuple[str, ...]:
        return (self.parent, self.slug) if self.parent else (self.slug,)

    @property
    def label(self) -> str:
        return f"{self.kind}/{'/'.join(self.key)}"

    def fingerprint(self) -> str:
        return fingerprint(self.fields, self.refs, self.children)


def fingerprint(fields: dict, refs: dict, children: list) -> str:
    payload = {"fields": fields, "refs": refs, "children": children}
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


class ContentValidationError(Exception):
    """Every problem found in the content tree; nothing was written."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the content files")


# --- Reading and checking one value --------------------------------------------------------------


def _check_value(key: Key, value: Any, shown: str, errors: list[ContentError]) -> Any:
    def fail(message: str) -> None:
        errors.append(ContentError(shown, message, key.name))

    if key.type == "text":
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            fail(f"must be text, not {type(value).__name__}")
            return None
        value = str(value).strip()
        if key.required and not value:
            fail("must not be empty")
        if key.choices and value not in key.choices:
            fail(f"unknown value {value!r}; expected one of: {', '.join(key.choices)}")
        return value
    if key.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            fail(f"must be a whole number, not {value!r}")
            return None
        if value < 0:
            fail("must not be negative")
        return value
    if key.type == "bool":
        if not isinstance(value, bool):
            fail(f"must be true or false, not {value!r}")
            return None
        return value
    if key.type == "list":
        if value is None:
            return []
        if not isinstance(value, list) or any(
            isinstance(v, bool) or not isinstance(v, str | int | float) for v in value
        ):
            fail("must be a list of text values, e.g. [a, b]")
            return None
        items = [str(v).strip() for v in value]
        if any(not v for v in items):
            fail("must not contain empty items")
        if key.choices:
            for item in items:
                if item not in key.choices:
                    fail(f"unknown value {item!r}; expected any of: {', '.join(key.choices)}")
        if key.required and not items:
            fail("must list at least one value")
        return items
    if key.type == "dict":
        if value is None:
            return {}
        if not isinstance(value, dict) or any(
            not isinstance(k, str) or not isinstance(v, str) for k, v in value.items()
        ):
            fail("must be a mapping of text to text, e.g. {website: \"…\"}")
            return None
        return dict(value)
    raise AssertionError(key.type)


def _slug_and_order(stem: str, metadata: dict, shown: str, errors: list) -> tuple[str, int]:
    prefix_order, slug = split_order_prefix(stem)
    slug = metadata.get("slug", slug)
    order = metadata.get("order", prefix_order or 0)
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        errors.append(ContentError(shown, f"{slug!r} is not a valid slug (a-z, 0-9, hyphens)",
                                   "slug"))
    return str(slug), order if isinstance(order, int) and not isinstance(order, bool) else 0


def _read_metadata(kind: Kind, doc: ContentFile, shown: str, errors: list, *,
                   translation: bool = False) -> dict[str, Any]:
    values: dict[str, Any] = {}
    allowed = {k.name for k in kind.keys}
    for name, value in doc.metadata.items():
        if name not in allowed:
            errors.append(ContentError(
                shown, f"unknown key; allowed keys: {', '.join(sorted(allowed))}", str(name)))
            continue
        if translation and name not in TRANSLATABLE_KEYS:
            errors.append(ContentError(shown, "cannot be translated; set it in the Dutch file",
                                       name))
            continue
        values[name] = _check_value(kind.key(name), value, shown, errors)
    if not translation:
        for key in kind.keys:
            if key.required and key.name not in doc.metadata:
                errors.append(ContentError(shown, "is required", key.name))
    return values


# --- Bodies: story/advice and steps --------------------------------------------------------------


def split_case_body(body: str, shown: str, errors: list) -> tuple[str, str]:
    if body.count(ADVICE_MARKER) != 1:
        errors.append(ContentError(shown, f"needs exactly one line '{ADVICE_MARKER}' between "
                                          "the story and the advice", "body"))
        return body, ""
    story, advice = (part.strip() for part in body.split(ADVICE_MARKER))
    if not story:
        errors.append(ContentError(shown, "the story before the advice marker is empty", "body"))
    if not advice:
        errors.append(ContentError(shown, "the advice after the advice marker is empty", "body"))
    return story, advice


def split_steps(body: str, shown: str, errors: list) -> tuple[str, list[tuple[str, str]]]:
    """`intro ## Step one text ## Step two text` -> (intro, [(title, text), ...])."""
    matches = list(STEP_HEADING.finditer(body))
    if not matches:
        errors.append(ContentError(shown, "a step plan needs at least one '## Step' heading",
                                   "body"))
        return body, []
    intro = body[: matches[0].start()].strip()
    steps = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        steps.append((match["title"].strip(), body[match.end():end].strip()))
    return intro, steps


# --- The whole tree ------------------------------------------------------------------------------


@dataclass
class _Parsed:
    kind: Kind
    path: Path
    shown: str
    doc: ContentFile
    translation: ContentFile | None
    translation_shown: str | None


def _discover(root: Path, errors: list[ContentError]) -> list[_Parsed]:
    if not root.is_dir():
        raise ContentValidationError([ContentError(root, "is not a folder")])
    known = {"chapters", *KINDS_BY_NAME} - {"sections"}
    for child in sorted(root.iterdir()):
        if child.is_dir() and child.name not in known | {TRANSLATION_DIR} \
                and not child.name.startswith("."):
            errors.append(ContentError(child.relative_to(root.parent),
                                       "unknown folder; expected one of: "
                                       + ", ".join(sorted(known))))
    parsed: list[_Parsed] = []
    seen_translations: set[Path] = set()
    for kind in KINDS:
        folder = root / ("chapters" if kind.name == "sections" else kind.name)
        for path in sorted(folder.glob(kind.pattern)):
            shown = str(path.relative_to(root.parent))
            try:
                doc = parse_file(path, display_path=shown)
            except ContentError as exc:
                errors.append(exc)
                continue
            relative = path.relative_to(root)
            en_path = root / TRANSLATION_DIR / relative
            en_doc, en_shown = None, None
            if en_path.is_file():
                seen_translations.add(en_path)
                en_shown = str(en_path.relative_to(root.parent))
                try:
                    en_doc = parse_file(en_path, display_path=en_shown)
                except ContentError as exc:
                    errors.append(exc)
            parsed.append(_Parsed(kind, path, shown, doc, en_doc, en_shown))
    en_root = root / TRANSLATION_DIR
    if en_root.is_dir():
        for path in sorted(en_root.rglob("*.md")):
            if path not in seen_translations:
                errors.append(ContentError(path.relative_to(root.parent),
                                           "translation without a Dutch file at the same path"))
    return parsed


def _build_record(item: _Parsed, errors: list[ContentError]) -> Record | None:
    kind, shown = item.kind, item.shown
    before = len(errors)
    meta = _read_metadata(kind, item.doc, shown, errors)
    en_meta = (
        _read_metadata(kind, item.translation, item.translation_shown, errors, translation=True)
        if item.translation else {}
    )
    stem = item.path.parent.name if kind.name == "chapters" else item.path.stem
    slug, order = _slug_and_order(stem, meta, shown, errors)
    record = Record(kind=kind.name, slug=slug, path=shown)
    if kind.name == "sections":
        record.parent = split_order_prefix(item.path.parent.name)[1]
    fields = record.fields
    fields["order"] = order
    fields["source_path"] = shown

    for key in kind.keys:
        if key.name in {"slug", "order"}:
            continue
        value = meta.get(key.name)
        if key.ref or key.name == "section":
            if key.type == "list":
                record.refs[key.name] = sorted(set(value or []))
            else:
                record.refs[key.name] = value or None
            continue
        if key.name == "questions":
            continue
        if key.translated:
            en_value = en_meta.get(key.name)
            if key.type == "list":
                value = "\n".join(value or [])
                en_value = "\n".join(en_value) if en_value else None
            fields[f"{key.target}_nl"] = value or ""
            fields[f"{key.target}_en"] = en_value or ""
        elif key.type == "bool":
            fields[key.target] = bool(value) if value is not None else key.name == "show_title"
        elif key.type == "int":
            fields[key.target] = value
        elif key.type == "list":
            fields[key.target] = value or []
        elif key.type == "dict":
            fields[key.target] = value or {}
        else:
            fields[key.target] = value or ""

    en_body = item.translation.body if item.translation else ""
    _store_body(kind, item, meta, en_meta, en_body, record, errors)
    _check_kind_rules(kind, record, shown, errors)
    return record if len(errors) == before else None


def _store_body(kind, item, meta, en_meta, en_body, record, errors):
    shown, body, fields = item.shown, item.doc.body, record.fields
    if kind.body_required and not body:
        errors.append(ContentError(shown, "must not be empty", "body"))
    if kind.body == "case":
        story, advice = split_case_body(body, shown, errors)
        en_story, en_advice = (split_case_body(en_body, item.translation_shown, errors)
                               if en_body else ("", ""))
        fields.update(story_nl=story, story_en=en_story, advice_nl=advice, advice_en=en_advice)
    elif kind.body == "steps":
        intro, steps = split_steps(body, shown, errors)
        en_intro, en_steps = (split_steps(en_body, item.translation_shown, errors)
                              if en_body else ("", []))
        if en_steps and len(en_steps) != len(steps):
            errors.append(ContentError(item.translation_shown,
                                       f"has {len(en_steps)} steps; the Dutch file has "
                                       f"{len(steps)}", "body"))
        fields.update(body_nl=intro, body_en=en_intro)
        for index, (title, text) in enumerate(steps, start=1):
            en_title, en_text = en_steps[index - 1] if len(en_steps) == len(steps) else ("", "")
            record.children.append({"order": index, "title_nl": title, "title_en": en_title,
                                    "body_nl": text, "body_en": en_text})
    else:
        fields[f"{kind.body}_nl"] = body
        fields[f"{kind.body}_en"] = en_body
    if kind.name == "questions":
        questions = meta.get("questions") or []
        en_questions = en_meta.get("questions") or []
        if en_questions and len(en_questions) != len(questions):
            errors.append(ContentError(item.translation_shown,
                                       f"has {len(en_questions)} questions; the Dutch file has "
                                       f"{len(questions)}", "questions"))
            en_questions = []
        for index, text in enumerate(questions, start=1):
            record.children.append({"order": index, "text_nl": text,
                                    "text_en": en_questions[index - 1] if en_questions else ""})


def _check_kind_rules(kind: Kind, record: Record, shown: str, errors: list) -> None:
    fields = record.fields
    if kind.name == "age-groups":
        low, high = fields.get("min_age"), fields.get("max_age")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            errors.append(ContentError(shown, "must not be above max_age", "min_age"))
    if kind.name == "cases" and isinstance(fields.get("age"), int) and fields["age"] > 18:
        errors.append(ContentError(shown, "a case is about a child: 18 at most", "age"))
    if kind.name == "chapters" and isinstance(fields.get("number"), int) and fields["number"] < 1:
        errors.append(ContentError(shown, "must be 1 or more", "number"))
    if kind.name == "organisations":
        website, phone = fields.get("website"), fields.get("phone")
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                errors.append(ContentError(shown, f"{website!r} is not an http(s) URL", "website"))
        if phone and not PHONE_RE.match(phone):
            errors.append(ContentError(shown, f"{phone!r} is not a phone number", "phone"))
        sources = fields.get("sources") or {}
        for contact in CONTACT_KEYS:
            if fields.get(contact) and not sources.get(contact):
                errors.append(ContentError(shown, f"says where the {contact} comes from: "
                                                  f"add sources: {{{contact}: \"…\"}}", "sources"))
        for name in sources:
            if name not in CONTACT_KEYS:
                errors.append(ContentError(shown, f"{name!r} is not a contact detail; "
                                                  f"expected {', '.join(CONTACT_KEYS)}", "sources"))


def _check_references(records: list[Record], errors: list[ContentError]) -> None:
    slugs: dict[str, set[str]] = {}
    sections: set[tuple[str, str]] = set()
    for record in records:
        slugs.setdefault(record.kind, set()).add(record.slug)
        if record.kind == "sections":
            sections.add((record.parent, record.slug))
    for record in records:
        kind = KINDS_BY_NAME[record.kind]
        if record.kind == "sections" and record.parent not in slugs.get("chapters", set()):
            errors.append(ContentError(record.path, f"its folder has no _index.md for chapter "
                                                    f"{record.parent!r}", "chapter"))
        for name, value in record.refs.items():
            key = kind.key(name)
            if name == "section":
                chapter = record.refs.get("chapter")
                if value and not chapter:
                    errors.append(ContentError(record.path, "needs a chapter", "section"))
                elif value and (chapter, value) not in sections:
                    errors.append(ContentError(record.path, f"no section {value!r} in chapter "
                                                            f"{chapter!r}", "section"))
                continue
            known = slugs.get(key.ref, set())
            for slug in value if isinstance(value, list) else [value] if value else []:
                if slug not in known:
                    errors.append(ContentError(record.path, f"unknown {key.ref} slug {slug!r}",
                                               name))


def _check_duplicates(records: list[Record], errors: list[ContentError]) -> None:
    first: dict[tuple, Record] = {}
    numbers: dict[int, Record] = {}
    for record in records:
        identity = (record.kind, *record.key)
        if identity in first:
            errors.append(ContentError(record.path, f"duplicate slug {record.slug!r}, also used "
                                                    f"by {first[identity].path}", "slug"))
        else:
            first[identity] = record
        if record.kind == "chapters" and isinstance(record.fields.get("number"), int):
            number = record.fields["number"]
            if number in numbers:
                errors.append(ContentError(record.path, f"duplicate chapter number {number}, "
                                                        f"also used by {numbers[number].path}",
                                           "number"))
            else:
                numbers[number] = record


def read_content(root: Path) -> list[Record]:
    """Parse and validate the whole tree; raise ContentValidationError listing every problem."""
    errors: list[ContentError] = []
    parsed = _discover(root, errors)
    records = [r for r in (_build_record(item, errors) for item in parsed) if r is not None]
    _check_duplicates(records, errors)
    _check_references(records, errors)
    if errors:
        raise ContentValidationError(errors)
    return records
