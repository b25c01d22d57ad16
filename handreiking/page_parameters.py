"""The query parameters that change a page: declared once, read once, for the cache key
and the page alike.

A public page depends on its path, the content version and a few query parameters. The
page cache (`caching.PageCache`) keys on those parameters and the views render from
them, so both must read a request in exactly the same way: when the key normalised a
value that the view then ignored, one request with `?age=kleuters%09` filed the
unfiltered page under the filtered page's key, for every later visitor (issue #23).

So each parameter is declared here once, with how a raw value becomes a valid one; each
view declares which of them it reads (`@reads(AGE, THEME)`); the page cache and the
views (through `PageParametersMiddleware`) both call `read()`, and a view only ever sees
the values it returns, never the raw query. A value is either valid or nothing:

- A choice (age group, theme, result type, page number) is valid only as exactly one of
  its values. Anything else that is not empty — spaces, a tab, U+3000, a `+`, other
  case, a repeated parameter, an unknown slug — is answered with a permanent redirect to
  the canonical URL: with the value it plainly meant (`Kleuters%09` → `kleuters`), or
  without it. Such a request never renders a page and never takes a cache entry.
- Free text (the search query) is normalised (control characters and runs of white
  space become one space, Unicode NFC, at most `MAX_QUERY_LENGTH` characters); it is
  keyed, rendered and echoed in that form only, so no visitor's raw text reaches another.
- An empty value (an untouched form field, `?age=`) is nothing, and not redirected.

Parameters a page does not read are ignored: not in its key, not in its links.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from urllib.parse import quote, urlencode

from django.http import HttpResponsePermanentRedirect, QueryDict

from .content_version import Version, read_version

AGE = "age"
THEME = "theme"
QUERY = "q"
KIND = "kind"
PAGE = "page"
# Every page parameter, in the order of cache keys and of the links the site writes.
PARAMETERS = (AGE, THEME, QUERY, KIND, PAGE)
CHOICES = (AGE, THEME, KIND, PAGE)

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 20
# A choice longer than this is no slug of the guide's; it is not even normalised.
MAX_CHOICE_LENGTH = 100
# What redirects a non-canonical URL may be kept: an age group or theme renamed later
# must not stay redirected in browsers for ever.
REDIRECT_CACHE_CONTROL = "public, max-age=3600"


def normalise_query(raw: str) -> str:
    """A search query as the site keys, searches and shows it.

    Control and format characters (NUL, tabs, zero-width spaces, bidi controls) and runs
    of white space (including U+3000) become one space; the text is NFC, as the
    content is; a pasted message is cut politely rather than refused.
    """
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in raw)
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text[:MAX_QUERY_LENGTH].rstrip()


def _meant(raw: str) -> str:
    """What a mangled choice plainly meant: compatibility forms, white space, control
    characters and case away."""
    text = "".join(unicodedata.normalize("NFKC", raw).split())
    return "".join(char for char in text if unicodedata.category(char)[0] != "C").casefold()


@dataclass(frozen=True)
class Reading:
    """The valid page parameters of one request, and its canonical query if it differs."""

    values: dict[str, str] = field(default_factory=dict)
    # The query string to redirect to, when the request's is not canonical; else None.
    redirect_query: str | None = None
    # The content version whose valid values it was read with.
    version: Version | None = None

    def get(self, name: str, default=None):
        return self.values.get(name, default)

    def items(self) -> list[tuple[str, str]]:
        return list(self.values.items())

    @property
    def page_number(self) -> int:
        return int(self.values.get(PAGE, "1"))


NOTHING = Reading()


@dataclass(frozen=True)
class ValidValues:
    """The values each choice may take, in one content version."""

    version: Version
    values: dict[str, frozenset[str]]
    # The age groups themselves, for the filter every page shows: read-only model
    # instances, shared by the threads of a process like the rest of this snapshot.
    age_groups: tuple = ()


def _load_valid_values(version: Version) -> ValidValues:
    from .models import AgeGroup, SearchDocument, Theme
    from .search.querying import MAX_RESULTS

    pages = math.ceil(MAX_RESULTS / RESULTS_PER_PAGE)
    age_groups = tuple(AgeGroup.objects.all())
    return ValidValues(version, {
        AGE: frozenset(group.slug for group in age_groups),
        THEME: frozenset(Theme.objects.values_list("slug", flat=True)),
        KIND: frozenset(SearchDocument.Kind.values),
        PAGE: frozenset(str(number) for number in range(1, pages + 1)),
    }, age_groups)


class _ValidValuesCache:
    """The valid values of the last version this process saw.

    Shared by every thread of a process: one attribute, replaced whole, so a reader
    sees one version's complete set; two threads meeting a new version at once both
    read it, which is harmless (the same rows).
    """

    current: ValidValues | None = None


def valid_values(version: Version) -> ValidValues:
    """The valid values for `version`: two small queries when the version changes, else none."""
    known = _ValidValuesCache.current
    if known is None or known.version != version:
        known = _ValidValuesCache.current = _load_valid_values(version)
    return known


def valid_values_if_known(version: Version | None) -> ValidValues | None:
    """The valid values for `version` if this process has them (the database is away)."""
    known = _ValidValuesCache.current
    return known if known is not None and version is not None and known.version == version \
        else None


def current_valid_values() -> ValidValues | None:
    """The snapshot the last request read (`PageParametersMiddleware` reads it first)."""
    return _ValidValuesCache.current


def forget_valid_values() -> None:
    """Read the valid values anew on the next request (tests change content unpublished)."""
    _ValidValuesCache.current = None


def read(query: QueryDict, names: Iterable[str], valid: ValidValues) -> Reading:
    """The parameters `names` of `query`, each valid or left out; see the module docstring."""
    values: dict[str, str] = {}
    canonical = True
    for name in PARAMETERS:
        if name not in names:
            continue
        given = query.getlist(name)
        if not given:
            continue
        if name == QUERY:
            value = normalise_query(given[-1])
        else:
            value, exact = _choice(given, valid.values[name])
            canonical = canonical and exact
        if value:
            values[name] = value
    if canonical:
        return Reading(values, version=valid.version)
    return Reading(values, redirect_query=urlencode(values), version=valid.version)


def _choice(given: list[str], allowed: frozenset[str]) -> tuple[str | None, bool]:
    """(valid value or None, whether the request said exactly that)."""
    raw = given[-1]
    if raw in allowed:
        return raw, len(given) == 1
    if raw == "" and len(given) == 1:
        return None, True
    meant = _meant(raw) if len(raw) <= MAX_CHOICE_LENGTH else None
    return (meant if meant in allowed else None), False


def redirect_location(path: str, reading: Reading) -> str:
    """The canonical URL of a non-canonical request: its own path, quoted, and the valid
    values. The path starts with a language prefix (the caller resolved it), so the
    location can never point off the site."""
    location = quote(path, safe="/-_.~!$&'()*+,;=:@")
    return f"{location}?{reading.redirect_query}" if reading.redirect_query else location


# --- Views ---------------------------------------------------------------------------------


def reads(*names: str) -> Callable:
    """Declare the page parameters a view reads; only these are keyed, validated and passed.

    A view without this declaration is not a cacheable page: the page cache hands its
    requests to Django untouched.
    """
    unknown = set(names) - set(PARAMETERS)
    if unknown:
        raise ValueError(f"not page parameters: {sorted(unknown)}")

    def declare(view):
        @wraps(view)
        def view_with_parameters(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        view_with_parameters.page_parameters = frozenset(names)
        return view_with_parameters

    return declare


def declared_parameters(view) -> frozenset[str] | None:
    """The parameters `view` declared with `reads`, or None for a view that is no page."""
    return getattr(view, "page_parameters", None)


def of(request) -> Reading:
    """The page parameters of a request, as `PageParametersMiddleware` read them."""
    return getattr(request, "page_parameters", NOTHING)


class PageParametersMiddleware:
    """Read a page's declared parameters for its view, exactly as the page cache keys them;
    redirect a non-canonical query, as the page cache does in front of Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        names = declared_parameters(view_func)
        if names is None:
            return None
        reading = read(request.GET, names, valid_values(read_version()))
        if reading.redirect_query is not None:
            response = HttpResponsePermanentRedirect(redirect_location(request.path, reading))
            response["Cache-Control"] = REDIRECT_CACHE_CONTROL
            return response
        request.page_parameters = reading
        return None
