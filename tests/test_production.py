"""Production behaviour: the content-versioned page cache, headers, hostile input and faults."""

from __future__ import annotations

import io
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation

from handreiking.files.loader import load_content
from handreiking.models import Chapter, GlossaryTerm, Section

pytestmark = pytest.mark.django_db
PAGES = [
    "/nl/", "/en/", "/nl/hoofdstukken/", "/nl/hoofdstukken/themas-in-de-klas/",
    "/nl/hoofdstukken/themas-in-de-klas/?age=bovenbouw", "/en/chapters/themas-in-de-klas/",
    "/nl/casussen/", "/nl/casussen/tess/", "/nl/begrippen/", "/en/glossary/grooming/",
    "/nl/hulp/", "/nl/stappenplannen/", "/nl/stappenplannen/bij-een-incident/",
    "/nl/tips-voor-kinderen/", "/nl/gespreksvragen/", "/nl/zoeken/?q=pesten", "/en/search/",
]


# --- The page cache -------------------------------------------------------------------------------


def test_a_repeat_visit_is_served_from_the_cache_without_entering_django(site, loaded,
                                                                        django_assert_num_queries):
    first = site.get("/nl/hoofdstukken/themas-in-de-klas/")
    assert first.status_int == HTTPStatus.OK
    with django_assert_num_queries(0):  # only the content version, read below the ORM
        second = site.get("/nl/hoofdstukken/themas-in-de-klas/")
    assert second.context is None  # no template was rendered
    assert second.body == first.body
    assert _headers(second) == _headers(first)


