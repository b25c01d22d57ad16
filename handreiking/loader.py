"""load_content(): the only code that writes content rows from files — all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from . import publishing, search
from .models import (
    AgeGroup,
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    Question,
    QuestionList,
    Section,
    Step,
    StepPlan,
    Theme,
)
from .records import KINDS, Record, fingerprint, read_content

MODELS: dict[str, type[models.Model]] = {
    "age-groups": AgeGroup,
    "themes": Theme,
    "glossary": GlossaryTerm,
    "organisations": HelpOrganisation,
    "chapters": Chapter,
    "sections": Section,
    "cases": Case,
    "questions": QuestionList,
    "step-plans": StepPlan,
}
# Foreign keys by front-matter key, and the kind of the row they point to.
FOREIGN_KEYS = {"chapter": "chapters", "section": "sections"}
CHILDREN = {"questions": (Question, "question_list"), "step-plans": (Step, "plan")}
RENDERED_MODELS = [GlossaryTerm, HelpOrganisation, Chapter, Section, Case, QuestionList,
                   Question, StepPlan, Step]


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
    rerendered: int = 0
    dry_run: bool = False

    @property
    def changes(self) -> int:
        return sum(c.created + c.updated + c.deleted for c in self.counts.values())


class ContentConflictError(Exception):
    """Rows edited in the admin since the last load; loading would overwrite them."""

    def __init__(self, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        super().__init__("; ".join(conflicts))


# --- Reading what the database holds, in the records' shape -------------------------------------


def _value(value: Any) -> Any:
    return "" if value is None else value


def _queryset(kind: str):
    model = MODELS[kind]
    qs = model.objects.all()
    spec = next(k for k in KINDS if k.name == kind)
    related = [k.name for k in spec.keys if k.ref and k.type == "list"]
    if related:
        qs = qs.prefetch_related(*related)
    if kind in CHILDREN:
        qs = qs.prefetch_related(CHILDREN[kind][0]._meta.get_field(CHILDREN[kind][1])
                                 .remote_field.related_name)
    fks = [name for name in FOREIGN_KEYS if any(k.name == name for k in spec.keys)]
    if kind == "sections":
        fks = ["chapter"]
    if fks:
        qs = qs.select_related(*fks)
    return qs


def _key(kind: str, obj) -> tuple[str, ...]:
    return (obj.chapter.slug, obj.slug) if kind == "sections" else (obj.slug,)


def snapshot_fingerprint(record_like: Record, obj) -> str:
    """Fingerprint of the row as stored, over the same fields the record sets."""
    fields = {name: _value(getattr(obj, name)) for name in record_like.fields}
    refs: dict[str, Any] = {}
    for name in record_like.refs:
        if name in FOREIGN_KEYS:
            target = getattr(obj, name)
            refs[name] = target.slug if target is not None else None
        else:
            refs[name] = sorted(o.slug for o in getattr(obj, name).all())
    children = []
    if record_like.kind in CHILDREN:
        model, _fk = CHILDREN[record_like.kind]
        related = getattr(obj, model._meta.get_field(_fk).remote_field.related_name).all()
        names = list(record_like.children[0]) if record_like.children else _child_fields(model)
        children = [{n: _value(getattr(c, n)) for n in names}
                    for c in sorted(related, key=lambda c: c.order)]
    return fingerprint(fields, refs, children)


def _child_fields(model) -> list[str]:
    if model is Question:
        return ["order", "text_nl", "text_en"]
    return ["order", "title_nl", "title_en", "body_nl", "body_en"]


def _stored_shape(kind: str, obj) -> Record:
    """A Record naming the fields a stored row was loaded with, for rows with no file."""
    spec = next(k for k in KINDS if k.name == kind)
    probe = Record(kind=kind, slug=obj.slug, path=obj.source_path)
    probe.fields = {"order": None, "source_path": None}
    for key in spec.keys:
        if key.name in {"slug", "order"}:
            continue
        if key.ref or key.name == "section":
            probe.refs[key.name] = None
        elif key.name != "questions":
            names = [f"{key.target}_nl", f"{key.target}_en"] if key.translated else [key.target]
            probe.fields.update(dict.fromkeys(names))
    body_fields = {"case": ["story", "advice"], "steps": ["body"]}.get(spec.body, [spec.body])
    for name in body_fields:
        probe.fields.update(dict.fromkeys([f"{name}_nl", f"{name}_en"]))
    return probe


# --- Planning: what would change, and what would be overwritten -------------------------------


@dataclass
class _Plan:
    creates: list[Record] = field(default_factory=list)
    updates: list[tuple[Record, Any]] = field(default_factory=list)
    deletes: list[tuple[str, Any]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)


def _plan(records: list[Record], report: LoadReport) -> _Plan:
    plan = _Plan()
    by_kind: dict[str, dict[tuple, Record]] = {kind.name: {} for kind in KINDS}
    for record in records:
        by_kind[record.kind][record.key] = record
    for kind in KINDS:
        counts = report.counts.setdefault(kind.name, KindCounts())
        stored = {_key(kind.name, obj): obj for obj in _queryset(kind.name)}
        for key, record in by_kind[kind.name].items():
            obj = stored.get(key)
            if obj is None:
                plan.creates.append(record)
                counts.created += 1
                continue
            edited = not obj.loaded_hash or snapshot_fingerprint(record, obj) != obj.loaded_hash
            if not edited and record.fingerprint() == obj.loaded_hash:
                counts.unchanged += 1
                continue
            if edited:
                plan.conflicts.append(f"{record.label} ({record.path}) was changed in the admin "
                                      "since the last load")
                plan.overwritten.append(record.label)
            plan.updates.append((record, obj))
            counts.updated += 1
        for key, obj in stored.items():
            if key in by_kind[kind.name]:
                continue
            label = f"{kind.name}/{'/'.join(key)}"
            shape = _stored_shape(kind.name, obj)
            if not obj.loaded_hash:
                plan.conflicts.append(f"{label} was created in the admin and has no content file")
                plan.overwritten.append(label)
            elif snapshot_fingerprint(shape, obj) != obj.loaded_hash:
                plan.conflicts.append(f"{label} was changed in the admin since the last load, "
                                      "and its file was removed")
                plan.overwritten.append(label)
            plan.deletes.append((kind.name, obj))
            report.deleted.append(f"{label} ({obj.source_path or 'no file'})")
            counts.deleted += 1
    return plan


# --- Writing -------------------------------------------------------------------------------------


class _Resolver:
    """Slugs in records -> saved rows, filled in as kinds are written in dependency order."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[tuple, Any]] = {}

    def add(self, kind: str, key: tuple, obj) -> None:
        self.rows.setdefault(kind, {})[key] = obj

    def load_existing(self, kind: str) -> None:
        qs = MODELS[kind].objects.select_related("chapter") if kind == "sections" \
            else MODELS[kind].objects.all()
        for obj in qs:
            self.rows.setdefault(kind, {})[_key(kind, obj)] = obj

    def get(self, kind: str, key: tuple):
        return self.rows[kind][key]


