"""The front end stays small and self-contained: no framework, no CDN, no other hosts."""

import gzip
import re
from pathlib import Path

from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "static"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
BUDGET_BYTES = 20 * 1024


def test_css_and_js_fit_in_20_kb_compressed():
    files = sorted(STATIC.rglob("*.css")) + sorted(STATIC.rglob("*.js"))
    assert {f.name for f in files} == {"main.css", "print.css", "main.js", "suggest.js"}
    total = sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files)
    assert total <= BUDGET_BYTES, f"{total} bytes compressed"


def test_static_files_reference_no_other_host():
    for path in list(STATIC.rglob("*.css")) + list(STATIC.rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
        assert "@import" not in text, path
        assert "XMLHttpRequest" not in text, path
        # Only the suggestions ask the server anything: the site's own JSON, by path.
        fetches = re.findall(r"fetch\(([^,)]*)", text)
        assert not fetches or (path.name == "suggest.js" and all(
            argument.startswith("base + ") for argument in fetches)), (path, fetches)
        assert "document.cookie" not in text and "Storage" not in text, path


def test_templates_load_nothing_from_other_hosts():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<(script|img|iframe)[^>]+src=\"(https?:)?//", text), path
        assert not re.search(r"<link[^>]+href=\"(https?:)?//", text), path
