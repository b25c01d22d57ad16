"""Attacks on the page cache: no request can file one page under another page's key.

Every page type (derived from the views' own `@reads` declarations, so a new view is
covered by itself), every parameter it reads, both languages, and the variants that
once poisoned the cache (issue #23): white space around a value, a tab, a control
character, U+3000, a `+`, a repeated parameter, other case. After such requests the
clean URL must give exactly the page a fresh server gives.

Run through the served WSGI application (the page cache in front of Django), as
gunicorn calls it; `test_servers.py` repeats the attack against real gunicorn.
"""

from __future__ import annotations

import io
from http import HTTPStatus
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.urls import URLPattern, reverse
from django.utils import translation

from handreiking import page_parameters
from handreiking.caching import BoundedPages, Entry, PageCache
from handreiking.page_parameters import AGE, KIND, PAGE, QUERY, THEME
from handreiking.urls import site_patterns

pytestmark = pytest.mark.django_db

# A value of each parameter that changes the page it is on.
VALUES = {AGE: "kleuters", THEME: "online-pesten", KIND: "case", PAGE: "2", QUERY: "pesten"}
# Suggestions are by prefix of a title.
OWN_VALUES = {("search-suggestions", QUERY): "sext"}
# The slug of each detail page's item.
SLUGS = {"chapter-detail": "themas-in-de-klas", "case-detail": "tess",
         "glossary-detail": "grooming", "stepplan-detail": "bij-een-incident",
         "theme-detail": "naaktbeelden"}
# What the search pages need for their other parameters to matter.
BASE = {"search": {QUERY: "pesten"}}


def _raw(name: str, value: str) -> str:
    return f"{name}={quote(value, safe='')}"


POISONS = {
    "leading space": lambda name, value: _raw(name, " " + value),
    "trailing space": lambda name, value: _raw(name, value + " "),
    "tab": lambda name, value: _raw(name, value + "\t"),
    "control character": lambda name, value: _raw(name, value + "\x01"),
    "ideographic space": lambda name, value: _raw(name, value + "\u3000"),
    "plus": lambda name, value: _raw(name, value) + "+",
    "repeated": lambda name, value: f"{_raw(name, value)}&{_raw(name, value)}",
    "junk first": lambda name, value: f"{name}=zzz&{_raw(name, value)}",
    "other case": lambda name, value: _raw(name, value.upper()),
}


def declared_pages() -> list[tuple[str, frozenset[str]]]:
    pages = []
    for pattern in site_patterns:
        assert isinstance(pattern, URLPattern)
        names = page_parameters.declared_parameters(pattern.callback)
        if names is not None:
            pages.append((pattern.name, names))
    return pages


def attacks():
    for url_name, names in declared_pages():
        for name in sorted(names):
            if url_name != "search" and name in (KIND, PAGE):
                continue
            for language in ("nl", "en"):
                for poison in POISONS:
                    if poison == "other case" and VALUES[name].upper() == VALUES[name]:
                        continue  # a page number has no case
                    yield pytest.param(url_name, name, language, poison,
                                       id=f"{language}-{url_name}-{name}-{poison}")


def page_path(url_name: str, language: str) -> str:
    kwargs = {"slug": SLUGS[url_name]} if url_name in SLUGS else {}
    with translation.override(language):
        return reverse(f"handreiking:{url_name}", kwargs=kwargs)


def value_for(url_name: str, name: str) -> str:
    return OWN_VALUES.get((url_name, name), VALUES[name])


def clean_query(url_name: str, name: str) -> str:
    values = {**BASE.get(url_name, {}), name: value_for(url_name, name)}
    return urlencode([(key, values[key]) for key in page_parameters.PARAMETERS if key in values])


def forget(site_cache: PageCache) -> None:
    site_cache.recent.clear()


