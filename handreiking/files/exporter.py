"""export_content(): the database back into content files, in exactly the format the loader reads.

Files and the admin meet here. The exporter reads the tree as the loader does
(`records`), compares every stored row with the record its files give (the same
`snapshot`/`fingerprint` the loader's guard uses), and writes only what differs:

- an unchanged item's files are left alone, byte for byte;
- in an edited item's file, every front-matter line and body whose value did not
  change is kept exactly as written (its quoting, its list order, its blank lines);
  only the changed ones are written anew, from the schema (`ContentKind.keys` for the
  order of keys, the model field for how a value is written, `Body.join` for the body);
- an item created in the admin gets a new file where the loader looks for it;
- a file whose item was deleted in the admin is removed.

Afterwards the rows remember what was written (`loaded_hash`, `source_path`), so the
next `loadcontent` finds nothing to do and needs no `--force`. A file changed on
disk since the last load is never overwritten silently (ExportConflictError), as the
loader never silently overwrites an admin edit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import models

from ..locking import content_write_lock
from ..models import Synonym
from ..schema import (
    DEFAULT_LANGUAGE,
    KINDS,
    OTHER_LANGUAGES,
    TRANSLATION_DIR,
    ContentKind,
    fingerprint,
)
from .frontmatter import CLOSING_FENCE, ORDER_PREFIX, split_order_prefix
from .records import ContentValidationError, Record, read_content, read_value
from .synonyms import read_synonyms, synonym_files

PLAIN_SAFE = re.compile(r"^[A-Za-z0-9][\w .,()/'’–-]*$")  # written without quotes as YAML


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)  # paths created or rewritten
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0  # items whose files already matched
    dry_run: bool = False

    @property
    def changes(self) -> int:
        return len(self.written) + len(self.removed)


class ExportConflictError(Exception):
    """Files changed on disk since the last load; exporting would overwrite them."""

    def __init__(self, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        super().__init__("; ".join(conflicts))


# --- Writing one value as YAML -------------------------------------------------------------------


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _plain_or_quoted(text: str, *, plain: bool) -> str:
    if plain and PLAIN_SAFE.match(text) and yaml.safe_load(f"k: {text}") == {"k": text}:
        return text
    return _quoted(text)


def _is_word_value(kind: ContentKind, name: str) -> bool:
    """Slugs and choices are written bare (`category: acute`); free text is quoted."""
    model_field = kind.model_field(name)
    return model_field.is_relation or bool(model_field.choices) or name == "slug"


def render_key(kind: ContentKind, name: str, value: Any, *, plain_text: bool = False) -> str:
    """One front-matter key and its value, as the schema writes it."""
    model_field = kind.model_field(name)
    if kind.children and kind.children.from_key == name:
        return f"{name}:\n" + "".join(f"  - {_quoted(item)}\n" for item in value)
    if model_field.many_to_many:
        return f"{name}: [{', '.join(value)}]\n"
    if name in kind.lines:
        items = value.split("\n") if value else []
        return f"{name}: [{', '.join(_quoted(item) for item in items)}]\n"
    if isinstance(value, date):
        return f"{name}: {value.isoformat()}\n"
    if isinstance(value, bool):
        return f"{name}: {'true' if value else 'false'}\n"
    if isinstance(value, int):
        return f"{name}: {value}\n"
    if isinstance(value, list):  # a JSON list of choices (an organisation's audiences)
        return f"{name}: [{', '.join(value)}]\n"
    if isinstance(value, dict):  # a JSON mapping (where contact details come from)
        pairs = ", ".join(f"{key}: {_quoted(text)}" for key, text in value.items())
        return f"{name}: {{{pairs}}}\n"
    if _is_word_value(kind, name):
        return f"{name}: {value}\n"
    return f"{name}: {_plain_or_quoted(value, plain=plain_text)}\n"


# --- One file: what it should say, written over what it says now --------------------------------


@dataclass
class _Header:
    """A front matter split into its keys' blocks (a key's line and its indented items)."""

    blocks: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> _Header:
        blocks: dict[str, str] = {}
        current = None
        for line in text.splitlines(keepends=True):
            match = re.match(r"^([A-Za-z_][\w]*):", line)
            if match:
                current = match[1]
                blocks[current] = line
            elif current is not None:
                blocks[current] += line
        return cls(blocks)


@dataclass
class _File:
    """A file as it stands: its header blocks, and the bytes around and in its body."""

    header: _Header
    before_body: str  # from the closing fence to the body ("\n\n" mostly)
    body: str
    after_body: str  # the file's end ("\n")

    @classmethod
    def read(cls, path: Path) -> _File | None:
        if not path.is_file():
            return None
        raw = path.read_text(encoding="utf-8")
        closing = CLOSING_FENCE.search(raw, 4)
        header, rest = raw[4:closing.start()], raw[closing.end():]
        body = rest.strip()
        start = rest.find(body) if body else len(rest)
        return cls(_Header.parse(header), rest[:start], body, rest[start + len(body):])


def _value_of(kind: ContentKind, name: str, block: str) -> Any:
    """A header block's value as the loader reads it (None if it no longer parses)."""
    try:
        data = yaml.safe_load(block)
        return read_value(kind, name, data[name])
    except (yaml.YAMLError, ValueError, KeyError, TypeError):
        return None


