"""WSGI entry point: gunicorn handreiking.wsgi:application."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "handreiking.settings")
application = get_wsgi_application()
