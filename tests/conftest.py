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


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private, editable copy of the shipped content tree."""
    target = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, target)
    return target


@pytest.fixture
def loaded(db):
    """The shipped content, loaded into the test database."""
    from handreiking.loader import load_content

    return load_content(root=REAL_CONTENT)


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
