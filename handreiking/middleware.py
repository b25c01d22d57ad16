"""Request limits and headers that hold for every response, public or admin."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

# gunicorn's longest request line; a search box sends at most 200 characters anyway.
MAX_QUERY_STRING = 8190


class RequestLimitsMiddleware:
    """Answer 400 to oversized query strings before anything else reads them; bodiless HEAD.

    Django raises TooManyFieldsSent when `request.GET` is read with more than 1,000
    fields; reading it for the first time in an error page turned that into a 500.
    Checking here, first, makes every URL answer 400 instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return self.refuse()
        try:
            request.GET  # noqa: B018 - parse now, so the limit is enforced here
        except TooManyFieldsSent:
            return self.refuse()
        response = self.get_response(request)
        if request.method == "HEAD" and not getattr(response, "streaming", False) \
                and response.content:
            # HEAD answers the headers of a GET without its body (RFC 9110); the WSGI
            # server would drop the body anyway, with a warning per request.
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response

    @staticmethod
    def refuse():
        return HttpResponseBadRequest(render_to_string("400.html"))


def permissions_policy() -> str:
    """The `Permissions-Policy` value: every feature in settings.PERMISSIONS_POLICY off."""
    return ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy`: the guide needs no camera, microphone, location or payment."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = permissions_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response
