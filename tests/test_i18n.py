"""Every visible interface string goes through gettext, and both catalogues are complete."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR, "templates")
LOCALE = Path(settings.BASE_DIR, "locale")
# Pages that must render when the application itself is failing: plain bilingual HTML,
# no template tags beyond {% static %}, so they are written in both languages by hand.
STANDALONE = {"400.html", "500.html", "503.html"}
# Language names are shown in their own language on purpose ("Nederlands", "English").
ENDONYMS = {"Nederlands", "English"}
VISIBLE_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "content")


def _unmarked_text(template: str) -> list[str]:
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", template, flags=re.S)
    text = re.sub(r"{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", text, flags=re.S)
    text = re.sub(r"{%.*?%}", " ", text, flags=re.S)
    text = re.sub(r"{{.*?}}", " ", text, flags=re.S)
    found = []
    for name in VISIBLE_ATTRIBUTES:
        for value in re.findall(rf'\s{name}="([^"]*)"', text):
            if name == "content" and not re.search(r"[A-Za-z]{3}", value):
                continue
            if re.search(r"[A-Za-z]{2}", value) and not value.startswith(("width=", "http")):
                found.append(f'{name}="{value}"')
    body = re.sub(r"<[^>]*>", " ", text)
    body = re.sub(r"&[a-z]+;|&#\d+;", " ", body)
    for word in re.findall(r"[^\W\d_][\w’'-]*", body):
        if word not in ENDONYMS:
            found.append(word)
    return found


@pytest.mark.parametrize("path", sorted(p for p in TEMPLATES.rglob("*.html")
                                        if p.name not in STANDALONE),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_template_string_is_marked_for_translation(path):
    assert _unmarked_text(path.read_text(encoding="utf-8")) == []


def test_the_checker_finds_an_unmarked_string():
    assert _unmarked_text('<p>{% translate "Fine" %} Vergeten</p>') == ["Vergeten"]
    assert _unmarked_text('<nav aria-label="Hoofdmenu"></nav>') == ['aria-label="Hoofdmenu"']
    assert _unmarked_text("<p>{% blocktranslate %}Ok {{ x }}{% endblocktranslate %}</p>") == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_catalogue_has_no_empty_or_fuzzy_entries(language):
    with open(LOCALE / language / "LC_MESSAGES/django.po", "rb") as handle:
        catalogue = read_po(handle)
    empty = [m.id for m in catalogue if m.id and not (m.string if isinstance(m.string, str)
                                                        else all(m.string))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert empty == [] and fuzzy == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_committed_catalogue_matches_its_po_file(language):
    """The .mo files are committed (rendered links depend on them); they must be current."""
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.po", "rb") as handle:
        catalogue = read_po(handle)
    with open(folder / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        key = message.id if isinstance(message.id, str) else (message.id[0], 0)
        if message.context:  # gettext keys a context as "context\x04msgid"
            key = (f"{message.context}\x04{key}" if isinstance(key, str)
                   else (f"{message.context}\x04{key[0]}", 0))
        expected = message.string if isinstance(message.string, str) else message.string[0]
        assert compiled.get(key) == expected, message.id


def test_every_template_string_is_in_the_dutch_catalogue():
    with open(LOCALE / "nl/LC_MESSAGES/django.po", "rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for message in re.findall(r'{%\s*translate\s+"([^"]+)"', text):
            if message not in known:
                missing.append(f"{path.name}: {message}")
    assert missing == []
