"""Template helpers: language switch links and age-group labels."""

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


@register.simple_tag(takes_context=True)
def nav_current(context, url_name: str) -> str:
    """` aria-current="page"` on the link to this page, `="true"` inside its section."""
    request = context.get("request")
    if request is None:
        return ""
    url = reverse(url_name)
    if request.path == url:
        return mark_safe(' aria-current="page"')
    if request.path.startswith(url):
        return mark_safe(' aria-current="true"')
    return ""


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
