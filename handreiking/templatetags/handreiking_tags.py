"""Template helpers: language switch links and age-group labels."""

from django import template
from django.urls import reverse
from django.urls import translate_url as django_translate_url
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language: str) -> str:
    """This page in another language, keeping the query string (e.g. the age filter)."""
    request = context.get("request")
    if request is None:
        return f"/{language}/"
    url = django_translate_url(request.path, language)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


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