def test_every_page_type_declares_its_parameters():
    pages = dict(declared_pages())
    assert pages["case-list"] == {AGE, THEME}
    assert pages["search"] == {AGE, QUERY, KIND, PAGE}
    assert pages["search-suggestions"] == {QUERY}
    assert len(pages) == len(site_patterns)  # every public page is a cached page


@pytest.mark.parametrize(("url_name", "name", "language", "poison"), list(attacks()))
def test_a_poisoned_request_never_changes_the_clean_page(site, loaded, url_name, name, language,
                                                         poison):
    from handreiking.wsgi import page_cache

    path = page_path(url_name, language)
    clean = f"{path}?{clean_query(url_name, name)}"
    fresh = site.get(clean)
    assert fresh.status_int == HTTPStatus.OK
    forget(page_cache)

    base = urlencode(BASE.get(url_name, {}))
    attack = POISONS[poison](name, value_for(url_name, name))
    poisoned = f"{path}?{base}&{attack}" if base else f"{path}?{attack}"
    for _attempt in range(6):
        answer = site.get(poisoned, expect_errors=True)
        if name == QUERY:  # free text is normalised, keyed and shown normalised
            assert answer.status_int == HTTPStatus.OK
            if poison != "other case":  # "PESTEN" is keyed, and echoed, as typed
                assert answer.body == fresh.body
        else:  # a choice that is not exactly valid goes to the canonical URL
            assert answer.status_int == HTTPStatus.MOVED_PERMANENTLY, answer
            location = urlsplit(answer.headers["Location"])
            assert f"{location.path}?{location.query}" == clean
            assert answer.body == b""
    after = site.get(clean)
    assert after.status_int == HTTPStatus.OK
    assert after.body == fresh.body


@pytest.mark.parametrize("poison", list(POISONS))
def test_django_itself_redirects_a_mangled_filter_as_the_cache_does(client, loaded, poison):
    """The test client skips the page cache: the middleware reads the parameters alike."""
    response = client.get(f"/nl/gespreksvragen/?{POISONS[poison](AGE, 'kleuters')}")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/nl/gespreksvragen/?age=kleuters"
    assert response["Cache-Control"] == page_parameters.REDIRECT_CACHE_CONTROL


def test_the_reported_poisoning_is_gone(site, loaded):
    """Issue #23, step by step: six tab-suffixed requests, then the filtered page."""
    for _attempt in range(6):
        site.get("/nl/gespreksvragen/?age=kleuters%09", expect_errors=True)
    page = site.get("/nl/gespreksvragen/?age=kleuters")
    assert page.context is not None, "the filtered page was rendered, not found poisoned"
    assert len(page.context["question_lists"]) == 1


@pytest.mark.parametrize("value", ["peuters", "<script>", "x" * 500, "kleuter", "🙂"])
def test_an_unknown_value_redirects_to_the_page_without_it(site, loaded, value):
    answer = site.get("/nl/casussen/", {"age": value, "theme": "sexting-en-grenzen"},
                      expect_errors=True)
    assert answer.status_int == HTTPStatus.MOVED_PERMANENTLY
    assert urlsplit(answer.headers["Location"]).query == ""  # both values were unknown
    assert value not in answer.headers["Location"]
    assert answer.follow().status_int == HTTPStatus.OK


def test_an_empty_form_field_is_no_filter_and_no_redirect(site, loaded):
    plain = site.get("/nl/zoeken/", {"q": "pesten"})
    empty = site.get("/nl/zoeken/", {"q": "pesten", "kind": "", "age": ""})
    assert empty.status_int == HTTPStatus.OK and empty.body == plain.body