def _render(kind: ContentKind, wanted: dict[str, Any], defaults: dict[str, Any], body: str,
            old: _File | None) -> str:
    """The file's text: `wanted` keys (in schema order) over the old file's blocks."""
    header = ""
    for name in _key_order(kind, list(old.header.blocks) if old else [], wanted):
        value = wanted[name]
        old_block = old.header.blocks.get(name) if old else None
        if old_block is not None and _value_of(kind, name, old_block) == value:
            header += old_block  # unchanged: kept as written
        elif old_block is not None or not _is_default(value, defaults.get(name)):
            plain = bool(old_block and not old_block.split(":", 1)[1].strip().startswith('"'))
            header += render_key(kind, name, value, plain_text=plain)
    if old is not None:
        new_body = old.body if _same_body(kind, old.body, body) else body
        before = old.before_body if old.body or not new_body else "\n\n"
        after = old.after_body if old.after_body else "\n"
        return f"---\n{header}---{before}{new_body}{after}" if new_body else \
            f"---\n{header}---\n"
    return f"---\n{header}---\n\n{body}\n" if body else f"---\n{header}---\n"


def _is_default(value: Any, default: Any) -> bool:
    """Whether leaving the key out reads back as `value` (an empty date is None or "")."""
    return value == default or (value in ("", None) and default in ("", None))


def _key_order(kind: ContentKind, old_keys: list[str], wanted: dict[str, Any]) -> list[str]:
    """The old file's order for the keys it has; a new key after its schema predecessor."""
    order = [name for name in old_keys if name in wanted]
    for name in kind.keys:
        if name in wanted and name not in order:
            earlier = kind.keys[: kind.keys.index(name)]
            position = max((order.index(k) + 1 for k in earlier if k in order), default=0)
            order.insert(position, name)
    return order


def _same_body(kind: ContentKind, old: str, new: str) -> bool:
    if old == new:
        return True
    try:
        return kind.body.split(old) == kind.body.split(new)
    except ValueError:
        return False


# --- An item's files from its stored row ---------------------------------------------------------


def _language_values(kind: ContentKind, shape: dict[str, Any], code: str) -> dict[str, Any]:
    """Front-matter values and body text of one language's file, from a stored row's shape."""
    values, refs, children = shape["values"], shape["refs"], shape["children"]
    keys: dict[str, Any] = {}
    for name in kind.keys:
        if code != DEFAULT_LANGUAGE and name not in kind.translatable_keys:
            continue
        if kind.children and kind.children.from_key == name:
            item = kind.children.fields[0]
            keys[name] = [child[f"{item}_{code}"] for child in children]
        elif name in refs:
            keys[name] = refs[name]
        elif name in kind.translated:
            keys[name] = values[f"{name}_{code}"]
        elif name not in ("slug", "order"):
            keys[name] = values[name]
    body_values = {name: values[f"{name}_{code}"] if name in kind.translated else values[name]
                   for name in kind.body.fields}
    body_children = []
    if kind.children and not kind.children.from_key:
        spec = kind.children
        body_children = [{name: child[f"{name}_{code}"] if name in spec.translated
                          else child[name] for name in spec.fields} for child in children]
    body = ""
    if any(body_values.values()) or any(v for c in body_children for v in c.values()):
        body = kind.body.join(body_values, body_children)
    return {"keys": keys, "body": body}


