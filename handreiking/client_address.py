"""The visitor's address as the site sees it behind its proxies (for the login lockout).

Behind the TLS proxy the README requires, REMOTE_ADDR is the proxy's address for every
visitor, so a lockout keyed on it locked every editor out at once (issue #19). Each
proxy appends the address it received the request from to X-Forwarded-For; only the
last DJANGO_PROXY_COUNT entries were written by proxies we run, so the client is the
entry that many places from the right. Anything further left came from the client
itself and proves nothing (a forged header cannot pick another lockout bucket).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The address the nearest untrusted hop connected from; REMOTE_ADDR without proxies."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.PROXY_COUNT
    if trusted <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < trusted:  # not (fully) through our proxies: the connection is all we know
        return remote
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