def test_a_redirect_carries_the_security_headers(site, loaded):
    answer = site.get("/nl/casussen/?theme=%20online-pesten", expect_errors=True,
                      headers={"X-Forwarded-Proto": "https"})
    assert answer.status_int == HTTPStatus.MOVED_PERMANENTLY
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in answer.headers["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/nl/casussen/%2F%2Fevil.example", "/nl//evil.example/"])
def test_a_redirect_never_leaves_the_site(site, loaded, path):
    answer = site.get(f"{path}?age=%20kleuters", expect_errors=True)
    location = answer.headers.get("Location", "")
    assert not location.startswith(("//", "http")) or location.startswith("http://testserver/")
    assert "evil.example" not in location.split("?")[0].lstrip("/").split("/")[0]


# --- Nothing personal in a cached answer -----------------------------------------------------


def test_suggestions_echo_the_normalised_query_only(site, loaded):
    first = site.get("/nl/zoeken/suggesties/?q=pes%20%20%3Cb%3E%09")
    second = site.get("/nl/zoeken/suggesties/?q=pes%20%3Cb%3E")
    assert first.json["query"] == second.json["query"] == "pes <b>"
    assert first.body == second.body
    assert b"  " not in first.body and b"\\t" not in first.body


def test_the_search_page_shows_the_query_as_keyed(site, loaded):
    typed = site.get("/nl/zoeken/?q=%20%20pesten%E3%80%80op%09school%20")
    assert "pesten op school" in typed.text
    assert typed.body == site.get("/nl/zoeken/?q=pesten+op+school").body


def test_parameters_a_page_does_not_read_never_reach_it_or_its_key(site, loaded):
    plain = site.get("/nl/hoofdstukken/themas-in-de-klas/")
    noisy = site.get("/nl/hoofdstukken/themas-in-de-klas/",
                     {"q": "mijn-geheime-zoekvraag", "theme": "sexting", "kind": "case"})
    assert noisy.body == plain.body and noisy.headers["ETag"] == plain.headers["ETag"]
    assert "mijn-geheime-zoekvraag" not in noisy.text


# --- Bounded in bytes, and junk costs no render -------------------------------------------------


def _environ(path: str, query: str) -> dict:
    """What gunicorn hands the application for a GET."""
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
            "SCRIPT_NAME": "", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
            "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(), "SERVER_PROTOCOL": "HTTP/1.1"}


def test_ten_thousand_junk_values_render_nothing_and_store_nothing(loaded,
                                                                  django_assert_num_queries):
    from handreiking.wsgi import application, page_cache

    answers = []

    def start_response(status, headers, exc_info=None):
        answers.append(status)

    path = "/nl/hoofdstukken/themas-in-de-klas/"
    application(_environ(path, "age=bovenbouw"), start_response)  # reads the valid values
    stored, size = len(page_cache.recent), page_cache.recent.bytes
    with django_assert_num_queries(0):
        for number in range(10_000):
            body = application(_environ(path, f"age=junk{number}"), start_response)
            assert b"".join(body) == b""
    assert set(answers[1:]) == {"301 Moved Permanently"}
    assert (len(page_cache.recent), page_cache.recent.bytes) == (stored, size)


def test_the_page_cache_stays_within_its_byte_bound(site, loaded, monkeypatch):
    from handreiking.wsgi import page_cache

    monkeypatch.setattr(page_cache, "recent", BoundedPages(150_000))
    for number in range(30):
        assert site.get("/nl/zoeken/", {"q": f"pesten {number}"}).status_int == HTTPStatus.OK
        assert page_cache.recent.bytes <= 150_000
    assert 0 < len(page_cache.recent) < 30  # the oldest pages went, the newest stayed


def test_bounded_pages_drop_the_least_recently_used_first():
    pages = BoundedPages(max_bytes=3 * (100 + 512))
    entry = Entry("200 OK", [], b"x" * 100)
    for key in "abc":
        pages.put(key, entry)
    assert pages.get("a") is entry  # now the most recently used
    pages.put("d", entry)
    assert pages.get("b") is None and pages.get("a") is entry and pages.get("d") is entry
    assert pages.bytes == 3 * entry.size
    pages.put("huge", Entry("200 OK", [], b"x" * 10_000))  # larger than the bound: not kept
    assert pages.get("huge") is None and len(pages) == 3


