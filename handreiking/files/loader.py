"""load_content(): the only code that writes content rows from files — planned, then all or nothing.

The loader reads and validates every file (`records`), plans what to create, update
and delete against the stored rows (refusing to overwrite admin edits unless forced),
writes in an order no unique constraint can trip over, and hands over to the one
publisher for HTML, search and the content version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, models, transaction

from .. import history, publishing
from ..locking import content_write_lock
from ..models import Synonym
from ..schema import (
    DEFAULT_LANGUAGE,
    KINDS,
    KINDS_BY_MODEL,
    OTHER_LANGUAGES,
    ContentKind,
    fingerprint,
)
from .frontmatter import ContentError
from .records import ContentValidationError, Record, read_content
from .synonyms import SynonymEntry, read_synonyms

SYNONYMS = "synonyms"  # the report's label for the synonym files

# Unique numbers (a chapter's) move here first while rows are renumbered, so that
# swapping two chapters or inserting one in the middle never collides on the way.
RENUMBER_BASE = 30000


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadReport:
    counts: dict[str, KindCounts] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    rerendered: int = 0  # rows whose stored HTML the publisher changed
    indexed: int = 0  # search documents the publisher indexed (0: the index was current)
    missing_translations: dict[str, int] = field(default_factory=dict)  # language -> fields
    warnings: list[str] = field(default_factory=list)  # loaded, but worth a look
    dry_run: bool = False

    @property
    def changes(self) -> int:
        return sum(c.created + c.updated + c.deleted for c in self.counts.values())


class ContentConflictError(Exception):
    """Rows edited in the admin since the last load; loading would overwrite them."""

    def __init__(self, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        super().__init__("; ".join(conflicts))


# --- Planning: what would change, and what would be overwritten -------------------------------


@dataclass
class _Plan:
    writes: list[tuple[Record, Any]] = field(default_factory=list)  # (record, row or None)
    deletes: list[tuple[ContentKind, Any]] = field(default_factory=list)
    synonym_writes: list[SynonymEntry] = field(default_factory=list)
    synonym_deletes: list[int] = field(default_factory=list)  # ids
    synonym_loaded: list[int] = field(default_factory=list)  # ids now matching their file
    conflicts: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)


def _plan(records: list[Record], report: LoadReport) -> _Plan:
    plan = _Plan()
    by_kind: dict[str, dict[tuple, Record]] = {kind.name: {} for kind in KINDS}
    for record in records:
        by_kind[record.kind.name][record.key] = record
    for kind in KINDS:
        counts = report.counts.setdefault(kind.name, KindCounts())
        stored = {kind.key_of(obj): obj for obj in kind.queryset()}
        for key, record in by_kind[kind.name].items():
            obj = stored.get(key)
            if obj is None:
                plan.writes.append((record, None))
                counts.created += 1
                continue
            edited = not obj.loaded_hash or fingerprint(kind.snapshot(obj)) != obj.loaded_hash
            if not edited and record.fingerprint() == obj.loaded_hash:
                counts.unchanged += 1
                continue
            if edited:
                plan.conflicts.append(f"{record.label} ({record.path}) was changed in the admin "
                                      "since the last load")
                plan.overwritten.append(record.label)
            plan.writes.append((record, obj))
            counts.updated += 1
        for key, obj in stored.items():
            if key in by_kind[kind.name]:
                continue
            label = f"{kind.name}/{'/'.join(key)}"
            if not obj.loaded_hash:
                plan.conflicts.append(f"{label} was created in the admin and has no content file")
                plan.overwritten.append(label)
            elif fingerprint(kind.snapshot(obj)) != obj.loaded_hash:
                plan.conflicts.append(f"{label} was changed in the admin since the last load, "
                                      "and its file was removed")
                plan.overwritten.append(label)
            plan.deletes.append((kind, obj))
            report.deleted.append(f"{label} ({obj.source_path or 'no file'})")
            counts.deleted += 1
    return plan


def _plan_synonyms(entries: list[SynonymEntry], plan: _Plan, report: LoadReport) -> None:
    """Replace the synonyms that changed, guarded like the items: a row whose `means`
    differs from what the last load wrote (or that the admin made) is an admin edit."""
    counts = report.counts.setdefault(SYNONYMS, KindCounts())
    stored = {(row.language, row.word): row for row in Synonym.objects.all()}
    for entry in entries:
        row = stored.pop(entry.key, None)
        label = f"{SYNONYMS}/{entry.language}/{entry.word} ({entry.path})"
        if row is not None and row.means == entry.means:
            counts.unchanged += 1
            if row.loaded_means != row.means:  # the admin's edit is in the file now
                plan.synonym_loaded.append(row.pk)
            continue
        if row is not None:
            if row.means != row.loaded_means:
                plan.conflicts.append(f"{label} was changed in the admin since the last load")
                plan.overwritten.append(label)
            plan.synonym_deletes.append(row.pk)
            counts.updated += 1
        else:
            counts.created += 1
        plan.synonym_writes.append(entry)
    for row in stored.values():
        label = f"{SYNONYMS}/{row.language}/{row.word}"
        if not row.loaded_means:
            plan.conflicts.append(f"{label} was created in the admin and is in no synonyms file")
            plan.overwritten.append(label)
        elif row.means != row.loaded_means:
            plan.conflicts.append(f"{label} was changed in the admin since the last load, and "
                                  "its file no longer has it")
            plan.overwritten.append(label)
        plan.synonym_deletes.append(row.pk)
        report.deleted.append(label)
        counts.deleted += 1


# --- Writing -------------------------------------------------------------------------------------


def _renumbered_fields(kind: ContentKind) -> list[str]:
    """Integer fields unique on their own (a chapter's number), which renumbering can swap."""
    names = []
    for constraint in kind.model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and len(constraint.fields) == 1 \
                and constraint.fields[0] != "slug":
            names.append(constraint.fields[0])
    return names


def _move_unique_numbers_aside(plan: _Plan) -> None:
    """Give every row that is rewritten or deleted a temporary unique number first."""
    for kind in KINDS:
        names = _renumbered_fields(kind)
        if not names:
            continue
        rows = [obj for record, obj in plan.writes if obj is not None and record.kind is kind]
        rows += [obj for deleted_kind, obj in plan.deletes if deleted_kind is kind]
        for offset, obj in enumerate(rows):
            kind.model.objects.filter(pk=obj.pk).update(
                **{name: RENUMBER_BASE + offset for name in names})


class _Rows:
    """Saved rows by kind and key, so slugs in records resolve to rows as they are written."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[tuple, Any]] = {}

    def add(self, kind: ContentKind, key: tuple, obj) -> None:
        self.rows.setdefault(kind.name, {})[key] = obj

    def load(self, kind: ContentKind) -> None:
        for obj in kind.queryset():
            self.add(kind, kind.key_of(obj), obj)

    def resolve(self, record: Record, name: str, slug: str):
        target = KINDS_BY_MODEL[record.kind.model_field(name).related_model]
        key = (record.refs[target.parent], slug) if target.parent else (slug,)
        return self.rows[target.name][key]


def _save(record: Record, obj, rows: _Rows):
    kind = record.kind
    if obj is None:
        obj = kind.model(slug=record.slug)
    for name, value in record.values.items():
        setattr(obj, name, value)
    for name in kind.ref_keys:
        if not kind.model_field(name).many_to_many:
            slug = record.refs[name]
            setattr(obj, name, rows.resolve(record, name, slug) if slug else None)
    obj.loaded_hash = record.fingerprint()
    obj.save()
    if kind.children:
        spec = kind.children
        spec.model.objects.filter(**{spec.parent_field: obj}).delete()
        spec.model.objects.bulk_create(
            [spec.model(**{spec.parent_field: obj}, **values) for values in record.children])
    return obj


def _apply(plan: _Plan) -> list[tuple[Record, Any]]:
    _move_unique_numbers_aside(plan)
    rows = _Rows()
    saved: list[tuple[Record, Any]] = []
    for kind in KINDS:  # dependency order: what a kind refers to is written before it
        rows.load(kind)
        for record, obj in plan.writes:
            if record.kind is kind:
                saved.append((record, _guarded(record, _save, record, obj, rows)))
                rows.add(kind, record.key, saved[-1][1])
    for record, obj in saved:  # many-to-many last: a term may relate to one created after it
        for name in record.kind.ref_keys:
            if record.kind.model_field(name).many_to_many:
                targets = [rows.resolve(record, name, slug) for slug in record.refs[name]]
                _guarded(record, getattr(obj, name).set, targets)
    for _kind, obj in reversed(plan.deletes):
        obj.delete()
    Synonym.objects.filter(pk__in=plan.synonym_deletes).delete()
    Synonym.objects.bulk_create([Synonym(language=e.language, word=e.word, means=e.means,
                                         loaded_means=e.means)
                                 for e in plan.synonym_writes])
    Synonym.objects.filter(pk__in=plan.synonym_loaded).update(loaded_means=models.F("means"))
    return saved


def _guarded(record: Record, function, *args):
    """Run one write; a refusal by the database becomes a report naming the file."""
    try:
        with transaction.atomic():
            return function(*args)
    except DatabaseError as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ContentValidationError(
            [ContentError(record.path, f"the database refused it: {message}", "(item)")]
        ) from None


def _missing_translations(records: list[Record]) -> dict[str, int]:
    """Per language: Dutch fields with text whose translation is empty."""
    missing = dict.fromkeys(OTHER_LANGUAGES, 0)
    for record in records:
        for values in (record.values, *record.children):
            for name, value in values.items():
                if not name.endswith(f"_{DEFAULT_LANGUAGE}") or not value:
                    continue
                base = name[: -len(DEFAULT_LANGUAGE) - 1]
                for code in OTHER_LANGUAGES:
                    if not values.get(f"{base}_{code}"):
                        missing[code] += 1
    return missing


def load_content(*, root: Path, dry_run: bool = False, force: bool = False) -> LoadReport:
    """Validate every file under `root`, then create, update and delete rows in one transaction.

    Raises ContentValidationError (nothing written) when any file is invalid or the
    database refuses a row, and ContentConflictError when rows edited in the admin
    would be overwritten and `force` is not set. Never prints.
    """
    records = read_content(root)
    synonyms = read_synonyms(root, records)
    if synonyms.errors:
        raise ContentValidationError(synonyms.errors)
    report = LoadReport(dry_run=dry_run, missing_translations=_missing_translations(records),
                        warnings=synonyms.warnings)
    with content_write_lock():  # plans from what is stored once no other writer is busy
        plan = _plan(records, report)
        _plan_synonyms(synonyms.entries, plan, report)
        report.overwritten = plan.overwritten
        if plan.conflicts and not force:
            raise ContentConflictError(plan.conflicts)
        if dry_run:
            return report
        saved = _apply(plan)
        for record, obj in saved:  # after children and links are in: the item as a whole
            history.record_loaded(obj, path=record.path)
        published = publishing.publish(changed=bool(report.changes))
        report.rerendered, report.indexed = published.rendered, published.documents
    return report
