"""Template helpers: language switch links and age-group labels."""

from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from .. import page_parameters
from ..schema import DEFAULT_LANGUAGE

register = template.Library()


def _page_in(request, language: str) -> str:
    """This page's path in `language`, from the resolved URL name and arguments.

    Never from the raw path: a path like `//evil.example/` must not become a link. A
    page that resolved to nothing (a 404) links to the other language's home page.
    """
    match = getattr(request, "resolver_match", None) if request is not None else None
    if match is None or not match.url_name or "handreiking" not in match.namespaces:
        return f"/{language}/"
    try:
        with translation.override(language):
            return reverse(f"{':'.join(match.namespaces)}:{match.url_name}", args=match.args,
                           kwargs=match.kwargs)
    except NoReverseMatch:
        return f"/{language}/"


@register.simple_tag(takes_context=True)
def translated_url(context, language: str, absolute: bool = False) -> str:
    """This page in another language, with only the parameters that change the page.

    `absolute` gives the full URL, as hreflang alternates need.
    """
    request = context.get("request")
    path = _page_in(request, language)
    if request is not None:
        query = urlencode(page_parameters.of(request).items())
        path = f"{path}?{query}" if query else path
        if absolute:
            return request.build_absolute_uri(path)
    return path


@register.simple_tag(takes_context=True)
def page_query(context, **changes) -> str:
    """`?…` for a link to this page with some parameters changed (None removes one).

    Like Django's `{% querystring %}`, but it starts from the parameters that change
    the page only, so a stray `?utm_source=…` is never copied into links (and cached
    pages do not depend on it).
    """
    request = context.get("request")
    values = dict(page_parameters.of(request).items()) if request is not None else {}
    for name, value in changes.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = str(value)
    return f"?{urlencode(values)}" if values else "?"


@register.inclusion_tag("partials/breadcrumbs.html")
def breadcrumbs(*parts):
    """`{% breadcrumbs "Chapters" chapters_url "Chapter 3" %}`: label/url pairs, then the page."""
    *pairs, current = parts
    crumbs = [{"label": pairs[i], "url": pairs[i + 1]} for i in range(0, len(pairs) - 1, 2)]
    crumbs.append({"label": current, "url": None})
    return {"crumbs": crumbs}


@lru_cache(maxsize=256)
def _reversed(url_name: str, language: str) -> str:
    """A named URL without arguments, per language: the same for every request, and
    every page's menu asks for six of them (reverse costs ~20 µs each)."""
    with translation.override(language):
        return reverse(url_name)


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str, *, keep_age: bool = False) -> str:
    """A main-menu link: ` aria-current="page"` on the link to this page, `="true"`
    inside its section; `keep_age` carries the chosen age group along."""
    request = context.get("request")
    url = _reversed(url_name, translation.get_language() or DEFAULT_LANGUAGE)
    current = ""
    if request is not None and request.path == url:
        current = mark_safe(' aria-current="page"')
    elif request is not None and request.path.startswith(url):
        current = mark_safe(' aria-current="true"')
    href = url + (str(context.get("age_qs", "")) if keep_age else "")
    return format_html('<a class="app-nav__link" href="{}"{}>{}</a>', href, current, label)


@register.filter
def shown(obj, name: str):
    """A translated field as the page shows it: marked `lang="nl"` when it falls back to Dutch.

    `{{ chapter|shown:"title" }}`. Where the English text of a title is missing, the
    English page shows the Dutch one, and screen readers must read it as Dutch.
    """
    value = getattr(obj, name, "")
    language = translation.get_language() or DEFAULT_LANGUAGE
    own = getattr(obj, f"{name}_{language}", None)
    if language == DEFAULT_LANGUAGE or own or not value:
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', DEFAULT_LANGUAGE, value)


@register.simple_tag(takes_context=True)
def search_result(context, hit) -> str:
    """One search hit as its list item, built here rather than in template markup.

    A results page lists twenty of them and, with distinct queries, is never served
    from the page cache; as template markup their variable lookups were a third of the
    page's time (issue #18). A hit from text not yet translated is marked as Dutch.
    """
    request = context.get("request")
    page_language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    lang = format_html(' lang="{}"', hit.language) if hit.language != page_language else ""
    kind = (format_html("{} · {}", hit.kind_label, hit.context) if hit.context
            else conditional_escape(hit.kind_label))
    return format_html(
        '<li class="app-results__item"><p class="app-results__kind">{}</p>'
        '<h2 class="app-results__title"><a class="app-results__link" href="{}"{}>{}</a></h2>'
        '<p class="app-results__snippet"{}>{}</p></li>',
        kind, hit.url, lang, hit.title, lang, hit.snippet_html)