def test_an_answer_that_varies_on_more_than_the_key_is_not_stored():
    html = [("Content-Type", "text/html; charset=utf-8")]
    assert PageCache._cacheable("200 OK", html, [b""])
    assert PageCache._cacheable("200 OK", [*html, ("Vary", "Host")], [b""])
    assert not PageCache._cacheable("200 OK", [*html, ("Vary", "Cookie")], [b""])
    assert not PageCache._cacheable("200 OK", [*html, ("Vary", "Host, Accept-Language")], [b""])
    assert not PageCache._cacheable("200 OK", [*html, ("Set-Cookie", "a=b")], [b""])


# --- Conditional GET by RFC 9110 ----------------------------------------------------------------

CONDITIONAL_PAGE = "/nl/begrippen/"


@pytest.fixture
def validators(site, loaded):
    first = site.get(CONDITIONAL_PAGE)
    return first.headers["ETag"], first.headers["Last-Modified"]


def _earlier(http_date: str) -> str:
    from django.utils.http import http_date as format_date
    from django.utils.http import parse_http_date

    return format_date(parse_http_date(http_date) - 60)


def _later(http_date: str) -> str:
    from django.utils.http import http_date as format_date
    from django.utils.http import parse_http_date

    return format_date(parse_http_date(http_date) + 60)


CONDITIONS = [
    ("If-None-Match equal", lambda e, m: {"If-None-Match": e}, 304),
    ("If-None-Match weak", lambda e, m: {"If-None-Match": f"W/{e}"}, 304),
    ("If-None-Match among others", lambda e, m: {"If-None-Match": f'"x", {e}'}, 304),
    ("If-None-Match *", lambda e, m: {"If-None-Match": "*"}, 304),
    ("If-None-Match other", lambda e, m: {"If-None-Match": '"other"'}, 200),
    ("If-Modified-Since equal", lambda e, m: {"If-Modified-Since": m}, 304),
    ("If-Modified-Since later", lambda e, m: {"If-Modified-Since": _later(m)}, 304),
    ("If-Modified-Since earlier", lambda e, m: {"If-Modified-Since": _earlier(m)}, 200),
    ("If-None-Match takes precedence", lambda e, m: {"If-None-Match": '"other"',
                                                     "If-Modified-Since": m}, 200),
    ("If-Modified-Since garbage", lambda e, m: {"If-Modified-Since": "gisteren"}, 200),
    ("If-Match equal", lambda e, m: {"If-Match": e}, 200),
    ("If-Match *", lambda e, m: {"If-Match": "*"}, 200),
    ("If-Match other", lambda e, m: {"If-Match": '"other"'}, 412),
    ("If-Unmodified-Since equal", lambda e, m: {"If-Unmodified-Since": m}, 200),
    ("If-Unmodified-Since earlier", lambda e, m: {"If-Unmodified-Since": _earlier(m)}, 412),
    ("If-Match wins over If-Unmodified-Since", lambda e, m: {
        "If-Match": e, "If-Unmodified-Since": _earlier(m)}, 200),
]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(("name", "headers", "status"), CONDITIONS,
                         ids=[condition[0] for condition in CONDITIONS])
def test_conditional_requests(site, validators, method, name, headers, status):
    etag, last_modified = validators
    request = site.get if method == "GET" else site.head
    answer = request(CONDITIONAL_PAGE, headers=headers(etag, last_modified), expect_errors=True)
    assert answer.status_int == status
    if status == HTTPStatus.NOT_MODIFIED:
        assert answer.body == b"" and answer.headers["ETag"] == etag
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    if status == HTTPStatus.PRECONDITION_FAILED:
        assert answer.body == b""
    if status == HTTPStatus.OK and method == "GET":
        assert "Grooming" in answer.text
