"""Markdown -> safe HTML with glossary links; pure and deterministic, the only markdown importer."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

SKIP_TAGS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
# `[woord]{.nolink}`: the editor's "no glossary link here" (content/README.md). The
# words render as plain text; only the linker sees the mark, and it is gone from the HTML.
NO_LINK_PATTERN = r"\[([^\[\]\n]+)\]\{\.nolink\}"
NO_LINK_CLASS = "app-nolink"
# A term matches as a whole word: not inside a longer word, and not as part of a hyphenated
# compound either ("sexting-misbruik" is abuse, not the consensual sexting of the glossary).
WORD_BEFORE = r"(?<![\w-])"
WORD_AFTER = r"(?![\w-])"
MARKDOWN_EXTENSIONS = ["extra", "admonition", "sane_lists", "toc"]
MARKDOWN_EXTENSION_CONFIGS = {"toc": {"permalink": False}}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h3", "h4", "h5",
    "h6", "hr", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "data-term", "rel"},
    "abbr": {"title"},
    "div": {"class"},
    "p": {"class"},
    "span": {"class", "role"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTERNAL_REL = "noopener noreferrer"


@dataclass(frozen=True)
class GlossaryEntry:
    """What the renderer needs to know of one term: where it lives and which words name it."""

    slug: str
    url: str
    words: tuple[str, ...]
    short_definition: str


def short_definition(text: str, limit: int = 180) -> str:
    """First sentence of a definition, plain text, for tooltips and print."""
    plain = re.sub(NO_LINK_PATTERN, r"\1", text or "")
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", plain)
    plain = re.sub(r"[*_`#>]", "", plain).strip()
    plain = " ".join(plain.split())
    match = re.search(r"^(.+?[.!?])(\s|$)", plain)
    sentence = match.group(1) if match else plain
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


class _TermLinker:
    """Links the first occurrence of each glossary term in one document."""

    def __init__(self, entries: list[GlossaryEntry], exclude_slug: str | None) -> None:
        self.by_word: dict[str, GlossaryEntry] = {}
        for entry in entries:
            if entry.slug == exclude_slug:
                continue
            for word in entry.words:
                if word.strip():
                    self.by_word.setdefault(word.strip().lower(), entry)
        words = sorted(self.by_word, key=len, reverse=True)  # longest first: "shame sexting"
        self.pattern = (
            re.compile(WORD_BEFORE + "(" + "|".join(re.escape(w) for w in words) + ")"
                       + WORD_AFTER, re.IGNORECASE)
            if words
            else None
        )
        self.linked: set[str] = set()

    def _element(self, matched: str, entry: GlossaryEntry) -> etree.Element:
        wrapper = etree.Element("span", {"class": "app-term"})
        link = etree.SubElement(
            wrapper, "a", {"class": "app-term__link", "href": entry.url, "data-term": entry.slug}
        )
        link.text = matched
        tip = etree.SubElement(wrapper, "span", {"class": "app-term__definition",
                                                 "role": "tooltip"})
        tip.text = entry.short_definition
        return wrapper

    def split(self, text: str) -> tuple[str, list[etree.Element]]:
        """Return the text before the first link and the new elements (with tails)."""
        if not self.pattern or not text:
            return text, []
        head, nodes, pos = None, [], 0
        for match in self.pattern.finditer(text):
            entry = self.by_word[match.group(1).lower()]
            if entry.slug in self.linked:
                continue
            self.linked.add(entry.slug)
            before = text[pos : match.start()]
            if nodes:
                nodes[-1].tail = before
            else:
                head = before
            nodes.append(self._element(match.group(1), entry))
            pos = match.end()
        if not nodes:
            return text, []
        nodes[-1].tail = text[pos:]
        return head or "", nodes

    def visit(self, element: etree.Element) -> None:
        if element.tag in SKIP_TAGS or element.get("class") == NO_LINK_CLASS:
            return
        if element.text:
            element.text, nodes = self.split(element.text)
            for index, node in enumerate(nodes):
                element.insert(index, node)
        for child in list(element):
            if child.get("class") == "app-term":
                continue
            self.visit(child)
            if child.tail:
                child.tail, nodes = self.split(child.tail)
                position = list(element).index(child) + 1
                for offset, node in enumerate(nodes):
                    element.insert(position + offset, node)


class _NoLinkProcessor(InlineProcessor):
    """`[words]{.nolink}` -> the words, marked so that no glossary term is linked in them."""

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown API
        element = etree.Element("span", {"class": NO_LINK_CLASS})
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


def _unwrap(parent: etree.Element, css_class: str) -> None:
    """Replace every element with `css_class` below `parent` by its own text and children."""
    index = 0
    while index < len(parent):
        child = parent[index]
        _unwrap(child, css_class)
        if child.get("class") != css_class:
            index += 1
            continue
        inner = list(child)
        _add_text(parent, index, child.text)
        parent.remove(child)
        for offset, node in enumerate(inner):
            parent.insert(index + offset, node)
        index += len(inner)
        _add_text(parent, index, child.tail)


def _add_text(parent: etree.Element, index: int, text: str | None) -> None:
    """Put `text` just before the child at `index` of `parent` (or at its end)."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text


class _LinkProcessor(Treeprocessor):
    def __init__(self, md, entries, exclude_slug):
        super().__init__(md)
        self.entries = entries
        self.exclude_slug = exclude_slug

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if urlsplit(href).scheme in {"http", "https"}:
                classes = (link.get("class", "") + " app-link--external").strip()
                link.set("class", classes)
                link.set("rel", EXTERNAL_REL)
        if self.entries:
            _TermLinker(self.entries, self.exclude_slug).visit(root)
        _unwrap(root, NO_LINK_CLASS)


class _GlossaryExtension(Extension):
    def __init__(self, entries, exclude_slug):
        super().__init__()
        self.entries = entries
        self.exclude_slug = exclude_slug

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown API
        # Before "reference" (170), so `[words]{.nolink}` is never read as a link.
        md.inlinePatterns.register(_NoLinkProcessor(NO_LINK_PATTERN, md), "handreiking_nolink",
                                   172)
        # After "inline" (20) so links exist, before "prettify" (10).
        md.treeprocessors.register(_LinkProcessor(md, self.entries, self.exclude_slug),
                                   "handreiking_links", 15)


def sanitise_html(html: str) -> str:
    """Keep only the tags, attributes and URL schemes our content needs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render_markdown(
    text: str,
    *,
    glossary: list[GlossaryEntry] | None = None,
    exclude_term: str | None = None,
    inline: bool = False,
) -> str:
    """Render Markdown to sanitised HTML, linking the first use of each glossary term.

    Deterministic: the same text and glossary always give the same HTML, so the
    loader can tell whether a stored rendering is current.
    """
    if not text or not text.strip():
        return ""
    md = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, _GlossaryExtension(glossary or [], exclude_term)],
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    html = md.convert(text)
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return sanitise_html(html)