def test_conditional_get_answers_304_until_the_content_changes(site, loaded):
    first = site.get("/nl/begrippen/")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    repeat = site.get("/nl/begrippen/", headers={"If-None-Match": etag})
    assert repeat.status_int == HTTPStatus.NOT_MODIFIED
    assert repeat.body == b"" and repeat.headers["ETag"] == etag
    assert "frame-ancestors 'none'" in repeat.headers["Content-Security-Policy"]
    # As a compressing proxy hands it on: weak, and among others.
    weak = site.get("/nl/begrippen/", headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_int == HTTPStatus.NOT_MODIFIED
    from handreiking import publishing

    publishing.publish()
    after = site.get("/nl/begrippen/", headers={"If-None-Match": etag})
    assert after.status_int == HTTPStatus.OK
    assert after.headers["ETag"] != etag


@pytest.mark.parametrize("path", ["/nl/hoofdstukken/themas-in-de-klas/",
                                  "/en/chapters/themas-in-de-klas/",
                                  "/nl/hoofdstukken/themas-in-de-klas/?age=bovenbouw"])
def test_an_admin_save_shows_on_the_next_request(site, loaded, path):
    site.get(path)  # cached
    section = Section.objects.get(slug="respectvolle-omgangsvormen")
    section.body_nl += "\n\nEen nieuwe zin van de redactie."
    section.body_en += "\n\nA new sentence from the editors."
    section.save()
    from handreiking import publishing

    publishing.publish()
    html = site.get(path).text
    assert "Een nieuwe zin van de redactie." in html or "A new sentence from the editors." in html


def test_a_load_and_a_delete_show_on_the_next_request(site, content_dir):
    load_content(root=content_dir)
    assert "Doxing" in site.get("/nl/begrippen/").text
    (content_dir / "glossary/doxing.md").unlink()
    (content_dir / "en/glossary/doxing.md").unlink()
    load_content(root=content_dir)
    assert "Doxing" not in site.get("/nl/begrippen/").text
    assert site.get("/en/glossary/grooming/").status_int == HTTPStatus.OK
    GlossaryTerm.objects.get(slug="grooming").delete()
    from handreiking import publishing

    publishing.publish()
    assert site.get("/en/glossary/grooming/", expect_errors=True).status_int == \
        HTTPStatus.NOT_FOUND


def test_unknown_parameters_share_the_page_and_known_ones_do_not(site, loaded):
    plain = site.get("/nl/casussen/")
    noisy = site.get("/nl/casussen/", {"utm_source": "nieuwsbrief", "x": "1"})
    filtered = site.get("/nl/casussen/", {"age": "kleuters"})
    assert noisy.body == plain.body and noisy.headers["ETag"] == plain.headers["ETag"]
    assert filtered.body != plain.body and filtered.headers["ETag"] != plain.headers["ETag"]


def test_a_page_is_cached_per_host_and_scheme(site, loaded):
    plain = site.get("/nl/")
    other = site.get("/nl/", extra_environ={"HTTP_HOST": "localhost"})
    assert other.headers["ETag"] != plain.headers["ETag"]
    assert "http://localhost/" in other.text and "http://testserver/" not in other.text
    behind_tls = site.get("/nl/", headers={"X-Forwarded-Proto": "https"})
    assert behind_tls.headers["ETag"] != plain.headers["ETag"]
    assert "https://testserver/" in behind_tls.text
    # A host Django refuses is never answered from the cache.
    refused = site.get("/nl/", extra_environ={"HTTP_HOST": "evil.example"}, expect_errors=True)
    assert refused.status_int == HTTPStatus.BAD_REQUEST


def test_only_public_pages_are_cached(site, loaded):
    response = site.get("/nl/")
    assert not response.headers.getall("Set-Cookie")
    admin = site.get("/admin/login/")
    assert admin.headers.get("Cache-Control") != "public, no-cache" and "ETag" not in admin.headers
    missing = site.get("/nl/bestaat-niet/", expect_errors=True)
    assert missing.status_int == HTTPStatus.NOT_FOUND and "ETag" not in missing.headers
    from handreiking.wsgi import page_cache

    assert all(entry[0].startswith("200 ") for entry in page_cache.recent.values())


def _headers(response) -> dict:
    """The response headers but the Date (which the server sets on every answer)."""
    return {name: value for name, value in response.headers.items() if name != "Date"}


# --- Headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_security_headers(site, loaded, path):
    rendered = site.get(path)
    cached = site.get(path)
    for response in (rendered, cached):
        assert response.status_int == HTTPStatus.OK
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Cache-Control"] == "public, no-cache" and headers["ETag"]
    assert _headers(cached) == _headers(rendered)


def test_static_files_are_served_before_django_with_the_security_headers(site, monkeypatch):
    from handreiking import wsgi

    def django_entered(environ, start_response):
        raise AssertionError("a static file went through Django")

    monkeypatch.setattr(wsgi.page_cache, "application", django_entered)
    response = site.get("/static/css/main.css")
    assert response.status_int == HTTPStatus.OK
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert b".app-" in response.body or b"body" in response.body


def test_static_files_over_plain_http_go_to_django_when_tls_is_required(settings):
    from handreiking.static_files import StaticFiles

    settings.SECURE_SSL_REDIRECT = True
    asked = []

    def django(environ, start_response):
        asked.append(environ["PATH_INFO"])
        start_response("301 Moved Permanently", [("Location", "https://testserver/")])
        return []

    static = StaticFiles(django)
    answers = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/static/css/main.css",
               "wsgi.url_scheme": "http", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
               "wsgi.input": io.BytesIO()}
    static(environ, lambda status, headers, exc_info=None: answers.append(status))
    assert asked == ["/static/css/main.css"] and answers == ["301 Moved Permanently"]
    behind_tls = {**environ, "HTTP_X_FORWARDED_PROTO": "https"}
    static(behind_tls, lambda status, headers, exc_info=None: answers.append(status))
    assert asked == ["/static/css/main.css"] and answers[-1] == "200 OK"


def test_no_inline_script_or_style_in_any_template():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=", text) \
                or re.search(r"<style", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(str(path))
    assert offenders == []


def test_hsts_in_production_over_tls(client, loaded, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/nl/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


# --- Hostile and odd input ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/%2Fevil.example/", "/%5Cevil.example/",
                                  "/nl/%2F%2Fevil.example/", "/en/%5C%5Cevil.example/x"])
