"""Production behaviour: the content-versioned page cache, headers, hostile input and faults."""

from __future__ import annotations

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


def test_a_repeat_visit_is_served_from_the_cache_without_view_queries(client, loaded,
                                                                      django_assert_max_num_queries):
    first = client.get("/nl/hoofdstukken/themas-in-de-klas/")
    assert first.status_code == HTTPStatus.OK
    with django_assert_max_num_queries(1):  # the content version, nothing else
        second = client.get("/nl/hoofdstukken/themas-in-de-klas/")
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Type"] == first["Content-Type"]


def test_conditional_get_answers_304_until_the_content_changes(client, loaded):
    first = client.get("/nl/begrippen/")
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert client.get("/nl/begrippen/", HTTP_IF_NONE_MATCH=etag).status_code == \
        HTTPStatus.NOT_MODIFIED
    from handreiking import publishing

    publishing.publish()
    after = client.get("/nl/begrippen/", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == HTTPStatus.OK
    assert after["ETag"] != etag


@pytest.mark.parametrize("path", ["/nl/hoofdstukken/themas-in-de-klas/",
                                  "/en/chapters/themas-in-de-klas/",
                                  "/nl/hoofdstukken/themas-in-de-klas/?age=bovenbouw"])
def test_an_admin_save_shows_on_the_next_request(client, admin_client, loaded, path):
    client.get(path)  # cached
    section = Section.objects.get(slug="respectvolle-omgangsvormen")
    section.body_nl += "\n\nEen nieuwe zin van de redactie."
    section.body_en += "\n\nA new sentence from the editors."
    section.save()
    from handreiking import publishing

    publishing.publish()
    html = client.get(path).content.decode()
    assert "Een nieuwe zin van de redactie." in html or "A new sentence from the editors." in html


def test_a_load_and_a_delete_show_on_the_next_request(client, content_dir):
    load_content(root=content_dir)
    assert "Doxing" in client.get("/nl/begrippen/").content.decode()
    (content_dir / "glossary/doxing.md").unlink()
    (content_dir / "en/glossary/doxing.md").unlink()
    load_content(root=content_dir)
    assert "Doxing" not in client.get("/nl/begrippen/").content.decode()
    GlossaryTerm.objects.get(slug="grooming").delete()
    from handreiking import publishing

    publishing.publish()
    assert client.get("/en/glossary/grooming/").status_code == HTTPStatus.NOT_FOUND


def test_unknown_parameters_share_the_page_and_known_ones_do_not(client, loaded):
    plain = client.get("/nl/casussen/")
    noisy = client.get("/nl/casussen/", {"utm_source": "nieuwsbrief", "x": "1"})
    filtered = client.get("/nl/casussen/", {"age": "kleuters"})
    assert noisy.content == plain.content
    assert filtered.content != plain.content


def test_pages_set_no_cookies_and_admin_pages_are_not_cached(client, admin_client, loaded):
    response = client.get("/nl/")
    assert not response.cookies
    admin_client.get(reverse("admin:index"))
    assert admin_client.get(reverse("admin:index"))["Cache-Control"] != "public, no-cache"


# --- Headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_security_headers(client, loaded, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_cached_pages_keep_their_headers(client, loaded):
    client.get("/nl/hulp/")
    response = client.get("/nl/hulp/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


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
def test_many_query_fields_are_a_400_on_every_url(client, loaded, path):
    query = "&".join(f"f{i}=1" for i in range(1001))
    assert client.get(f"{path}?{query}").status_code == HTTPStatus.BAD_REQUEST
    assert client.get(f"{path}?q={'x' * 9000}").status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("path", PAGES)
def test_head_is_answered_on_every_page(client, loaded, path):
    first = client.head(path)  # rendered by the view
    length = len(client.get(path).content)
    second = client.head(path)  # from the cache
    for response in (first, second):
        assert response.status_code == HTTPStatus.OK
        assert response.content == b""
        assert response["Content-Length"] == str(length)


def test_post_is_refused_politely(client, loaded):
    assert client.post("/nl/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- Faults ----------------------------------------------------------------------------------


def test_database_unreachable_gives_the_friendly_503_and_recovers(client, loaded, monkeypatch):
    from handreiking import caching

    client.raise_request_exception = False
    def down():
        raise OperationalError("could not connect to server")

    client.get("/nl/hulp/")  # cached while the database was up
    monkeypatch.setattr(caching, "read_version", down)
    response = client.get("/nl/hoofdstukken/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "0800-0432" in html and "0800-0113" in html
    assert "Traceback" not in html
    # A page cached before the fault is still served while the database is away.
    assert client.get("/nl/hulp/").status_code == HTTPStatus.OK
    monkeypatch.undo()
    assert client.get("/nl/hoofdstukken/").status_code == HTTPStatus.OK


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
