"""The English edition: English text on every English page, links that stay in /en/, search."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.conf import settings

from handreiking.files.frontmatter import parse_file
from handreiking.schema import KINDS, STEP_HEADING, TRANSLATION_DIR
from handreiking.search import search

from .conftest import REAL_CONTENT

pytestmark = pytest.mark.django_db
HREF = re.compile(r'href="([^"#]*)(#[^"]*)?"')
# Common Dutch function words; three or more of them in English main text means Dutch text.
DUTCH_WORDS = {"het", "een", "van", "niet", "zijn", "voor", "wordt", "ook", "als", "maar",
               "hun", "kinderen", "leerkracht", "naar", "deze", "wat", "hoe", "bij", "zij"}
ALLOWED_DUTCH = {"Kindertelefoon", "Slachtofferhulp", "Meldpunt"}


def _main(html: str) -> str:
    return html.split('id="main-content"', 1)[1].split("</main>", 1)[0]


def _crawl(client, start: str, limit: int = 400) -> dict[str, str]:
    pages, queue = {}, [start]
    while queue and len(pages) < limit:
        path = queue.pop()
        if path in pages:
            continue
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK, path
        html = response.content.decode()
        pages[path] = html
        for link, _anchor in HREF.findall(html):
            link = link.replace("&amp;", "&")
            if link.startswith(start) and "?" not in link and link not in pages:
                queue.append(link)
    return pages


def test_english_pages_have_english_text_and_links_that_stay_in_english(client, loaded):
    from handreiking.models import HelpOrganisation

    names = sorted(HelpOrganisation.objects.values_list("title_nl", flat=True), key=len,
                   reverse=True)  # Dutch names of organisations stay Dutch
    pages = _crawl(client, "/en/")
    assert len(pages) >= 40  # every page type and every item page
    for path, html in pages.items():
        main = _main(html)
        links = [link for link, _anchor in HREF.findall(main) if link.startswith("/nl/")]
        assert links == [], f"{path} links into Dutch: {links[:3]}"
        text = re.sub(r"<span class=\"app-term__definition\"[^>]*>.*?</span>", " ", main)
        text = re.sub(r"<[^>]+>", " ", text)
        for name in names:
            text = text.replace(name, " ")
        words = re.findall(r"[a-zA-Z]+", text)
        dutch = [w for w in words if w.lower() in DUTCH_WORDS and w not in ALLOWED_DUTCH]
        assert len(dutch) < 3, f"{path} reads as Dutch: {dutch[:10]}"
        assert '<html lang="en">' in html
        assert "Dit deel is nog niet" not in html and "not yet available in English" not in html


def test_dutch_pages_stay_in_dutch(client, loaded):
    pages = _crawl(client, "/nl/")
    assert len(pages) >= 40  # every page type and every item page
    for path, html in pages.items():
        links = [link for link, _anchor in HREF.findall(_main(html))
                 if link.startswith("/en/")]
        assert links == [], f"{path} links into English: {links[:3]}"


def test_language_switch_goes_to_the_same_page_with_its_filter(client, loaded):
    html = client.get("/en/chapters/themas-in-de-klas/", {"age": "bovenbouw"}).content.decode()
    assert 'href="/nl/hoofdstukken/themas-in-de-klas/?age=bovenbouw" hreflang="nl"' in html
    html = client.get("/nl/casussen/tess/").content.decode()
    assert 'href="/en/cases/tess/" hreflang="en"' in html


def test_hreflang_alternates_are_absolute_with_an_x_default_that_resolves(client, loaded):
    html = client.get("/en/glossary/sexting/").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"',
                                 html))
    assert alternates == {"nl": "http://testserver/nl/begrippen/sexting/",
                          "en": "http://testserver/en/glossary/sexting/",
                          "x-default": "http://testserver/nl/begrippen/sexting/"}


def test_sitemap_x_default_urls_resolve(client, loaded):
    sitemap = client.get("/sitemap.xml").content.decode()
    defaults = re.findall(r'hreflang="x-default" href="http://testserver([^"]+)"', sitemap)
    assert len(defaults) > 20
    for path in defaults:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == HTTPStatus.OK, path


# --- Completeness of content/en ---------------------------------------------------------------


def _shape(text: str) -> dict:
    return {
        "paragraphs": len([p for p in re.split(r"\n\s*\n", text) if p.strip()]),
        "list items": len(re.findall(r"^\s*(?:[-*]|\d+\.)\s", text, re.MULTILINE)),
        "headings": re.findall(r"^#+ ", text, re.MULTILINE),
        "steps": len(STEP_HEADING.findall(text)),
        "links": re.findall(r"\]\((https?://[^)]+)\)", text),
        "markers": text.count("<!--"),
        "admonitions": text.count("!!! "),
    }


def _dutch_files():
    for kind in KINDS:
        yield from sorted((REAL_CONTENT / kind.directory).glob(kind.pattern))


@pytest.mark.parametrize("path", list(_dutch_files()),
                         ids=lambda p: str(p.relative_to(REAL_CONTENT)))
def test_every_dutch_file_has_an_english_file_with_the_same_structure(path):
    english = REAL_CONTENT / TRANSLATION_DIR / path.relative_to(REAL_CONTENT)
    assert english.is_file(), f"no English file for {path}"
    dutch_doc, english_doc = parse_file(path), parse_file(english)
    assert _shape(english_doc.body) == _shape(dutch_doc.body)
    assert "title" in english_doc.metadata
    for key in ("questions", "aliases"):
        if key == "questions" and key in dutch_doc.metadata:
            assert len(english_doc.metadata[key]) == len(dutch_doc.metadata[key])


# --- English search ----------------------------------------------------------------------------

EVERYDAY_ENGLISH = {
    "nude selfie": "/en/chapters/themas-in-de-klas/",
    "trolls": "/en/glossary/trolling/",
    "hacked account": "/en/glossary/hacking/",
    "privacy settings": "/en/step-plans/wat-kan-een-slachtoffer-doen/",
    "revenge porn": "/en/glossary/wraakporno/",
    "grooming": "/en/glossary/grooming/",
    "sextortion": "/en/glossary/sextortion/",
    "online bullying": "/en/glossary/cyberbullying/",
    "helpline for children": "/en/help/",
    "deepfake": "/en/glossary/deepfakes/",
    "incitement to hatred": "/en/glossary/haatzaaien/",
    "consent": "/en/",
}


@pytest.mark.parametrize("query", list(EVERYDAY_ENGLISH))
def test_everyday_english_finds_english_pages(loaded, query):
    hits = search(query, language="en").hits
    assert hits, query
    assert all(hit.url.startswith("/en/") for hit in hits)
    top = [hit.url for hit in hits[:3]]
    assert any(url.startswith(EVERYDAY_ENGLISH[query]) for url in top), (query, top)


def test_english_search_page_links_only_to_english_pages(client, loaded):
    html = client.get("/en/search/", {"q": "sexting"}).content.decode()
    results = html.split('class="app-results"', 1)[1]
    assert "/nl/" not in results.split("</ol>", 1)[0]


def test_dutch_search_is_unchanged(loaded):
    assert search("gepest", language="nl").hits[0].url.startswith("/nl/")


def test_a_missing_english_title_is_shown_in_dutch_marked_as_dutch(client, content_dir):
    from handreiking.files.loader import load_content

    path = content_dir / "en/glossary/doxing.md"
    path.write_text("---\ntitle: \"\"\n---\n", encoding="utf-8")
    path.unlink()
    load_content(root=content_dir)
    glossary = client.get("/en/glossary/").content.decode()
    assert '<span lang="nl">Doxing</span>' in glossary
    term = client.get("/en/glossary/doxing/").content.decode()
    assert '<h1 class="app-heading-xl"><span lang="nl">Doxing</span></h1>' in term
    assert 'class="app-fallback" lang="nl"' in term
    assert "This part is not yet available in English." in term
    hits = client.get("/en/search/", {"q": "doxing"}).content.decode()
    assert 'lang="nl">Doxing</a>' in hits


def test_every_english_page_says_the_guide_is_dutch_and_dutch_pages_do_not(client, loaded):
    """Issue #21: helplines, phone numbers and law in the guide are Dutch; say so once."""
    note = "written for primary schools in the Netherlands"
    for path in ("/en/", "/en/help/", "/en/step-plans/bij-een-incident/", "/en/glossary/sexting/"):
        assert note in client.get(path).content.decode(), path
    assert note not in client.get("/nl/").content.decode()
    chapter = client.get("/en/chapters/themas-in-de-klas/").content.decode()
    assert "groups 6–8 (age 10–12)" in chapter
    english_500 = (settings.BASE_DIR / "templates/500.html").read_text().split('lang="en"', 1)[1]
    assert "0800-0113" in english_500


@pytest.mark.parametrize(("word", "expected"), [
    ("kids", None), ("paedophile", None), ("roblox", None), ("indecent", None),
    ("hsb", "boundary-crossing"), ("transgressive", "boundary-crossing"), ("rshe", None),
])
def test_everyday_english_words_find_the_guides_pages(loaded, word, expected):
    """UK and US teachers' words (issue #21) lead to the guide's own English words."""
    hits = search(word, language="en").hits
    assert hits, word
    if expected:
        from django.db.models import Q

        from handreiking.models import SearchDocument

        top = SearchDocument.objects.filter(pk__in=[hit.pk for hit in hits[:5]])
        assert top.filter(Q(title__icontains=expected) | Q(body__icontains=expected)), word


def test_a_false_friend_is_no_synonym_and_the_english_terms_are_idiomatic(loaded):
    from handreiking.models import Synonym

    assert not Synonym.objects.filter(language="en", word__in=["pester", "pestering"]).exists()
    english = " ".join(path.read_text(encoding="utf-8")
                       for path in (REAL_CONTENT / TRANSLATION_DIR).rglob("*.md"))
    assert "transgressive" not in english.lower()
    assert "child pornography" not in english.lower()