def _defaults(kind: ContentKind, slug: str, order: int) -> dict[str, Any]:
    """What the loader assumes for a key the file leaves out."""
    defaults: dict[str, Any] = {"slug": slug, "order": order}
    for name in kind.keys:
        if name in defaults:
            continue
        model_field = kind.model_field(name)
        if model_field.many_to_many or (kind.children and kind.children.from_key == name):
            defaults[name] = []
        elif model_field.is_relation:
            defaults[name] = None
        else:
            default = model_field.get_default()
            defaults[name] = "" if default is None else default
    return defaults


@dataclass
class _Planned:
    path: Path  # the Dutch file
    text: str | None  # None: remove
    translation_path: Path
    translation_text: str | None


def _paths_for(kind: ContentKind, shape: dict[str, Any], slug: str, root: Path,
               folders: dict[str, str], prefixed: bool) -> Path:
    """Where the loader looks for a new item: its kind's folder, numbered like its siblings."""
    order = shape["values"]["order"]
    stem = f"{order:02d}-{slug}" if prefixed and order else slug
    if kind.slug_from_folder:
        return root / kind.directory / stem / "_index.md"
    if kind.parent:
        parent_slug = shape["refs"][kind.parent]
        return root / kind.directory / folders[parent_slug] / f"{stem}.md"
    return root / kind.directory / f"{stem}.md"


def _item_files(kind: ContentKind, shape: dict[str, Any], slug: str, path: Path, root: Path,
                order_from_path: int) -> _Planned:
    en_path = root / TRANSLATION_DIR / path.relative_to(root)
    planned = _Planned(path, None, en_path, None)
    name_slug = split_order_prefix(path.parent.name if kind.slug_from_folder else path.stem)[1]
    for code in (DEFAULT_LANGUAGE, *OTHER_LANGUAGES):
        own = _language_values(kind, shape, code)
        wanted = dict(own["keys"])
        if code == DEFAULT_LANGUAGE:
            wanted["slug"], wanted["order"] = slug, shape["values"]["order"]
            defaults = _defaults(kind, name_slug, order_from_path)
            old = _File.read(path)
        else:
            wanted = {k: v for k, v in wanted.items() if v}
            defaults = {}
            old = _File.read(en_path)
            if not wanted and not own["body"]:
                continue  # no translation: no file
        text = _render(kind, wanted, defaults, own["body"], old)
        if code == DEFAULT_LANGUAGE:
            planned.text = text
        else:
            planned.translation_text = text
    return planned


# --- The whole tree ------------------------------------------------------------------------------


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent))


def _plan_items(root: Path, records: list[Record],
                report: ExportReport) -> tuple[list[_Planned], list[str]]:
    by_key = {(record.kind.name, record.key): record for record in records}
    folders = {record.slug: Path(record.path).parent.name for record in records
               if record.kind.slug_from_folder}
    planned: list[_Planned] = []
    conflicts: list[str] = []
    for kind in KINDS:
        on_disk = [Path(r.path).parent.name if kind.slug_from_folder else Path(r.path).stem
                   for r in records if r.kind is kind]
        prefixed = any(ORDER_PREFIX.match(stem) for stem in on_disk) or not on_disk
        for obj in kind.queryset():
            key = kind.key_of(obj)
            record = by_key.pop((kind.name, key), None)
            shape = kind.snapshot(obj)
            if record is not None:
                path = root.parent / record.path
                shape["values"]["source_path"] = record.path
            else:
                if kind.slug_from_folder:
                    folders.setdefault(obj.slug, f"{obj.order:02d}-{obj.slug}" if prefixed
                                       else obj.slug)
                path = _paths_for(kind, shape, obj.slug, root, folders, prefixed)
                shape["values"]["source_path"] = _relative(path, root)
            if record is not None and record.fingerprint() == fingerprint(shape):
                report.unchanged += 1
                continue
            if record is not None and obj.loaded_hash and record.fingerprint() != obj.loaded_hash:
                conflicts.append(f"{record.path} was changed on disk since the last load")
            stem = path.parent.name if kind.slug_from_folder else path.stem
            planned.append(_item_files(kind, shape, obj.slug, path, root,
                                       split_order_prefix(stem)[0] or 0))
    for record in by_key.values():  # files whose item was deleted in the admin
        path = root.parent / record.path
        planned.append(_Planned(path, None, root / TRANSLATION_DIR / path.relative_to(root),
                                None))
    return planned, conflicts


