"""Every page type as a visitor gets it: status, structure, filters, odd input, queries."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from handreiking.files.loader import load_content

from .conftest import scale_content

pytestmark = pytest.mark.django_db

PAGES = [
    ("home", {}),
    ("chapter-list", {}),
    ("chapter-detail", {"slug": "themas-in-de-klas"}),
    ("chapter-detail", {"slug": "wat-kinderen-online-tegenkomen"}),
    ("case-list", {}),
    ("case-detail", {"slug": "tess"}),
    ("glossary", {}),
    ("glossary-detail", {"slug": "grooming"}),
    ("organisation-list", {}),
    ("stepplan-list", {}),
    ("stepplan-detail", {"slug": "bij-een-incident"}),
    ("child-tips", {}),
    ("questionlist-list", {}),
    ("search", {}),
]


def url(name, kwargs=None, language="nl"):
    with translation.override(language):
        return reverse(f"handreiking:{name}", kwargs=kwargs)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[f"{n}-{k}" for n, k in PAGES])
def test_every_page_type_renders_with_one_h1_and_a_search_form(client, loaded, name, kwargs,
                                                               language):
    response = client.get(url(name, kwargs, language))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f'<html lang="{language}">' in html
    assert 'role="search"' in html and 'name="q"' in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert re.search(r"<title>[^<]+</title>", html)
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    assert not response.cookies, "public pages must not set cookies"


def test_root_redirects_to_dutch(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/nl/"


def test_unknown_url_gets_a_friendly_404(client, loaded):
    response = client.get("/nl/bestaat-niet/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert 'role="search"' in html
    assert reverse("handreiking:home") in html


def test_unknown_slug_is_404(client, loaded):
    assert client.get(url("case-detail", {"slug": "niemand"})).status_code == HTTPStatus.NOT_FOUND
    assert client.get(url("chapter-detail", {"slug": "x"})).status_code == HTTPStatus.NOT_FOUND


def test_post_is_not_allowed(client, loaded):
    assert client.post(url("home")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_chapter_page_has_contents_and_neighbours(client, loaded):
    html = client.get(url("chapter-detail", {"slug": "themas-in-de-klas"})).content.decode()
    assert 'class="app-contents"' in html
    assert 'href="#consent"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "Wat kan een slachtoffer van online grensoverschrijdend gedrag doen?" in html


def test_chapter_three_shows_each_case_with_its_advice(client, loaded):
    html = client.get(url("chapter-detail", {"slug": "wat-kinderen-online-tegenkomen"})).content
    html = html.decode()
    for name in ["Xavi", "Tess", "Janna", "Jasmijn", "Ezra"]:
        assert f'id="casus-{name.lower()}"' in html
    assert html.count("app-case\"") == 5


# --- Age filter ----------------------------------------------------------------------------------


def test_age_filter_hides_sections_for_other_ages_and_says_so(client, loaded):
    chapter = url("chapter-detail", {"slug": "themas-in-de-klas"})
    everything = client.get(chapter).content.decode()
    kleuters = client.get(chapter, {"age": "kleuters"}).content.decode()
    assert 'id="respectvolle-omgangsvormen-bovenbouw"' in everything
    assert 'id="respectvolle-omgangsvormen-bovenbouw"' not in kleuters
    assert 'id="respectvolle-omgangsvormen-jonge-kinderen"' in kleuters
    assert 'class="app-heading-caption"' in kleuters
    assert "app-filter__notice" in kleuters
    assert 'class="app-filter__reset"' in kleuters


def test_age_filter_on_cases(client, loaded):
    cases = url("case-list")
    kleuters = client.get(cases, {"age": "kleuters"}).context["cases"]
    assert [case.slug for case in kleuters] == ["xavi"]
    assert len(client.get(cases, {"age": "bovenbouw"}).context["cases"]) == 4
    assert len(client.get(cases).context["cases"]) == 5


def test_theme_filter_combines_with_age(client, loaded):
    response = client.get(url("case-list"), {"age": "bovenbouw", "theme": "online-pesten"})
    assert {c.slug for c in response.context["cases"]} == {"jasmijn", "ezra"}


def test_age_filter_on_question_lists(client, loaded):
    lists = url("questionlist-list")
    total = len(client.get(lists).context["question_lists"])
    kleuters = client.get(lists, {"age": "kleuters"}).context["question_lists"]
    assert 0 < len(kleuters) < total
    assert all(not ql.age_groups.exists() or ql.age_groups.filter(slug="kleuters").exists()
               for ql in kleuters)


@pytest.mark.parametrize("value", ["peuters", "", "<script>alert(1)</script>", "x" * 1500,
                                   "bovenbouw'--", "%00", "🙂", "kleuters&age=bovenbouw"])
@pytest.mark.parametrize("page", ["case-list", "questionlist-list", "home", "search"])
def test_malformed_filters_lead_to_the_page_without_them(client, loaded, value, page):
    response = client.get(url(page), {"age": value, "theme": value, "kind": value, "page": value},
                          follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "<script>alert(1)</script>" not in response.content.decode()
    if value:  # an empty field is no filter, and no reason to redirect
        assert response.redirect_chain == [(url(page), HTTPStatus.MOVED_PERMANENTLY)]
    else:
        assert response.redirect_chain == []


def test_filter_keeps_in_links(client, loaded):
    html = client.get(url("chapter-detail", {"slug": "themas-in-de-klas"}), {"age": "bovenbouw"})
    assert "?age=bovenbouw" in html.content.decode()


# --- Other pages ---------------------------------------------------------------------------------


def test_glossary_has_letters_anchors_and_permalinks(client, loaded):
    html = client.get(url("glossary")).content.decode()
    assert 'href="#letter-G"' in html and 'id="grooming"' in html
    assert url("glossary-detail", {"slug": "grooming"}) in html
    assert 'class="app-letters__empty">Q<' in html


def test_term_page_lists_where_it_occurs(client, loaded):
    response = client.get(url("glossary-detail", {"slug": "grooming"}))
    assert any(c.slug == "tess" for c in response.context["occurrences"]["cases"])
    assert response.context["occurrences"]["parts"]


def test_organisations_grouped_with_acute_first_and_real_links(client, loaded):
    response = client.get(url("organisation-list"))
    groups = response.context["groups"]
    assert groups[0]["slug"] == "acute"
    assert {o.slug for o in groups[0]["organisations"]} == {"113", "kindertelefoon"}
    html = response.content.decode()
    assert 'href="tel:08000113"' in html and 'href="tel:08000432"' in html
    assert 'href="https://www.kindertelefoon.nl"' in html


def test_step_plan_is_a_printable_checklist_with_contacts(client, loaded):
    html = client.get(url("stepplan-detail", {"slug": "bij-een-incident"})).content.decode()
    assert html.count('class="app-step-nav__step"') == 8
    assert html.count('type="checkbox"') == 8
    assert "app-js-print" in html
    assert 'class="app-section app-contact-sheet"' in html
    assert "Meldpunt Kinderporno" in html
    assert "<form" not in html.split('class="app-step-nav"')[1].split("</ol>")[0]


def test_child_tips_page_has_quick_exit(client, loaded):
    html = client.get(url("child-tips")).content.decode()
    assert "app-js-quick-exit" in html
    assert html.count('class="app-step-nav__step"') == 6


def test_robots_and_sitemap(client, loaded):
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert 'hreflang="en"' in sitemap and 'hreflang="nl"' in sitemap
    assert url("case-detail", {"slug": "tess"}) in sitemap


# --- Constant queries, whatever the amount of content -----------------------------------------


def _count_queries(client, path, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == HTTPStatus.OK
    return len(captured)


def _count_every_page(client) -> dict[str, int]:
    counts = {}
    for name, kwargs in PAGES:
        params = {"age": "bovenbouw"}
        if name == "search":
            params["q"] = "pesten"
        counts[f"{name} {kwargs}"] = _count_queries(client, url(name, kwargs), params)
    return counts


def test_query_count_does_not_grow_with_content(client, content_dir):
    load_content(root=content_dir)
    small = _count_every_page(client)
    load_content(root=scale_content(content_dir, 4))
    large = _count_every_page(client)
    assert large == small
    assert max(small.values()) <= 15, small


def test_crawl_from_home_reaches_every_page_type_and_all_are_ok(client, loaded):
    """Follow every internal link from the Dutch home page; nothing may be broken."""
    seen, queue, statuses = set(), ["/nl/"], {}
    href = re.compile(r'href="(/(?:nl|en)/[^"#]*)')
    while queue and len(seen) < 600:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code == HTTPStatus.OK and "text/html" in response["Content-Type"]:
            for link in href.findall(response.content.decode()):
                link = link.replace("&amp;", "&")
                if link not in seen and "?" not in link:
                    queue.append(link)
    broken = {path: status for path, status in statuses.items() if status != HTTPStatus.OK}
    assert broken == {}
    for name, kwargs in PAGES:
        if name == "search":
            continue
        assert url(name, kwargs) in seen, f"{name} is not reachable by links from home"
    assert any(p.startswith("/en/") for p in seen), "the English pages are linked"


@pytest.mark.django_db
def test_search_page_heads_the_hits_with_some_of_the_words(client, loaded):
    response = client.get("/nl/zoeken/", {"q": "naaktfoto doorgestuurd"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<h2 class="app-results__section">Resultaten met een deel van je woorden'
                      "</h2>") == 1
    assert html.count('<ol class="app-results"') == 2
    assert html.count("<ol") == html.count("</ol>")
