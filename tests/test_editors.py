"""Editors in the admin (issue #19): the Redacteur role, createeditor, and a login
lockout that works behind the proxy."""

import os
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from handreiking.roles import EDITOR_GROUP, editor_codenames

pytestmark = pytest.mark.django_db
PASSWORD = "een lang genoeg wachtwoord 7"
ADDRESS_A, ADDRESS_B, PROXY = "203.0.113.5", "198.51.100.7", "10.0.0.1"


@pytest.fixture
def editor(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("createeditor", "redacteur", "--no-input", verbosity=0)
    return get_user_model().objects.get(username="redacteur")


def test_the_migration_creates_the_editor_group_with_content_permissions_only():
    group = Group.objects.get(name=EDITOR_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == editor_codenames()
    assert {"change_glossaryterm", "delete_step", "add_synonym"} <= codenames
    assert not group.permissions.exclude(content_type__app_label="handreiking").exists()


def test_createeditor_makes_a_staff_editor_not_a_superuser(editor):
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == [EDITOR_GROUP]
    assert editor.check_password(PASSWORD)
    assert editor.has_perm("handreiking.change_glossaryterm")
    assert not editor.has_perm("auth.view_user")


@pytest.mark.parametrize(("password", "message"), [
    ("", "needs the password in DJANGO_EDITOR_PASSWORD"),
    ("kort", "The password is not accepted"),
])
def test_createeditor_refuses_and_creates_nothing(monkeypatch, password, message):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("createeditor", "nieuw", "--no-input", verbosity=0)
    assert not get_user_model().objects.filter(username="nieuw").exists()


def test_createeditor_does_not_touch_an_existing_account(editor):
    with pytest.raises(CommandError, match="already an account"):
        call_command("createeditor", "redacteur", "--no-input", verbosity=0)


def test_an_editor_edits_content_but_cannot_open_user_administration(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:handreiking_glossaryterm_changelist")).status_code == 200
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:handreiking_glossaryterm_changelist") in index
    assert reverse("admin:auth_user_changelist") not in index
    for name in ("admin:auth_user_changelist", "admin:auth_group_changelist",
                 "admin:axes_accessattempt_changelist"):
        assert client.get(reverse(name)).status_code == HTTPStatus.FORBIDDEN


def test_the_admin_says_the_sites_name(client, editor):
    client.force_login(editor)
    assert "Handreiking — redactie" in client.get(reverse("admin:index")).content.decode()


def login(client, username, password, address, forwarded=None):
    """A login through the proxy: it connects from PROXY and appends the client's address."""
    chain = f"{forwarded}, {address}" if forwarded else address
    return client.post(reverse("admin:login"), {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def test_behind_the_proxy_five_failures_lock_that_address_out_for_that_account_only(
        editor, settings):
    """Issue #19: keyed on REMOTE_ADDR (the proxy's), five wrong passwords from anyone
    locked every editor out."""
    settings.PROXY_COUNT = 1
    other = get_user_model().objects.create_user("tweede", password=PASSWORD, is_staff=True)
    attacker = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "redacteur", "fout", ADDRESS_A)
    assert login(attacker, "redacteur", PASSWORD, ADDRESS_A).status_code == 429
    # A forged X-Forwarded-For entry, left of what the proxy appended, changes nothing.
    assert login(attacker, "redacteur", PASSWORD, ADDRESS_A,
                 forwarded="192.0.2.99").status_code == 429
    elsewhere = Client()
    assert login(elsewhere, "redacteur", PASSWORD, ADDRESS_B).status_code == HTTPStatus.FOUND
    colleague = Client()
    assert login(colleague, other.username, PASSWORD, ADDRESS_A).status_code == HTTPStatus.FOUND


def test_without_a_proxy_the_connection_address_counts(settings):
    settings.PROXY_COUNT = 0
    from django.test import RequestFactory

    from handreiking.client_address import client_address

    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS_B, HTTP_X_FORWARDED_FOR=ADDRESS_A)
    assert client_address(request) == ADDRESS_B  # a header a client sent proves nothing
    settings.PROXY_COUNT = 1
    assert client_address(request) == ADDRESS_A
    request.META["HTTP_X_FORWARDED_FOR"] = "not an address"
    assert client_address(request) == ADDRESS_B


def run_settings(code: str, **variables):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "handreiking.settings", "DJANGO_ENV_FILE": "",
                "DJANGO_DEBUG": "1", **variables})
    return subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code],
                          env=env, capture_output=True, text=True, timeout=60,
                          cwd=os.path.dirname(os.path.dirname(__file__)))


def test_django_admin_url_moves_the_admin_and_robots_txt_stops_naming_it():
    result = run_settings(
        "from django.urls import resolve, Resolver404\n"
        "from django.test import RequestFactory\n"
        "from handreiking.views import robots_txt\n"
        "print(resolve('/beheer/').url_name)\n"
        "try:\n    resolve('/admin/')\nexcept Resolver404:\n    print('no admin at /admin/')\n"
        "print(robots_txt(RequestFactory().get('/robots.txt')).content.decode())",
        DJANGO_ADMIN_URL="/beheer", DJANGO_ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["index", "no admin at /admin/"]
    assert "beheer" not in result.stdout and "Disallow: /admin/" not in result.stdout


def test_an_admin_url_inside_the_public_pages_is_refused_in_one_line():
    result = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "DJANGO_ENV_FILE": "",
                                                        "DJANGO_DEBUG": "1",
                                                        "DJANGO_ADMIN_URL": "nl/beheer/"},
                            cwd=os.path.dirname(os.path.dirname(__file__)))
    assert result.returncode != 0
    assert result.stderr.strip().startswith("manage.py: DJANGO_ADMIN_URL='nl/beheer/'")
    assert "Traceback" not in result.stderr


def test_admin_cookies_are_secure_httponly_and_lax_in_production():
    result = run_settings(
        "from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE)",
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert result.stdout.split() == ["True", "True", "Lax", "True", "True", "Lax"]
