"""The `content/` tree -> validated records, derived from the schema; reads files, never writes.

Each file becomes a `Record`: the item's values, references (slugs) and children in
the shape `ContentKind.snapshot` reads from a stored row, so one fingerprint compares
both. Field rules come from the models (`full_clean()` on an unsaved instance); only
the checks across files (references, duplicates) are written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from ..schema import (
    DEFAULT_LANGUAGE,
    KINDS,
    KINDS_BY_MODEL,
    LANGUAGES,
    OTHER_LANGUAGES,
    TRANSLATION_DIR,
    BodyError,
    ContentKind,
    fingerprint,
)
from ..text import normalise_text
from .frontmatter import ContentError, ContentFile, parse_file, split_order_prefix

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEXT_FIELDS = (models.CharField, models.TextField)
INTEGER_FIELDS = (models.IntegerField, models.SmallIntegerField, models.BigIntegerField,
                  models.PositiveIntegerField, models.PositiveSmallIntegerField)
ERROR_LANGUAGE = "en"  # reports are in English, like the code and the commands


@dataclass
class Record:
    """One item as its files describe it, in the shape the loader writes."""

    kind: ContentKind
    slug: str
    path: str
    parent: str | None = None  # the parent's slug (a section's chapter)
    values: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)  # fk: slug or None; m2m: sorted slugs
    children: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, ...]:
        return (self.parent, self.slug) if self.parent else (self.slug,)

    @property
    def label(self) -> str:
        return f"{self.kind.name}/{'/'.join(self.key)}"

    @property
    def shape(self) -> dict[str, Any]:
        return {"values": self.values, "refs": self.refs, "children": self.children}

    def fingerprint(self) -> str:
        return fingerprint(self.shape)


class ContentValidationError(Exception):
    """Every problem found in the content tree; nothing was written."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the content files")


# --- One front-matter value, typed by its model field --------------------------------------------


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return normalise_text(str(value))


def _text_list(value: Any) -> list[str] | None:
    if value is None:
        return []
    if not isinstance(value, list):
        return None
    items = [_text(v) for v in value]
    return None if any(item is None for item in items) else items


def read_value(kind: ContentKind, name: str, value: Any) -> Any:
    """A front-matter value in the type its model field stores; raise ValueError if it can't be."""
    model_field = kind.model_field(name)
    if model_field.many_to_many or name in kind.lines or (
            kind.children and kind.children.from_key == name):
        items = _text_list(value)
        if items is None:
            raise ValueError("must be a list of text values, e.g. [a, b]")
        if any(not item for item in items):
            raise ValueError("must not contain empty items")
        if model_field.many_to_many:
            return sorted(set(items))
        return items if name not in kind.lines else "\n".join(items)
    if model_field.is_relation:
        text = _text(value)
        if text is None:
            raise ValueError(f"must be a slug, not {value!r}")
        return text or None
    if isinstance(model_field, models.BooleanField):
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {value!r}")
        return value
    if isinstance(model_field, INTEGER_FIELDS):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {value!r}")
        return value
    if isinstance(model_field, models.JSONField):
        expected = type(model_field.get_default())
        if value is None:
            return expected()
        if expected is list:
            items = _text_list(value)
            if items is None:
                raise ValueError("must be a list of text values, e.g. [a, b]")
            return items
        if not isinstance(value, dict) or any(
                not isinstance(k, str) or _text(v) is None for k, v in value.items()):
            raise ValueError('must be a mapping of text to text, e.g. {website: "…"}')
        return {k: _text(v) for k, v in value.items()}
    if isinstance(model_field, models.DateField):
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        elif isinstance(value, date) and not isinstance(value, datetime):
            return value
        raise ValueError(f"must be a date written as 2026-11-23, not {value!r}")
    if isinstance(model_field, TEXT_FIELDS):
        text = _text(value)
        if text is None:
            raise ValueError(f"must be text, not {type(value).__name__}")
        return text
    raise AssertionError(f"{kind.name}.{name}: no reader for {type(model_field).__name__}")


# --- Reading one item ----------------------------------------------------------------------------


