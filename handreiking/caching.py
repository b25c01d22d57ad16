"""Whole-page cache keyed on the content version, answered in front of Django.

Every public page depends only on the published content, the language (in the path),
the host and scheme its absolute links are written for, and the page parameters its
view declares (`page_parameters`). The publisher bumps `ContentVersion` whenever content
changes; this layer reads that number once per request, keys the cache on it and
answers repeat visits with `304 Not Modified`. Nothing is ever invalidated: old versions
simply stop being asked for and age out.

The key is built from exactly what the page will be rendered from: the scheme and host
as Django reads them (`request.scheme`, `request.get_host()`), the path, and the page
parameters as `page_parameters.read` returns them to the view. A request whose
parameters are not canonical is redirected here, before any page is rendered or stored,
so no request can file one page under another page's key.

It is a WSGI application wrapped around Django's (`handreiking.wsgi`), not a Django
middleware, because a repeat visit is the common case and Django's request cycle
(request object, signals, middleware, response headers) cost four times what the cache
lookup does. A cached page is the exact status line, headers and body Django produced
for the first visit, so Django's security headers and CSP come with it; anything the
layer is not sure of (other methods, oversized queries, a view that declares no page
parameters, a page not yet cached, a database that is away with nothing cached) goes to
Django, which answers it as before.

Memory is bounded in bytes, not entries: each process keeps at most
`settings.PAGE_CACHE_MAX_BYTES` of pages (`BoundedPages`, least recently used first
out). With Redis or Memcached configured, pages are also stored there, with a timeout,
so every process and machine renders a page once per content version.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost, TooManyFieldsSent
from django.core.handlers.wsgi import WSGIRequest, get_bytes_from_wsgi, get_path_info
from django.db import DatabaseError
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import page_parameters
from .content_version import LastVersion, read_version
from .middleware import MAX_QUERY_STRING
from .static_files import security_headers

CACHED_TYPES = (b"text/html", b"application/json")
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
PAGE_PREFIXES = tuple(f"/{code}/" for code in LANGUAGE_CODES)
# Set per version and per request by this layer, never stored with a page.
VALIDATORS = frozenset({"etag", "last-modified", "cache-control", "content-length"})
# A stored answer may vary only on what the key holds (the scheme comes from this header
# behind the proxy); one that varies on anything else (a cookie, a language header) is
# answered but never stored.
KEYED_REQUEST_HEADERS = frozenset({"host", "x-forwarded-proto"})
# Stored by browsers and proxies, but checked on every visit (a 304 is cheap), so an
# edit is visible on the next request.
CACHE_CONTROL = "public, no-cache"
# Bookkeeping per stored page beyond its body and headers (the tuple, the key, strings).
ENTRY_OVERHEAD = 512
RESOLVED_PATHS = 4096


class Entry(NamedTuple):
    """A stored answer: Django's status line, headers (less the validators) and body."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def size(self) -> int:
        return (len(self.body) + sum(len(name) + len(value) for name, value in self.headers)
                + ENTRY_OVERHEAD)


