"""Whole-page cache keyed on the content version, answered in front of Django.

Every public page depends only on the published content, the language (in the path)
and a few query parameters. The publisher bumps `ContentVersion` whenever content
changes; this layer reads that number once per request (one indexed row from the
shared database, so every process and every machine sees an edit at once), keys the
cache on it and answers repeat visits with `304 Not Modified`. Nothing is ever
invalidated: old versions simply stop being asked for and age out.

It is a WSGI application wrapped around Django's (`handreiking.wsgi`), not a Django
middleware, because a repeat visit is the common case and Django's request cycle
(request object, signals, middleware, response headers) cost four times what the cache
lookup does. A cached page is the exact status line, headers and body Django produced
for the first visit, so Django's security headers and CSP come with it; anything the
layer is not sure of (other methods, oversized queries, a page not yet cached, a
database that is away with nothing cached) goes to Django, which answers it as before.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import UTC

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import get_bytes_from_wsgi, get_path_info, get_script_name
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from .middleware import MAX_QUERY_STRING
from .models import ContentVersion

# The query parameters that change a page; any other parameter is ignored by the pages,
# so it is left out of the key (and of the language links).
PAGE_PARAMETERS = ("age", "theme", "q", "kind", "page")
MAX_PARAMETER_LENGTH = 200
CACHED_TYPES = (b"text/html", b"application/json")
PAGE_PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
# Set per version and per request by this layer, never stored with a page.
VALIDATORS = frozenset({"etag", "last-modified", "cache-control", "content-length"})
# Stored by browsers and proxies, but checked on every visit (a 304 is cheap), so an
# edit is visible on the next request.
CACHE_CONTROL = "public, no-cache"
RECENT_PAGES = 256
_VERSION_SQL = f"SELECT version, updated_at FROM {ContentVersion._meta.db_table} WHERE id = 1"


class _LastVersion:
    """The last version this process read, for serving cached pages while the database is away."""

    value: tuple[int, str | None] | None = None


def read_version() -> tuple[int, str | None]:
    """(version, `Last-Modified` value) from the database; raises DatabaseError if it is away.

    Raw SQL on the thread's own connection: this runs on every page request, and
    Django's cursor wrappers cost more than the query.
    """
    database = connections[DEFAULT_DB_ALIAS]
    try:
        row = _version_row(database)
    except DatabaseError:
        # A connection the server dropped (a restart, a failover) is closed and made anew
        # once, as Django does at the start of each request it handles; a database that
        # is really away fails again.
        database.close_if_unusable_or_obsolete()
        if database.connection is not None:
            raise
        row = _version_row(database)
    if row is None:
        return 0, None
    return row[0], _last_modified(row[1])


def _version_row(database):
    with database.wrap_database_errors:
        database.ensure_connection()
        cursor = database.connection.cursor()
        try:
            cursor.execute(_VERSION_SQL)
            return cursor.fetchone()
        finally:
            cursor.close()


@functools.lru_cache(maxsize=4)
def _last_modified(updated) -> str | None:
    if updated is None:
        return None
    if isinstance(updated, str):  # SQLite returns text, in UTC without a zone
        updated = parse_datetime(updated)
    if updated.tzinfo is None:
        updated = updated.replace(tzinfo=UTC)
    return http_date(updated.timestamp())


def page_parameters(query) -> list[tuple[str, str]]:
    """The page-changing parameters of a query, normalised (last value, spaces collapsed).

    `query` is a QueryDict (`request.GET`): its `get` gives the last value, as the views
    read it.
    """
    found = []
    for name in PAGE_PARAMETERS:
        value = query.get(name)
        if value:
            found.append((name, " ".join(value.split())[:MAX_PARAMETER_LENGTH]))
    return found


class PageCache:
    """WSGI: answer GET and HEAD for public pages from the cache, else ask Django and keep
    what it answers when that is a public 200 page."""

    def __init__(self, application):
        self.application = application
        self.cache = caches[settings.PAGE_CACHE_ALIAS]
        self.timeout = settings.PAGE_CACHE_SECONDS
        # What decides which host and scheme Django sees; part of every key, so a page is
        # only ever replayed for the host and scheme Django itself answered with it.
        self.origin_keys = ["wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT"]
        if settings.SECURE_PROXY_SSL_HEADER:
            self.origin_keys.append(settings.SECURE_PROXY_SSL_HEADER[0])
        if settings.USE_X_FORWARDED_HOST:
            self.origin_keys.append("HTTP_X_FORWARDED_HOST")
        # The pages this process answered last, before the configured cache: an entry never
        # changes under its key (the key holds the version), so this copy is never stale,
        # and a shared cache (Redis, Memcached) is asked only once per page and process.
        self.recent: dict[str, tuple] = {}

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        path = get_script_name(environ) + get_path_info(environ)
        raw_query = get_bytes_from_wsgi(environ, "QUERY_STRING", "")
        if not path.startswith(PAGE_PREFIXES) or len(raw_query) > MAX_QUERY_STRING:
            return self.application(environ, start_response)
        try:
            parameters = page_parameters(QueryDict(raw_query)) if raw_query else []
        except TooManyFieldsSent:  # Django answers 400
            return self.application(environ, start_response)
        try:
            version, last_modified = _LastVersion.value = read_version()
            database_up = True
        except DatabaseError:
            if _LastVersion.value is None:
                return self.application(environ, start_response)  # the 503 page
            version, last_modified = _LastVersion.value
            database_up = False
        key, etag = self.key(environ, path, parameters, version)
        entry = self.recent.get(key) or self.cache.get(key)
        if entry is None:
            if not database_up:
                return self.application(environ, start_response)  # the 503 page
            status, headers, body = self._ask_django(environ)
            if not self._cacheable(status, headers, body):
                start_response(status, headers)
                if method == "GET":
                    return body
                _close(body)
                return []
            entry = (status, [(name, value) for name, value in headers
                              if name.lower() not in VALIDATORS], _read(body))
            self.cache.set(key, entry, self.timeout)
        if key not in self.recent:
            if len(self.recent) >= RECENT_PAGES:
                self.recent.clear()  # mostly pages of older versions; the cache still has them
            self.recent[key] = entry
        status, headers, content = entry
        validators = [("ETag", etag), ("Cache-Control", CACHE_CONTROL)]
        if last_modified:
            validators.append(("Last-Modified", last_modified))
        if etag in _entity_tags(environ.get("HTTP_IF_NONE_MATCH", "")):
            start_response("304 Not Modified", [
                (name, value) for name, value in headers
                if name.lower() not in ("content-type", "content-language")] + validators)
            return []
        start_response(status, headers + validators + [("Content-Length", str(len(content)))])
        return [content] if method == "GET" else []

    def key(self, environ, path: str, parameters, version: int) -> tuple[str, str]:
        """(cache key, ETag): both change with the content version and the page."""
        origin = [environ.get(name, "") for name in self.origin_keys]
        raw = f"{origin!r}{path}?{parameters!r}"  # pages hold absolute URLs
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"page:{version}:{digest}", f'"{version}-{digest[:16]}"'

    def _ask_django(self, environ):
        """Django's (status, headers, body) for this page as a GET (HEAD is a GET unsent)."""
        answered = {}

        def start_response(status, headers, exc_info=None):
            answered["status"], answered["headers"] = status, headers
            return _unused_write

        body = self.application({**environ, "REQUEST_METHOD": "GET"}, start_response)
        return answered["status"], answered["headers"], body

    @staticmethod
    def _cacheable(status: str, headers, body) -> bool:
        """A public 200 page: HTML or JSON, no cookie, no caching rules of its own."""
        if not status.startswith("200 ") or getattr(body, "streaming", False):
            return False
        names = {name.lower(): value for name, value in headers}
        return ("set-cookie" not in names and "cache-control" not in names
                and names.get("content-type", "").encode().startswith(CACHED_TYPES))


def _entity_tags(if_none_match: str) -> list[str]:
    """The tags of an If-None-Match header, weak ones as strong: a proxy that compresses
    a page (nginx's gzip) makes its ETag weak, and the browser sends it back so."""
    return [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]


def _read(body) -> bytes:
    try:
        return b"".join(body)
    finally:
        _close(body)


def _close(body) -> None:
    if hasattr(body, "close"):
        body.close()


def _unused_write(data: bytes):
    raise RuntimeError("Django never writes through the WSGI write() callable")