@dataclass
class _Found:
    kind: ContentKind
    path: Path
    shown: str
    doc: ContentFile | None  # None: the file could not be read (already reported)
    translation: ContentFile | None
    translation_shown: str | None


def _read_keys(kind: ContentKind, doc: ContentFile, shown: str, errors: list,
               *, allowed: set[str], fixed_message: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in doc.metadata.items():
        if name not in kind.keys:
            errors.append(ContentError(
                shown, f"unknown key; allowed keys: {', '.join(sorted(kind.keys))}", str(name)))
        elif name not in allowed:
            errors.append(ContentError(shown, fixed_message or "not allowed here", name))
        else:
            try:
                values[name] = read_value(kind, name, value)
            except ValueError as exc:
                errors.append(ContentError(shown, str(exc), name))
    return values


def _split_body(kind: ContentKind, text: str, shown: str, errors: list):
    try:
        return kind.body.split(text)
    except BodyError as exc:
        errors.append(ContentError(shown, str(exc), "body"))
        return None, None


def _model_errors(kind: ContentKind, record: Record, found: _Found, present: set[str],
                  errors: list) -> None:
    """Validate the unsaved row with the model's own rules; report them per file and key."""
    model = kind.model
    instance = model(slug=record.slug, **record.values)
    skip = {*kind.ref_keys, "loaded_hash", "updated_at", "id",
            *(f"{name}_{DEFAULT_LANGUAGE}" for name in kind.translated),
            *(f"{target}_{code}" for target in kind.rendered.values() for code in LANGUAGES),
            *kind.rendered.values()}
    problems: dict[str, list] = {}
    with translation.override(DEFAULT_LANGUAGE):  # the untranslated field names read Dutch
        try:
            instance.full_clean(exclude=sorted(skip), validate_unique=False,
                                validate_constraints=False)
        except ValidationError as exc:
            problems.update(exc.error_dict)
    with translation.override(ERROR_LANGUAGE):  # constraints format their message at once
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                name = constraint.condition.children[0][0].split("__")[0]
                if name in problems:
                    continue  # the field's own error says it better
                try:
                    constraint.validate(model, instance)
                except ValidationError as exc:
                    problems.setdefault(name, []).append(exc)
    for child_index, values in enumerate(record.children, start=1):
        child = kind.children.model(**values)
        child_skip = {kind.children.parent_field, "id",
                      *(f"{n}_{DEFAULT_LANGUAGE}" for n in kind.children.translated),
                      *(f"{t}_{c}" for t in kind.children.rendered.values() for c in LANGUAGES),
                      *kind.children.rendered.values()}
        with translation.override(DEFAULT_LANGUAGE):
            try:
                child.full_clean(exclude=sorted(child_skip), validate_unique=False,
                                 validate_constraints=False)
            except ValidationError as exc:
                where = kind.children.from_key or "body"
                for name, messages in exc.error_dict.items():
                    problems.setdefault(where, []).extend(
                        ValidationError(f"item {child_index}: {name}: {m}")
                        for error in messages for m in error.messages)
    with translation.override(ERROR_LANGUAGE):
        for name, messages in problems.items():
            path, key = found.shown, name
            for code in OTHER_LANGUAGES:
                if name.endswith(f"_{code}") and name[: -len(code) - 1] in kind.translated:
                    path, key = found.translation_shown or found.shown, name[: -len(code) - 1]
            key = "body" if key in kind.body.fields else key
            for error in messages:
                for message in error.messages:
                    if error.code in {"blank", "null"} and key not in present:
                        message = "is required"
                    errors.append(ContentError(path, str(message), key))


def _build(found: _Found, errors: list[ContentError]) -> Record | None:
    kind, shown = found.kind, found.shown
    before = len(errors)
    meta = _read_keys(kind, found.doc, shown, errors, allowed=set(kind.keys))
    en_meta = {}
    if found.translation:
        en_meta = _read_keys(kind, found.translation, found.translation_shown, errors,
                             allowed=kind.translatable_keys,
                             fixed_message="cannot be translated; set it in the Dutch file")
    stem = found.path.parent.name if kind.slug_from_folder else found.path.stem
    prefix_order, slug = split_order_prefix(stem)
    slug = meta.get("slug") or slug
    if not SLUG_RE.match(slug):
        errors.append(ContentError(shown, f"{slug!r} is not a valid slug (a-z, 0-9, hyphens)",
                                   "slug"))
    record = Record(kind=kind, slug=slug, path=shown)
    if kind.parent:
        record.parent = split_order_prefix(found.path.parent.name)[1]
    order = meta.get("order", prefix_order or 0)
    record.values = {"order": order, "source_path": shown}

    body_values, body_children = _split_body(kind, found.doc.body, shown, errors)
    en_body_values, en_children = ({}, [])
    if found.translation and found.translation.body:
        en_body_values, en_children = _split_body(kind, found.translation.body,
                                                  found.translation_shown, errors)
    if body_values is None or en_body_values is None:
        return None

    for name in (*kind.value_keys, *kind.body.fields):
        if name in ("slug", "order"):
            continue
        source = body_values if name in kind.body.fields else meta
        value = source.get(name, _default(kind, name))
        if name in kind.translated:
            en_source = en_body_values if name in kind.body.fields else en_meta
            record.values[f"{name}_{DEFAULT_LANGUAGE}"] = value
            for code in OTHER_LANGUAGES:
                record.values[f"{name}_{code}"] = en_source.get(name, "")
        else:
            record.values[name] = value
    for name in kind.ref_keys:
        if name == kind.parent:
            record.refs[name] = record.parent
        elif kind.model_field(name).many_to_many:
            record.refs[name] = meta.get(name, [])
        else:
            record.refs[name] = meta.get(name)
    if kind.children:
        _build_children(kind, found, meta, en_meta, body_children, en_children, record, errors)
    if len(errors) == before:
        _model_errors(kind, record, found, set(meta), errors)
    return record if len(errors) == before else None


def _default(kind: ContentKind, name: str) -> Any:
    model_field = kind.model_field(name)
    default = model_field.get_default()
    return "" if default is None and isinstance(model_field, TEXT_FIELDS) else default


def _build_children(kind, found, meta, en_meta, body_children, en_children, record, errors):
    spec = kind.children
    if spec.from_key:
        body_children = [{spec.fields[0]: text} for text in meta.get(spec.from_key, [])]
        en_children = [{spec.fields[0]: text} for text in en_meta.get(spec.from_key, [])]
        if not body_children:
            errors.append(ContentError(found.shown, "must list at least one item", spec.from_key))
    where = spec.from_key or "body"
    if en_children and len(en_children) != len(body_children):
        errors.append(ContentError(found.translation_shown,
                                   f"has {len(en_children)} items; the Dutch file has "
                                   f"{len(body_children)}", where))
        return
    for index, child in enumerate(body_children, start=1):
        values = {"order": index}
        en_child = en_children[index - 1] if en_children else {}
        for name in spec.fields:
            if name in spec.translated:
                values[f"{name}_{DEFAULT_LANGUAGE}"] = child[name]
                for code in OTHER_LANGUAGES:
                    values[f"{name}_{code}"] = en_child.get(name, "")
            else:
                values[name] = child[name]
        record.children.append(values)


# --- The whole tree ------------------------------------------------------------------------------


def _discover(root: Path, errors: list[ContentError]) -> list[_Found]:
    if not root.is_dir():
        raise ContentValidationError([ContentError(root, "is not a folder")])
    known = {kind.directory for kind in KINDS}
    for child in sorted(root.iterdir()):
        if child.is_dir() and child.name not in known | {TRANSLATION_DIR} \
                and not child.name.startswith("."):
            errors.append(ContentError(child.relative_to(root.parent),
                                       "unknown folder; expected one of: "
                                       + ", ".join(sorted(known))))
    found: list[_Found] = []
    translations: set[Path] = set()
    for kind in KINDS:
        for path in sorted((root / kind.directory).glob(kind.pattern)):
            shown = str(path.relative_to(root.parent))
            en_path = root / TRANSLATION_DIR / path.relative_to(root)
            translations.add(en_path)
            try:
                doc = parse_file(path, display_path=shown)
            except ContentError as exc:
                errors.append(exc)
                found.append(_Found(kind, path, shown, None, None, None))  # for references
                continue
            en_doc, en_shown = None, None
            if en_path.is_file():
                en_shown = str(en_path.relative_to(root.parent))
                try:
                    en_doc = parse_file(en_path, display_path=en_shown)
                except ContentError as exc:
                    errors.append(exc)
            found.append(_Found(kind, path, shown, doc, en_doc, en_shown))
    en_root = root / TRANSLATION_DIR
    if en_root.is_dir():
        for path in sorted(en_root.rglob("*.md")):
            if path not in translations:
                errors.append(ContentError(path.relative_to(root.parent),
                                           "translation without a Dutch file at the same path"))
    return found


def _target_kind(kind: ContentKind, name: str) -> ContentKind:
    return KINDS_BY_MODEL[kind.model_field(name).related_model]


def _key_on_disk(kind: ContentKind, path: Path) -> tuple[str, ...]:
    """An item's key from its path alone, for files too broken to read."""
    slug = split_order_prefix(path.parent.name if kind.slug_from_folder else path.stem)[1]
    if kind.parent:
        return (split_order_prefix(path.parent.name)[1], slug)
    return (slug,)


def _check_references(records: list[Record], found: list[_Found],
                      errors: list[ContentError]) -> None:
    """References to items that exist; an item whose own file is invalid counts as existing
    (its file is reported already, and one mistake should give one message)."""
    keys: dict[str, set[tuple]] = {}
    for item in found:
        keys.setdefault(item.kind.name, set()).add(_key_on_disk(item.kind, item.path))
    for record in records:
        keys.setdefault(record.kind.name, set()).add(record.key)
    for record in records:
        for name, value in record.refs.items():
            target = _target_kind(record.kind, name)
            known = keys.get(target.name, set())
            if name == record.kind.parent:
                if (value,) not in known:
                    errors.append(ContentError(record.path, f"its folder has no file for "
                                                            f"{target.name} {value!r}", name))
                continue
            for slug in value if isinstance(value, list) else [value] if value else []:
                if target.parent:
                    owner = record.refs.get(target.parent)
                    if not owner:
                        errors.append(ContentError(record.path, f"needs a {target.parent}", name))
                    elif (owner, slug) not in known:
                        errors.append(ContentError(record.path, f"no {target.name} {slug!r} in "
                                                                f"{target.parent} {owner!r}",
                                                   name))
                elif (slug,) not in known:
                    errors.append(ContentError(record.path,
                                               f"unknown {target.name} slug {slug!r}", name))


def _check_duplicates(records: list[Record], errors: list[ContentError]) -> None:
    """Duplicate keys, and duplicates of any other unique field the model declares."""
    first: dict[tuple, Record] = {}
    for record in records:
        identity = (record.kind.name, *record.key)
        if identity in first:
            errors.append(ContentError(record.path, f"duplicate slug {record.slug!r}, also used "
                                                    f"by {first[identity].path}", "slug"))
        else:
            first[identity] = record
        for constraint in record.kind.model._meta.constraints:
            if not isinstance(constraint, models.UniqueConstraint) or "slug" in constraint.fields:
                continue
            value = tuple(record.values.get(name) for name in constraint.fields)
            identity = (record.kind.name, constraint.name, value)
            if identity in first:
                fields = ", ".join(constraint.fields)
                shown = ", ".join(map(str, value))
                errors.append(ContentError(
                    record.path, f"duplicate {record.kind.model._meta.model_name} {fields} "
                                 f"{shown}, also used by {first[identity].path}",
                    constraint.fields[0]))
            else:
                first[identity] = record


def read_content(root: Path) -> list[Record]:
    """Parse and validate the whole tree; raise ContentValidationError listing every problem."""
    errors: list[ContentError] = []
    found = _discover(root, errors)
    records = [r for r in (_build(item, errors) for item in found if item.doc) if r is not None]
    _check_duplicates(records, errors)
    _check_references(records, found, errors)
    if errors:
        raise ContentValidationError(errors)
    return records
