"""DJANGO_ENV=production refuses to start without real secrets, PostgreSQL and Redis, and
with everything set `manage.py check --deploy` has nothing to report. Each case imports the
settings in a fresh interpreter with only the given environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "minside.kommune.example",
    "DATABASE_URL": "postgres://minside@db.kommune.example:5432/minside",
    "REDIS_URL": "redis://redis.kommune.example:6379/0",
}


def run(args, env):
    # Only PATH from the outside: nothing from the developer's shell may leak in.
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env})


def import_settings(env):
    return run(["-c", "import minside.settings"], env)


def test_production_with_everything_set_starts():
    result = import_settings(PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("change", "message"), [
    ({"SECRET_KEY": None}, "Production needs SECRET_KEY"),
    ({"SECRET_KEY": "too-short"}, "Production needs SECRET_KEY"),
    ({"ALLOWED_HOSTS": None}, "Production needs ALLOWED_HOSTS"),
    ({"DATABASE_URL": None}, "Production needs DATABASE_URL"),
    ({"DATABASE_URL": "sqlite:////tmp/minside.sqlite3"}, "Production needs PostgreSQL"),
    ({"REDIS_URL": None}, "Production needs REDIS_URL"),
    ({"TEST_IDPORTEN_ENABLED": "true"}, "Test ID-porten can never be enabled in production"),
    ({"DEBUG": "true"}, "DEBUG must be off in production"),
])
def test_production_refuses_to_start_without(change, message):
    env = {**PRODUCTION, **change}
    env = {k: v for k, v in env.items() if v is not None}
    result = import_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_unknown_environment_name_is_refused():
    result = import_settings({"DJANGO_ENV": "prod"})
    assert result.returncode != 0 and "DJANGO_ENV must be" in result.stderr


def test_check_deploy_reports_nothing_in_production():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                 {**PRODUCTION, "IDPORTEN_CLIENT_ID": "minside-client", "IDPORTEN_CLIENT_SECRET": "s"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_turns_on_secure_cookies_hsts_and_mfa():
    code = ("import minside.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_HSTS_SECONDS >= 31536000, s.STAFF_MFA_REQUIRED, s.TEST_IDPORTEN_ENABLED, "
            "s.ALLOW_SYNTHETIC_NATIONAL_IDS, s.DEBUG)")
    result = run(["-c", code], PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "True", "False", "False", "False"], result.stderr


def test_no_environment_means_sqlite_and_in_process_tasks():
    code = ("import minside.settings as s; print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
            "s.TEST_IDPORTEN_ENABLED, s.EMAIL_BACKEND)")
    result = run(["-c", code], {})
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True",
                                     "django.core.mail.backends.console.EmailBackend"], result.stderr


def test_idporten_is_configured_from_the_environment():
    code = ("import minside.settings as s; app = s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0]; "
            "print(app['provider_id'], app['settings']['server_url'], app['settings']['oauth_pkce_enabled'], "
            "' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'][1:]))")
    result = run(["-c", code], {**PRODUCTION, "IDPORTEN_CLIENT_ID": "c", "IDPORTEN_ISSUER": "https://idporten.no"})
    assert result.stdout.split() == ["idporten", "https://idporten.no", "True",
                                     "https://idporten.no", "https://login.idporten.no"], result.stderr
