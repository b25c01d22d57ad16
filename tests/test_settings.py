"""Settings from the environment: production refuses to start without a secret key."""

import os
import subprocess
import sys

from django.conf import settings

CHECK = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run_with(env_overrides):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "handreiking.settings", "DJANGO_ENV_FILE": "",
                **env_overrides})
    return subprocess.run([sys.executable, "-c", CHECK], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=60)


def test_production_without_secret_key_refuses_to_start():
    result = run_with({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_with_secret_key_starts():
    result = run_with({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50,
                       "DJANGO_ALLOWED_HOSTS": "gids.example.nl"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_without_debug_variable_the_site_is_production():
    """An operator who forgets DJANGO_DEBUG gets production, never debug pages."""
    result = run_with({"DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert "DJANGO_SECRET_KEY must be set" in run_with({}).stderr


def test_debug_only_when_asked_for():
    result = run_with({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_database_url_selects_postgresql():
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'])")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "handreiking.settings", "DJANGO_DEBUG": "1",
                "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x"})
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_a_missing_sqlite_file_is_an_error_not_a_new_empty_database(tmp_path):
    missing = tmp_path / "gone.sqlite3"
    code = ("import django; django.setup(); from django.db import connection; "
            "connection.cursor().execute('SELECT 1')")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "handreiking.settings", "DJANGO_DEBUG": "1",
                "DATABASE_URL": f"sqlite:///{missing}"})
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "unable to open database file" in result.stderr
    assert not missing.exists()


def test_check_deploy_reports_nothing_under_the_documented_production_settings():
    """The values .env.example documents for production (plus a real secret)."""
    import secrets

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "handreiking.settings", "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "gids.example.nl"})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level",
                             "WARNING"], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def manage(*arguments, **variables):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(variables)
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=settings.BASE_DIR,
                          env=env, capture_output=True, text=True, timeout=120)


def test_a_missing_setting_is_one_line_naming_it_not_a_traceback():
    result = manage("check", DJANGO_ENV_FILE="")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("manage.py: DJANGO_SECRET_KEY must be set")
    wrong = manage("check", DJANGO_ENV_FILE="", DJANGO_DEBUG="1", DJANGO_PROXY_COUNT="een")
    assert wrong.stderr.strip() == "manage.py: DJANGO_PROXY_COUNT must be a whole number, " \
                                   "not 'een'."


def test_the_env_file_make_run_writes_lets_manage_py_run_as_typed(tmp_path):
    """`make run` writes DJANGO_DEBUG=1 to .env; then the README's commands work as typed
    (issue #19: createsuperuser and loadcontent stopped with a traceback)."""
    env_file = tmp_path / ".env"
    env_file.write_text("# Written by make run\nDJANGO_DEBUG=1\n")
    result = manage("check", DJANGO_ENV_FILE=str(env_file))
    assert result.returncode == 0, result.stderr
    # The real environment wins over the file.
    assert manage("check", DJANGO_ENV_FILE=str(env_file), DJANGO_DEBUG="0").returncode != 0
