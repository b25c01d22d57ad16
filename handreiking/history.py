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

from .schema import CHILD_MODELS, KINDS, LANGUAGES, rendered_fields, translated_fields

RESTORED_AS_THEY_STAND = ("loaded_hash", "updated_at")


def _rendered(model: type[models.Model]) -> tuple[str, ...]:
    targets = rendered_fields(model).values()
    names = [f"{target}_{code}" for target in targets for code in LANGUAGES]
    return (*targets, *names)


def compare_exclude(model: type[models.Model]) -> list[str]:
    """Fields the history's diff leaves out: bookkeeping, and the untranslated copy of a
    translated field (modeltranslation's original column, the same text as `_nl`)."""
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


def record_loaded(obj: models.Model, *, path: object) -> None:
    """A revision for one item written by a load ("Loaded from content/glossary/doxing.md").

    One per item, not one for the whole load: the admin restores a whole revision at
    once, and restoring one glossary term must not restore the rest of the guide.
    """
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(obj)
        reversion.set_comment(f"Loaded from {path}")


def _has_bookkeeping(model: type[models.Model]) -> bool:
    names = {f.name for f in model._meta.concrete_fields}
    return set(RESTORED_AS_THEY_STAND) <= names


@dataclass
class Restore:
    """One item about to be restored from a version: its rows as they stand now."""

    model: type[models.Model]
    pk: str
    saved_at: datetime | None  # the item's `updated_at` before the restore (None: deleted)
    loaded_hashes: dict[tuple[type[models.Model], str], str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, version) -> Restore:
        model = version._model
        current = model.objects.filter(pk=version.object_id).values_list(
            "updated_at", flat=True).first()
        restore = cls(model, str(version.object_id), current)
        for part in version.revision.version_set.all():
            part_model = part._model
            if part_model is not None and _has_bookkeeping(part_model):
                hash_ = part_model.objects.filter(pk=part.object_id).values_list(
                    "loaded_hash", flat=True).first()
                restore.loaded_hashes[(part_model, str(part.object_id))] = hash_
        return restore

    def keep_bookkeeping(self) -> None:
        """After the old version is written back: current `loaded_hash`, stamped now."""
        now = timezone.now()
        for (model, pk), loaded_hash in self.loaded_hashes.items():
            values = {"updated_at": now}
            if loaded_hash is not None:  # a recovered row keeps the hash it was deleted with
                values["loaded_hash"] = loaded_hash
            model.objects.filter(pk=pk).update(**values)
