"""Preview: an unsaved admin edit shown exactly as the site will show it, then forgotten.

The edit is written inside a transaction that is always rolled back. Inside it the
publisher's own renderer makes its HTML (sanitised, glossary terms linked), and the
public view of the item's page renders it in the site's layout: the same code a
visitor's request runs, so a preview cannot drift from the page. Nothing outlives
the transaction: no content-version bump, no search entry, no cached page, no
history revision (the admin calls this outside django-reversion's revision block).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from .publishing import render_all


class _Discard(Exception):  # noqa: N818 - not an error: it carries the page out of the rollback
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def has_public_page(model: type[models.Model]) -> bool:
    return hasattr(model, "get_absolute_url")


def preview_response(request: HttpRequest, save: Callable[[], models.Model],
                     language: str) -> HttpResponse:
    """`save()` writes the edit and returns the item; its page in `language` comes back."""
    try:
        with transaction.atomic():
            item = save()
            render_all()
            raise _Discard(_public_page(request, item, language))
    except _Discard as done:
        response = done.response
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _public_page(request: HttpRequest, item: models.Model, language: str) -> HttpResponse:
    """The item's public page, rendered for a visitor (not the editor) in `language`."""
    with translation.override(language):
        url = item.get_absolute_url().partition("#")[0]
        page_request = RequestFactory().get(url, HTTP_HOST=request.get_host(),
                                            secure=request.is_secure())
        page_request.LANGUAGE_CODE = language
        page_request.user = AnonymousUser()
        page_request.is_preview = True  # the banner in base.html
        match = resolve(page_request.path_info)
        response = match.func(page_request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    return response
