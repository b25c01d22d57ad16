"""WSGI entry point: gunicorn handreiking.wsgi:application.

Django, behind two layers that answer the most frequent requests without entering it:
WhiteNoise for static files (`static_files`) and the page cache for a repeat visit to a
public page in the current content version (`caching`).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "handreiking.settings")
django_application = get_wsgi_application()

# Both need the settings configured, which get_wsgi_application() has done.
from handreiking.caching import PageCache  # noqa: E402
from handreiking.static_files import StaticFiles  # noqa: E402

page_cache = PageCache(django_application)
application = StaticFiles(page_cache)
