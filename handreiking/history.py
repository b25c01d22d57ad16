"""What the admin's history keeps (django-reversion), and how a restore treats the rest.

Every content model is registered here, from the one schema, with what it owns
followed (a chapter's sections, a plan's steps, a list's questions), so one revision
holds an item as a whole and restoring it brings its parts back with it.

Not kept: the rendered HTML (`*_html_*`). The publisher derives it again when a
restore is saved, with today's glossary.

Kept but not restored: `loaded_hash` (what the last load wrote) and `updated_at`.
After a restore each row keeps its current `loaded_hash` and is stamped now, as any
save is. So a restored text that differs from the files counts as an admin edit, which
the loader will not overwrite silently; restoring exactly what the files hold counts
as no edit at all.

The loader records one revision per item it writes (`record_loaded`), so the first
admin edit of a loaded item always has a version to compare with and go back to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import reversion
from django.db import models
from django.utils import timezone

from .models import Synonym
from .schema import (
    CHILD_MODELS,
    KINDS,
    KINDS_BY_MODEL,
    LANGUAGES,
    rendered_fields,
    translated_fields,
)

RESTORED_AS_THEY_STAND = ("loaded_hash", "loaded_means", "updated_at")
LOADED = ("loaded_hash", "loaded_means")  # what the last load wrote, per kind of row


def _rendered(model: type[models.Model]) -> tuple[str, ...]:
    targets = rendered_fields(model).values()
    names = [f"{target}_{code}" for target in targets for code in LANGUAGES]
    return (*targets, *names)


def compare_exclude(model: type[models.Model]) -> list[str]:
    """Fields the history's diff leaves out: bookkeeping, and the untranslated copy of a
    translated field (modeltranslation's original column, the same text as `_nl`)."""
    if model not in KINDS_BY_MODEL and model not in CHILD_MODELS:
        return list(RESTORED_AS_THEY_STAND)
    copies = [name for name in translated_fields(model) if name not in _rendered(model)]
    return [*RESTORED_AS_THEY_STAND, *copies]


def register_content_models() -> None:
    """Register every content model once (idempotent: called by admin.py and ready())."""
    follow: dict[type[models.Model], list[str]] = {kind.model: [] for kind in KINDS}
    for kind in KINDS:
        if kind.children:
            follow[kind.model].append(kind.children.related_name)
        if kind.parent:  # a chapter's sections: edited as its inline, kept with it
            parent = kind.model_field(kind.parent)
            follow[parent.related_model].append(parent.remote_field.related_name)
    for kind in KINDS:
        if not reversion.is_registered(kind.model):
            reversion.register(kind.model, exclude=_rendered(kind.model),
                               follow=tuple(follow[kind.model]))
    for model in CHILD_MODELS:
        if not reversion.is_registered(model):
            reversion.register(model, exclude=_rendered(model))
    if not reversion.is_registered(Synonym):
        reversion.register(Synonym)


def record_loaded(obj: models.Model, *, path: object) -> None:
    """A revision for one item written by a load ("Loaded from content/glossary/doxing.md").

    One per item, not one for the whole load: the admin restores a whole revision at
    once, and restoring one glossary term must not restore the rest of the guide.
    """
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(obj)
        reversion.set_comment(f"Loaded from {path}")


def _loaded_field(model: type[models.Model]) -> str | None:
    names = {f.name for f in model._meta.concrete_fields}
    return next((name for name in LOADED if name in names), None)


@dataclass
class Restore:
    """One item about to be restored from a version: its rows as they stand now."""

    model: type[models.Model]
    pk: str
    saved_at: datetime | None  # the item's `updated_at` before the restore (None: deleted)
    # (model, pk) -> its field holding what the last load wrote, and that value now
    loaded: dict[tuple[type[models.Model], str], tuple[str, str | None]] = field(
        default_factory=dict)

    @classmethod
    def of(cls, version) -> Restore:
        model = version._model
        has_date = any(f.name == "updated_at" for f in model._meta.concrete_fields)
        current = model.objects.filter(pk=version.object_id).values_list(
            "updated_at", flat=True).first() if has_date else None
        restore = cls(model, str(version.object_id), current)
        for part in version.revision.version_set.all():
            part_model = part._model
            name = _loaded_field(part_model) if part_model is not None else None
            if name:
                value = part_model.objects.filter(pk=part.object_id).values_list(
                    name, flat=True).first()
                restore.loaded[(part_model, str(part.object_id))] = (name, value)
        return restore

    def keep_bookkeeping(self) -> None:
        """After the old version is written back: current `loaded_hash`, stamped now."""
        now = timezone.now()
        for (model, pk), (name, value) in self.loaded.items():
            values = {}
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                values["updated_at"] = now
            if value is not None:  # a recovered row keeps what it was deleted with
                values[name] = value
            if values:
                model.objects.filter(pk=pk).update(**values)
