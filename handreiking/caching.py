"""Whole-page cache keyed on the content version: edits show on the next request, anywhere.

Every public page depends only on the published content, the language (in the path)
and a few query parameters. The publisher bumps `ContentVersion` whenever content
changes; this middleware reads that number once per request (one indexed row from the
shared database, so every process and every machine sees an edit at once), keys the
cache on it and answers repeat visits with `304 Not Modified`. Nothing is ever
invalidated: old versions simply stop being asked for and age out.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date

from .models import ContentVersion

logger = logging.getLogger(__name__)

# The query parameters that change a page; any other parameter is ignored by the pages,
# so it is left out of the key (and of the language links).
PAGE_PARAMETERS = ("age", "theme", "q", "kind", "page")
MAX_PARAMETER_LENGTH = 200
CACHED_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy",
                  "X-Frame-Options", "Vary", "X-Robots-Tag")
CACHED_TYPES = ("text/html", "application/json")
PAGE_PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


class _LastVersion:
    """The last version this process read, for serving cached pages while the database is away."""

    value: tuple[int, object] | None = None


def read_version() -> tuple[int, object]:
    """(version, time of the last change) from the database; raises DatabaseError if it is away."""
    table = ContentVersion._meta.db_table
    with connection.cursor() as cursor:  # raw SQL: this runs on every page request
        cursor.execute(f"SELECT version, updated_at FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return 0, None
    version, updated = row
    if isinstance(updated, str):  # SQLite returns text
        from django.utils.dateparse import parse_datetime

        updated = parse_datetime(updated)
    return version, updated


def page_parameters(query) -> list[tuple[str, str]]:
    """The page-changing parameters of a query, normalised (first value, spaces collapsed)."""
    found = []
    for name in PAGE_PARAMETERS:
        value = query.get(name)
        if value:
            found.append((name, " ".join(value.split())[:MAX_PARAMETER_LENGTH]))
    return found


class PageCacheMiddleware:
    """Serve public pages from the cache for the current content version.

    Sits right after WhiteNoise, so a cached page costs one small query and one cache
    read. Only anonymous-safe responses are stored: 200s for GET/HEAD under /nl/ or
    /en/, without cookies.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]
        self.timeout = settings.PAGE_CACHE_SECONDS

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path.startswith(PAGE_PREFIXES):
            return self.get_response(request)
        try:
            version, updated = read_version()
            _LastVersion.value = (version, updated)
            database_up = True
        except DatabaseError:
            if _LastVersion.value is None:
                raise  # nothing cached to fall back on: the 503 page answers
            version, updated = _LastVersion.value
            database_up = False
        key, etag = self._key(request, version)
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
            self._validators(response, etag, updated)
            return response
        cached = self.cache.get(key)
        if cached is None:
            if not database_up:
                raise DatabaseError("database unavailable and the page is not cached")
            response = self.get_response(request)
            if self._cacheable(request, response):
                headers = [(name, response[name]) for name in CACHED_HEADERS if name in response]
                self.cache.set(key, (response.content, headers), self.timeout)
                self._validators(response, etag, updated)
            return response
        content, headers = cached
        response = HttpResponse(content if request.method == "GET" else b"")
        for name, value in headers:
            response[name] = value
        if request.method == "HEAD":
            response["Content-Length"] = str(len(content))
        self._validators(response, etag, updated)
        return response

    @staticmethod
    def _key(request, version: int) -> tuple[str, str]:
        """(cache key, ETag): both change with the content version and the page."""
        parameters = page_parameters(request.GET)
        raw = f"{request.get_host()}{request.path}?{parameters!r}"  # pages hold absolute URLs
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"page:{version}:{digest}", f'"{version}-{digest[:16]}"'

    @staticmethod
    def _validators(response, etag: str, updated) -> None:
        response["ETag"] = etag
        if updated is not None:
            if updated.tzinfo is None:  # SQLite keeps UTC without a zone
                updated = updated.replace(tzinfo=UTC)
            response["Last-Modified"] = http_date(updated.timestamp())
        # Stored by browsers and proxies, but checked on every visit (a 304 is cheap),
        # so an edit is visible on the next request.
        response["Cache-Control"] = "public, no-cache"

    @staticmethod
    def _cacheable(request, response) -> bool:
        return (response.status_code == 200 and not response.cookies
                and not getattr(response, "streaming", False)
                and "Set-Cookie" not in response
                and response.get("Content-Type", "").startswith(CACHED_TYPES)
                and not getattr(request, "_page_not_cacheable", False))
