"""Settings for Handreiking: one module, switched by environment variables (see README)."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables from a .env file beside manage.py (DJANGO_ENV_FILE names another; empty: none).
# The real environment always wins. `make run` writes one with DJANGO_DEBUG=1 in a
# development checkout, so `.venv/bin/python manage.py …` behaves as it does under make.
ENV_FILE = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# --- Security -----------------------------------------------------------------
# Production unless DJANGO_DEBUG=1 is set (`make run` sets it): an operator who forgets
# the variable gets a locked-down site, never debug pages.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set in production (DJANGO_DEBUG is not 1). For "
            "development, set DJANGO_DEBUG=1 (make run writes it to .env; make test sets it).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

# Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = ["camera", "microphone", "geolocation", "payment", "usb",
                      "interest-cohort", "browsing-topics"]
# The admin's path (default admin/): another one keeps it off scanners' lists of admin
# pages (and out of robots.txt).
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip().strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_URL must not be empty: the admin needs a path.")
# Only the admin sets cookies (visitors get none): HttpOnly, SameSite=Lax, and Secure
# in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # HSTS: a year, subdomains included, once a browser has seen the site over TLS.
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = []
if not DEBUG and not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list is the domain owner's decision (and hard to undo),
    # not a code default; DJANGO_SECURE_HSTS_PRELOAD=1 opts in.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content-Security-Policy (django-csp): everything from this site, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: after 5 wrong admin passwords for one account from one address, that
# account is locked for that address for an hour: a flood never reaches the password
# check, and neither locks out the other editors nor the same editor elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# How many proxies in front append X-Forwarded-For (the README's TLS proxy: 1); the
# client's address is read behind them (handreiking/client_address.py). 0: no proxy.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "handreiking.client_address.client_address"

# --- Applications -------------------------------------------------------------
INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "axes",
    "reversion",  # history of every content edit, and restoring an earlier version
    "reversion_compare",  # the history's diff between two versions
    "handreiking.apps.HandreikingConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "handreiking.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "handreiking.middleware.RequestLimitsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "handreiking.page_parameters.PageParametersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "handreiking.urls"
WSGI_APPLICATION = "handreiking.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "handreiking.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (postgres://user:pass@host:5432/name);
# without it the embedded SQLite database is used.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = None  # one connection per thread, kept open
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the loader work at the same time; memory-mapped reads and a
        # 64 MB page cache keep full-text queries fast on a large index.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA mmap_size=268435456; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        # A writer waits this long for another writer; readers never wait in WAL mode.
        # Past it the request gets the 503 page instead of holding a worker.
        "timeout": env_int("DJANGO_SQLITE_TIMEOUT", 3),
    }
    # A missing database file is an error, never silently re-created empty: only
    # `migrate` (and the test runner, which makes its own) may create it.
    _sqlite_name = str(DATABASES["default"]["NAME"])
    _creating = sys.argv[1:2] == ["migrate"]
    if not _creating and not _sqlite_name.startswith("file:") and _sqlite_name != ":memory:":
        DATABASES["default"]["NAME"] = f"file:{_sqlite_name}?mode=rw"
        DATABASES["default"]["OPTIONS"]["uri"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
if ADMIN_URL.split("/")[0] in {code for code, _name in LANGUAGES} | {STATIC_URL.strip("/")}:
    raise ImproperlyConfigured(f"DJANGO_ADMIN_URL={ADMIN_URL!r} would sit inside the public "
                               "pages (/nl/, /en/) or static files: choose another path.")
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Cache ----------------------------------------------------------------------
# Pages are kept in each process's memory, at most DJANGO_PAGE_CACHE_MB megabytes
# (least recently used out first; see handreiking/caching.py). REDIS_URL
# (redis://host:6379/0) or MEMCACHED_URL (host:11211) add a cache shared between
# processes and machines, where pages carry a timeout. Pages are keyed on the content
# version, so a cache never needs clearing after an edit.
if os.environ.get("REDIS_URL"):
    _default_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": os.environ["REDIS_URL"]}
elif os.environ.get("MEMCACHED_URL"):
    _default_cache = {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                      "LOCATION": os.environ["MEMCACHED_URL"]}
else:
    _default_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "handreiking"}
CACHES = {"default": _default_cache}
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SHARED = bool(os.environ.get("REDIS_URL") or os.environ.get("MEMCACHED_URL"))
PAGE_CACHE_MAX_BYTES = env_int("DJANGO_PAGE_CACHE_MB", 64) * 1024 * 1024
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 24 * 3600)

# --- Content ------------------------------------------------------------------
CONTENT_DIR = BASE_DIR / "content"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"},
                 "null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Scanners send wrong Host headers all day; each gets a 400, and a traceback per
    # request in the log would bury the errors that matter.
    "loggers": {"django.security.DisallowedHost": {"handlers": ["null"], "propagate": False}},
}

# Serve files straight from static/ when collectstatic has not run (development, tests);
# in production `collectstatic` writes compressed, content-hashed files served for ever.
WHITENOISE_USE_FINDERS = DEBUG