def _synonym_conflicts(entries) -> list[str]:
    """Synonyms whose file line changed since the last load (the row's `loaded_means`)."""
    stored = {(row.language, row.word): row.loaded_means for row in Synonym.objects.all()}
    return [f"{entry.path}: {entry.word} was changed on disk since the last load"
            for entry in entries
            if stored.get(entry.key) and stored[entry.key] != entry.means]


def _synonym_texts(root: Path, records: list[Record]) -> dict[Path, str]:
    """Each language's synonyms file with the database's synonyms, lines kept where unchanged."""
    stored: dict[str, dict[str, list[str]]] = {}
    for row in Synonym.objects.order_by("pk"):
        stored.setdefault(row.language, {}).setdefault(row.means, []).append(row.word)
    texts: dict[Path, str] = {}
    for language, path in synonym_files(root).items():
        wanted = stored.get(language, {})
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        lines, seen = [], set()
        for line in old.splitlines(keepends=True):
            match = re.match(r"^([^#\s][^:]*):\s*(\[.*\])\s*$", line)
            if not match:
                lines.append(line)
                continue
            means = match[1].strip()
            seen.add(means)
            if means not in wanted:
                continue  # every word of it was deleted
            written = yaml.safe_load(match[2]) or []
            words = [w for w in written if w in wanted[means]]
            words += [w for w in wanted[means] if w not in words]
            lines.append(line if words == written else f"{means}: [{', '.join(words)}]\n")
        for means, words in wanted.items():
            if means not in seen:
                if lines and not lines[-1].endswith("\n"):
                    lines[-1] += "\n"
                lines.append(f"{means}: [{', '.join(words)}]\n")
        text = "".join(lines)
        if text != old and (text or old):
            texts[path] = text
    return texts


def export_content(*, root: Path, dry_run: bool = False, force: bool = False) -> ExportReport:
    """Write the database into the tree under `root`; only what differs changes.

    Raises ContentValidationError when the files on disk are not valid (fix or load them
    first: the exporter must read them to keep what is unchanged) and ExportConflictError
    when files changed on disk since the last load and `force` is not set.
    """
    root = Path(root)
    report = ExportReport(dry_run=dry_run)
    with content_write_lock():
        records = read_content(root) if root.is_dir() else []
        synonyms = read_synonyms(root, records) if root.is_dir() else None
        if synonyms and synonyms.errors:
            raise ContentValidationError(synonyms.errors)
        planned, conflicts = _plan_items(root, records, report)
        if synonyms:
            conflicts += _synonym_conflicts(synonyms.entries)
        if conflicts and not force:
            raise ExportConflictError(conflicts)
        writes: dict[Path, str | None] = {}
        for item in planned:
            writes[item.path] = item.text
            if item.translation_text is not None or item.translation_path.is_file():
                writes[item.translation_path] = item.translation_text
        writes.update(_synonym_texts(root, records))
        for path, text in writes.items():
            current = path.read_text(encoding="utf-8") if path.is_file() else None
            if text == current:
                continue
            if text is None:
                report.removed.append(_relative(path, root))
            else:
                report.written.append(_relative(path, root))
            if dry_run:
                continue
            if text is None:
                path.unlink()
                _remove_empty_folders(path.parent, root)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
        if not dry_run and report.changes:
            _remember_written(root)
    return report


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _remember_written(root: Path) -> None:
    """Rows now match their files: store what the loader would, so it finds nothing to do."""
    Synonym.objects.update(loaded_means=models.F("means"))
    for record in read_content(root):
        kind = record.kind
        obj = _stored(kind, record)
        if obj is None:
            continue
        shape = kind.snapshot(obj)
        shape["values"]["source_path"] = record.path
        if fingerprint(shape) != record.fingerprint():
            raise AssertionError(f"{record.path}: the exported file does not read back as the "
                                 "stored item")
        kind.model.objects.filter(pk=obj.pk).update(source_path=record.path,
                                                     loaded_hash=record.fingerprint())


def _stored(kind: ContentKind, record: Record) -> models.Model | None:
    queryset = kind.queryset().filter(slug=record.slug)
    if kind.parent:
        queryset = queryset.filter(**{f"{kind.parent}__slug": record.parent})
    return queryset.first()

