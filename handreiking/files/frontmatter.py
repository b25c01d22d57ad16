"""Parse one content file into (metadata, markdown body); knows nothing about models."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..text import normalise_text

# Footers of the source PDF must never leak into content (issue #3).
FORBIDDEN_TEXT = {
    "\u2022": "a PDF bullet (•); use a Markdown list",
    "\ufffd": "a replacement character (�) from the PDF extraction",
    "\u00ad": "a soft hyphen",
    "| Handreiking voor leerkrachten": "a page footer of the PDF",
}
ORDER_PREFIX = re.compile(r"^(?P<order>\d+)-(?P<slug>.+)$")


class ContentError(Exception):
    """A problem with one content file, reported as `path: field: message`."""

    def __init__(self, path: Path | str, message: str, field: str = "") -> None:
        self.path = str(path)
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}: {self.field}" if self.field else f"{self.path}: (file)"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ContentFile:
    path: Path
    metadata: dict[str, Any]
    body: str


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that rejects duplicate keys instead of keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


CLOSING_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def split_order_prefix(stem: str) -> tuple[int | None, str]:
    """`03-consent` -> (3, "consent"); `consent` -> (None, "consent")."""
    match = ORDER_PREFIX.match(stem)
    if match:
        return int(match["order"]), match["slug"]
    return None, stem


def parse_file(path: Path, *, display_path: str | None = None) -> ContentFile:
    """Read a Markdown file with YAML front matter; raise ContentError when it is unusable."""
    shown = display_path or str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(shown, "is not valid UTF-8 text") from None
    except OSError as exc:
        raise ContentError(shown, f"cannot be read ({exc.strerror})") from None
    raw = normalise_text(raw) + "\n"
    if not raw.startswith("---\n"):
        raise ContentError(shown, "must start with a front matter block opened by '---'")
    closing = CLOSING_FENCE.search(raw, 4)
    if closing is None:
        raise ContentError(shown, "the front matter block is not closed by a '---' line")
    header, body = raw[4 : closing.start()], raw[closing.end() :]
    try:
        metadata = yaml.load(header, Loader=_UniqueKeyLoader) if header.strip() else {}  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(shown, f"invalid YAML{where}: {problem}", "front matter") from None
    if not isinstance(metadata, dict):
        raise ContentError(shown, "must be a mapping of keys to values", "front matter")
    for text, why in FORBIDDEN_TEXT.items():
        if text in raw:
            line = raw[: raw.index(text)].count("\n") + 1
            raise ContentError(shown, f"line {line} contains {why}", "body")
    return ContentFile(path=path, metadata=metadata, body=body.strip())