class BoundedPages:
    """The pages this process answered last, at most `max_bytes` in all (least recently
    used out first).

    Shared by every thread of the process, so every read and write holds one lock; an
    entry never changes under its key (the key holds the content version), so a copy
    here is never stale.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        size = entry.size
        if size > self.max_bytes:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous.size
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    @property
    def bytes(self) -> int:
        return self._bytes

    def values(self) -> list[Entry]:
        with self._lock:
            return list(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


@functools.lru_cache(maxsize=RESOLVED_PATHS)
def declared_parameters(path_info: str) -> frozenset[str] | None:
    """The page parameters the view at `path_info` reads, or None if it is no cached page.

    Memoised per path (`lru_cache` is safe to share between threads); the URL patterns
    are translated, so the path is resolved in its own language.
    """
    language = path_info.split("/", 2)[1]
    try:
        with translation.override(language):
            match = resolve(path_info)
    except Resolver404:
        return None
    return page_parameters.declared_parameters(match.func)


class PageCache:
    """WSGI: answer GET and HEAD for public pages from the cache, else ask Django and keep
    what it answers when that is a public 200 page."""

    def __init__(self, application):
        self.application = application
        self.shared = caches[settings.PAGE_CACHE_ALIAS] if settings.PAGE_CACHE_SHARED else None
        self.timeout = settings.PAGE_CACHE_SECONDS
        self.recent = BoundedPages(settings.PAGE_CACHE_MAX_BYTES)

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        path_info = get_path_info(environ)
        if not path_info.startswith(PAGE_PREFIXES) \
                or len(get_bytes_from_wsgi(environ, "QUERY_STRING", "")) > MAX_QUERY_STRING:
            return self.application(environ, start_response)
        names = declared_parameters(path_info)
        if names is None:
            return self.application(environ, start_response)
        request = WSGIRequest(environ)
        try:
            origin = f"{request.scheme}://{request.get_host()}"
            query = request.GET
        except (DisallowedHost, TooManyFieldsSent):  # Django answers 400
            return self.application(environ, start_response)
        try:
            version = read_version()
            valid = page_parameters.valid_values(version)
            database_up = True
        except DatabaseError:
            version = LastVersion.value
            known = page_parameters.valid_values_if_known(version)
            if known is None:
                return self.application(environ, start_response)  # the 503 page
            valid, database_up = known, False
        reading = page_parameters.read(query, names, valid)
        if reading.redirect_query is not None:
            return self._redirect(start_response, request, reading)
        key, etag = self.key(origin, request.path, reading, version.number)
        entry = self.recent.get(key)
        if entry is None and self.shared is not None:
            entry = self.shared.get(key)
            if entry is not None:
                self.recent.put(key, entry)
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
            entry = Entry(status, [(name, value) for name, value in headers
                                   if name.lower() not in VALIDATORS], _read(body))
            self.recent.put(key, entry)
            if self.shared is not None:
                self.shared.set(key, entry, self.timeout)
        validators = [("ETag", etag), ("Cache-Control", CACHE_CONTROL)]
        if version.published is not None:
            validators.append(("Last-Modified", _http_date(version.published)))
        conditional = get_conditional_response(request, etag=etag,
                                               last_modified=version.published)
        if conditional is not None:  # 304 Not Modified, or 412 Precondition Failed
            start_response(f"{conditional.status_code} {conditional.reason_phrase}", [
                (name, value) for name, value in entry.headers
                if name.lower() not in ("content-type", "content-language")]
                + validators + [("Content-Length", "0")] * (conditional.status_code != 304))
            return []
        start_response(entry.status, entry.headers + validators
                       + [("Content-Length", str(len(entry.body)))])
        return [entry.body] if method == "GET" else []

    @staticmethod
    def key(origin: str, path: str, reading: page_parameters.Reading,
            version: int) -> tuple[str, str]:
        """(cache key, ETag): both change with the content version and the page."""
        raw = f"{origin}{path}?{urlencode(reading.items())}"  # pages hold absolute URLs
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"page:{version}:{digest}", f'"{version}-{digest[:16]}"'

    @staticmethod
    def _redirect(start_response, request, reading):
        """The permanent redirect to the canonical URL, as Django's middleware would send it."""
        headers = {"Content-Type": "text/html; charset=utf-8",
                   "Location": page_parameters.redirect_location(request.path, reading),
                   "Cache-Control": page_parameters.REDIRECT_CACHE_CONTROL,
                   "X-Frame-Options": settings.X_FRAME_OPTIONS, "Content-Length": "0"}
        security_headers(headers, request.path, None)
        if not request.is_secure():
            headers.pop("Strict-Transport-Security", None)  # as SecurityMiddleware does
        start_response("301 Moved Permanently", list(headers.items()))
        return []

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
        """A public 200 page: HTML or JSON, no cookie, no caching rules of its own, and
        varying on nothing the key does not hold."""
        if not status.startswith("200 ") or getattr(body, "streaming", False):
            return False
        names = {name.lower(): value for name, value in headers}
        varies_on = {part.strip().lower() for part in names.get("vary", "").split(",")} - {""}
        return ("set-cookie" not in names and "cache-control" not in names
                and varies_on <= KEYED_REQUEST_HEADERS
                and names.get("content-type", "").encode().startswith(CACHED_TYPES))


@functools.lru_cache(maxsize=4)
def _http_date(seconds: int) -> str:
    return http_date(seconds)


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
