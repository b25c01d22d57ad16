"""One writer at a time (issue #19), between real processes on the suite's database engine.

Each test runs separate `manage.py` processes against a database of their own (as
production's workers and a deploy's `loadcontent` are separate processes). On
PostgreSQL these fail without handreiking.locking: the load plans before the admin
edit commits and then overwrites it; two publishes rebuild one vocabulary at once.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from .conftest import REAL_CONTENT
from .servers import ROOT, server_database, server_environment

pytestmark = pytest.mark.django_db(transaction=True)
HOLD_SECONDS = 3

# An admin save as the admin makes it: under the writer's lock, then held open a while.
ADMIN_EDIT = f"""
import sys, time
from handreiking.locking import content_write_lock
from handreiking.models import GlossaryTerm
with content_write_lock():
    term = GlossaryTerm.objects.get(slug="doxing")
    term.body_nl = "Een redacteur schreef dit in de admin."
    term.save()
    print("saved", flush=True)
    time.sleep({HOLD_SECONDS})
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with server_database(tmp_path_factory.mktemp("locks")) as url:
            yield url


def manage(env, *args, **kwargs):
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_a_load_waits_for_an_admin_save_and_then_refuses_to_overwrite_it(database, tmp_path):
    env = server_environment(database, DJANGO_SQLITE_TIMEOUT="30")
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    doxing = content / "glossary/doxing.md"
    doxing.write_text(doxing.read_text().replace("adres", "woonadres"))

    admin = manage(env, "shell", "--no-imports", "-c", ADMIN_EDIT)
    assert admin.stdout.readline().strip() == "saved"  # the edit is made, not yet committed
    started = time.monotonic()
    load = manage(env, "loadcontent", str(content))
    load_out, load_err = load.communicate(timeout=120)
    waited = time.monotonic() - started
    admin.communicate(timeout=30)

    assert admin.returncode == 0
    assert load.returncode == 1, load_out + load_err
    assert "glossary/doxing" in load_err and "changed in the admin" in load_err
    assert waited >= HOLD_SECONDS - 1  # it waited for the save instead of planning past it
    check = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from handreiking.models import GlossaryTerm; "
         "print(GlossaryTerm.objects.get(slug='doxing').body_nl)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert check.stdout.strip() == "Een redacteur schreef dit in de admin."


def test_publishes_at_the_same_time_never_fail_each_other(database):
    env = server_environment(database, DJANGO_SQLITE_TIMEOUT="60")
    for _round in range(3):
        runs = [manage(env, "publish") for _ in range(3)]
        results = [(run.wait(timeout=180), run.stderr.read()) for run in runs]
        assert [code for code, _err in results] == [0, 0, 0], results
