"""Shared fixtures: a copy of the real content tree, loaded content, and a dump for comparisons."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

REAL_CONTENT = Path(settings.CONTENT_DIR)


def pytest_sessionfinish(session, exitstatus):
    # "No tests ran" must never pass for success or be waved through: make it a failure.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test sees its own pages rendered (and its own `response.context`), and starts
    in Dutch: a request through the test client leaves its language active afterwards."""
    from django.core.cache import cache
    from django.utils import translation

    from handreiking.page_parameters import forget_valid_values
    from handreiking.wsgi import page_cache

    def forget():
        cache.clear()
        page_cache.recent.clear()
        forget_valid_values()  # tests change age groups and themes without publishing
        translation.activate(settings.LANGUAGE_CODE)

    forget()
    yield
    forget()


@pytest.fixture
def site():
    """The WSGI application gunicorn serves (the page cache in front of Django), reached
    through WebTest as a browser would reach it; the test client would skip the cache."""
    from django_webtest import DjangoTestApp

    from handreiking.wsgi import application

    class Site(DjangoTestApp):
        def get_wsgi_handler(self):
            return application

    return Site()


EDITOR_PASSWORD = "een lang genoeg wachtwoord 7"


@pytest.fixture
def redacteur(django_app, monkeypatch, db):
    """A WebTest browser logged in as an editor: `createeditor`'s Redacteur, no superuser."""
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("createeditor", "redacteur", "--no-input", verbosity=0)
    django_app.set_user(get_user_model().objects.get(username="redacteur"))
    return django_app


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private, editable copy of the shipped content tree."""
    target = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, target)
    return target


@pytest.fixture(scope="module")
def loaded_module(django_db_setup, django_db_blocker):
    """Load the shipped content once per test module (it takes about a second).

    Each test still runs in its own transaction, rolled back afterwards, so tests
    may change the content freely; the module's end empties the database again.
    """
    from handreiking.files.loader import load_content

    with django_db_blocker.unblock():
        report = load_content(root=REAL_CONTENT)
    yield report
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def loaded(loaded_module, db):
    """The shipped content, loaded into the test database."""
    return loaded_module


def dump_database() -> str:
    """Every content row as JSON, to prove a failed load changed nothing."""
    out = io.StringIO()
    call_command("dumpdata", "handreiking", stdout=out, indent=0)
    return out.getvalue()


@pytest.fixture
def database_dump():
    return dump_database


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def scale_content(root: Path, factor: int) -> Path:
    """Add (factor - 1) copies of every case, term, organisation, section, list and plan."""
    patterns = ["cases/*.md", "glossary/*.md", "organisations/*.md", "questions/*.md",
                "step-plans/*.md", "chapters/*/[!_]*.md"]
    originals = [path for pattern in patterns for path in sorted(root.glob(pattern))]
    for copy in range(2, factor + 1):
        for path in originals:
            target = path.with_name(f"{path.stem}-kopie{copy}.md")
            text = path.read_text(encoding="utf-8")
            if path.parent.name == "step-plans" and "kind: child-tips" in text:
                continue  # there is one page of tips for children
            target.write_text(text, encoding="utf-8")
    return root
