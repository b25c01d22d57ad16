"""Real gunicorn instances on 127.0.0.1 for tests: a database of their own, like production.

The test database of pytest-django lives in memory (SQLite) or in a transaction, where
another process cannot see it, so these servers get a fresh database: a temporary
SQLite file, or a new PostgreSQL database next to the test database when the suite
runs on PostgreSQL. Everything stays on 127.0.0.1 and is stopped by the fixture.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PASSWORD = "een-lang-redacteurswachtwoord"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server_database(tmp_path: Path):
    """A DATABASE_URL with the guide migrated and loaded, and an editor account."""
    created = None
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        name = f"handreiking_servers_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        created = name
        url = (f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST']}:"
               f"{params['PORT']}/{name}")
    else:
        url = f"sqlite:///{tmp_path / 'servers.sqlite3'}"
    env = server_environment(url)
    try:
        # Production settings serve the hashed files collectstatic writes (as `make serve`).
        for command in (["collectstatic", "--no-input", "-v0"],
                        ["migrate", "--no-input", "-v0"], ["loadcontent", "-v0"],
                        ["createsuperuser", "--no-input", "--username", "redacteur",
                         "--email", "r@example.org"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                           check=True, capture_output=True, timeout=180)
        yield url
    finally:
        if created:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def server_environment(database_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DATABASE_URL": database_url, "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
                "WEB_CONCURRENCY": "1", **extra})  # threads: the default of make serve
    return env


@contextmanager
def gunicorn(database_url: str, **extra: str):
    """One gunicorn instance as `make serve` runs it; yields its base URL.

    Its log goes to a file (a pipe nobody reads would fill up and stall the server).
    """
    port = free_port()
    env = server_environment(database_url, PORT=str(port), **extra)
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
    process = subprocess.Popen([GUNICORN, "handreiking.wsgi:application", "-c",
                                "python:handreiking.gunicorn_conf"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start: "
                                       + Path(log.name).read_text()[-2000:]) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        errors = Path(log.name).read_text()
        Path(log.name).unlink()
        if "Traceback" in errors:  # a server error the test did not see must not pass unseen
            raise AssertionError("gunicorn logged an error:\n" + errors[-3000:])


def fetch(url: str, headers: dict | None = None, timeout: float = 10):
    """(status, headers, body) of a GET; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")