def test_a_planted_path_never_becomes_an_off_site_link(client, loaded, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert "evil.example" not in html.replace(path, "")
    for link in re.findall(r'href="([^"]+)"', html):
        assert not link.startswith(("//", "/\\", "\\")), link


def test_language_links_carry_only_page_parameters(client, loaded):
    response = client.get("/nl/hoofdstukken/themas-in-de-klas/",
                          {"age": "bovenbouw", "utm_source": "x" * 500, "evil": "<b>"})
    html = response.content.decode()
    assert 'href="/en/chapters/themas-in-de-klas/?age=bovenbouw"' in html
    assert "utm_source" not in html and "evil" not in html
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html)
    assert {lang for lang, _href in alternates} == {"nl", "en", "x-default"}
    assert all(href.startswith("http://testserver/") for _lang, href in alternates)


@pytest.mark.parametrize("path", ["/nl/", "/nl/bestaat-niet/", "/en/search/", "/admin/login/",
                                  "/robots.txt", "/sitemap.xml"])
def test_many_query_fields_are_a_400_on_every_url(site, loaded, path):
    site.get(path, expect_errors=True)  # the page is cached, if it is a page
    query = "&".join(f"f{i}=1" for i in range(1001))
    assert site.get(f"{path}?{query}", expect_errors=True).status_int == HTTPStatus.BAD_REQUEST
    assert site.get(f"{path}?q={'x' * 9000}", expect_errors=True).status_int == \
        HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("path", PAGES)
def test_head_is_answered_on_every_page(site, loaded, path):
    first = site.head(path)  # rendered by the view, and cached
    length = len(site.get(path).body)
    second = site.head(path)  # from the cache
    for response in (first, second):
        assert response.status_int == HTTPStatus.OK
        assert response.body == b""
        assert response.headers["Content-Length"] == str(length)
        assert response.headers["ETag"]


def test_post_is_refused_politely(client, loaded):
    assert client.post("/nl/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- Faults ----------------------------------------------------------------------------------


def test_database_unreachable_gives_the_friendly_503_and_recovers(site, loaded, monkeypatch):
    from django.db import connection

    from handreiking import caching

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    site.get("/nl/hulp/")  # cached while the database was up
    monkeypatch.setattr(caching, "read_version", down)
    monkeypatch.setattr(connection, "cursor", down)
    response = site.get("/nl/hoofdstukken/", expect_errors=True)
    assert response.status_int == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.headers["Retry-After"] == "30"
    assert "0800-0432" in response.text and "0800-0113" in response.text
    assert "Traceback" not in response.text
    # A page cached before the fault is still served while the database is away.
    assert site.get("/nl/hulp/").status_int == HTTPStatus.OK
    monkeypatch.undo()
    assert site.get("/nl/hoofdstukken/").status_int == HTTPStatus.OK


def test_a_database_error_in_a_view_gives_503_not_500(client, loaded, monkeypatch):
    from handreiking import views

    def broken(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views, "chapter_outline", broken)
    client.raise_request_exception = False
    response = client.get("/nl/hoofdstukken/themas-in-de-klas/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "0800-0113" in response.content.decode()


def test_chapter_page_weight_stays_within_budget(client, loaded):
    import gzip

    from django.contrib.staticfiles import finders

    html = client.get("/nl/hoofdstukken/themas-in-de-klas/").content
    assets = [Path(finders.find(name)).read_bytes()
              for name in ("css/main.css", "js/main.js")]
    total = sum(len(gzip.compress(part)) for part in [html, *assets])
    assert total <= 25 * 1024, total


def test_url_names_in_both_languages_resolve(loaded):
    for language in ("nl", "en"):
        with translation.override(language):
            assert reverse("handreiking:chapter-detail",
                           kwargs={"slug": Chapter.objects.first().slug}).startswith(
                f"/{language}/")


def test_a_flood_of_wrong_admin_passwords_is_locked_out_cheaply(client, admin_user, settings):
    """After five failures from one address, further attempts are refused before hashing."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    url = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "admin", "password": "wrong-password"})
        assert response.status_code == HTTPStatus.OK  # the form again, with an error
    locked = client.post(url, {"username": "admin", "password": "wrong-password"})
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    hashed = []
    original = PBKDF2PasswordHasher.verify
    PBKDF2PasswordHasher.verify = lambda self, *args: hashed.append(1) or original(self, *args)
    try:
        response = client.post(url, {"username": "admin", "password": "password"})
    finally:
        PBKDF2PasswordHasher.verify = original
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert hashed == [], "a locked-out attempt must not cost a password hash"