def _write(record: Record, obj, resolver: _Resolver) -> Any:
    kind = record.kind
    model = MODELS[kind]
    spec = next(k for k in KINDS if k.name == kind)
    if obj is None:
        obj = model(slug=record.slug)
    for name, value in record.fields.items():
        setattr(obj, name, value)
    if kind == "sections":
        obj.chapter = resolver.get("chapters", (record.parent,))
    for name, target_kind in FOREIGN_KEYS.items():
        if name not in record.refs:
            continue
        slug = record.refs[name]
        if slug is None:
            setattr(obj, name, None)
        elif name == "section":
            setattr(obj, name, resolver.get("sections", (record.refs["chapter"], slug)))
        else:
            setattr(obj, name, resolver.get(target_kind, (slug,)))
    obj.loaded_hash = record.fingerprint()
    obj.save()
    for key in spec.keys:
        if key.ref and key.type == "list":
            targets = [resolver.get(key.ref, (slug,)) for slug in record.refs[key.name]]
            getattr(obj, key.name).set(targets)
    if kind in CHILDREN:
        child_model, fk = CHILDREN[kind]
        child_model.objects.filter(**{fk: obj}).delete()
        child_model.objects.bulk_create(
            [child_model(**{fk: obj}, **values) for values in record.children]
        )
    return obj


def _apply(plan: _Plan) -> None:
    resolver = _Resolver()
    creates = {kind.name: [] for kind in KINDS}
    updates = {kind.name: [] for kind in KINDS}
    for record in plan.creates:
        creates[record.kind].append(record)
    for record, obj in plan.updates:
        updates[record.kind].append((record, obj))
    for kind in KINDS:
        resolver.load_existing(kind.name)
        for record, obj in updates[kind.name]:
            resolver.add(kind.name, record.key, _write(record, obj, resolver))
        for record in creates[kind.name]:
            resolver.add(kind.name, record.key, _write(record, None, resolver))
    for kind_name, obj in reversed(plan.deletes):
        if kind_name == "chapters":
            # A removed chapter's sections go with it; their placements were validated away.
            obj.sections.all().delete()
        obj.delete()


def load_content(*, root: Path, dry_run: bool = False, force: bool = False) -> LoadReport:
    """Validate every file under `root`, then create, update and delete rows in one transaction.

    Raises ContentValidationError (nothing written) when any file is invalid, and
    ContentConflictError when rows edited in the admin would be overwritten and
    `force` is not set. Never prints.
    """
    records = read_content(root)
    report = LoadReport(dry_run=dry_run)
    with transaction.atomic():
        plan = _plan(records, report)
        report.overwritten = plan.overwritten
        if plan.conflicts and not force:
            raise ContentConflictError(plan.conflicts)
        if dry_run:
            return report
        _apply(plan)
        report.rerendered = publishing.rerender_all()
        if report.changes or report.rerendered:
            search.rebuild_index()
    return report
