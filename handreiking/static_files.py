"""Static files served by WhiteNoise in front of Django, with the site's security headers.

WhiteNoise's Django middleware serves a file only after Django has built a request and
run the middleware before it: three quarters of the time of a stylesheet went there.
This is the same WhiteNoise, configured from the same settings, as WSGI around Django
(`handreiking.wsgi`), which is how WhiteNoise serves files outside Django. The headers
Django's SecurityMiddleware would add come from `security_headers`; a plain-http
request that Django would redirect to https still goes to Django.

The middleware stays in settings.MIDDLEWARE for clients that call Django directly (the
test client); a request through the WSGI application never reaches it for a file.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from whitenoise.base import WhiteNoise
from whitenoise.middleware import WhiteNoiseMiddleware

from .middleware import permissions_policy


def security_headers(headers, path, url) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: what SecurityMiddleware and Permissions-Policy add.

    Set once per file, not per request; browsers ignore HSTS over plain http, so it is
    sent whenever the settings ask for it.
    """
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    if settings.SECURE_HSTS_SECONDS:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        headers["Strict-Transport-Security"] = value
    headers["Permissions-Policy"] = permissions_policy()


class _WithSecurityHeaders:
    """Django's settings, with `security_headers` as WhiteNoise's headers function."""

    WHITENOISE_ADD_HEADERS_FUNCTION = staticmethod(security_headers)

    def __getattr__(self, name):
        return getattr(settings, name)


class StaticFiles(WhiteNoiseMiddleware):
    """WhiteNoise as WSGI, configured from Django's settings exactly as its middleware is."""

    def __init__(self, application):
        super().__init__(settings=_WithSecurityHeaders())
        self.application = application
        self.redirect_plain_http = settings.SECURE_SSL_REDIRECT

    def __call__(self, environ, start_response):
        if self.redirect_plain_http and not WSGIRequest(environ).is_secure():
            return self.application(environ, start_response)  # Django redirects it
        return WhiteNoise.__call__(self, environ, start_response)

    serve = staticmethod(WhiteNoise.serve)
