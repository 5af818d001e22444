"""DJANGO_ENV=production fails closed: it refuses to start without real secrets, PostgreSQL and
Redis, and when anything is local or half-configured (local adapters, console or catcher e-mail,
the default or a non-https SITE_URL, no ID-porten client, no callback token, eager Celery, local
disk with several web nodes), naming the setting; with everything set `manage.py check --deploy`
has nothing to report. Each case imports the settings in a fresh interpreter with only the given
environment. The operator's view of the configuration (show_config) masks every secret."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unreachable_adapters import ENVIRONMENT as REAL_ADAPTERS

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "minside.kommune.example",
    "DATABASE_URL": "postgres://minside@db.kommune.example:5432/minside",
    "REDIS_URL": "redis://redis.kommune.example:6379/0",
    "SITE_URL": "https://minside.kommune.example",
    "IDPORTEN_CLIENT_ID": "minside-client",
    "IDPORTEN_CLIENT_SECRET": "idporten-client-secret",
    "NOTIFICATIONS_CALLBACK_TOKEN": "callback-token",
    "EMAIL_URL": "smtp+tls://minside:smtp-password@smtp.kommune.example:587",
    "STORAGE_URL": "s3://minside-files?endpoint_url=https://s3.kommune.example&region=eu-north-1",
    **REAL_ADAPTERS,
}
# The settings production used to start with, and nothing else.
HALF_CONFIGURED = {name: PRODUCTION[name] for name in
                   ("DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")}


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
    ({"POPULATION_REGISTER_ADAPTER": None}, "POPULATION_REGISTER_ADAPTER: registers.population.LocalPopulationRegister is a local implementation"),
    ({"KRR_ADAPTER": "registers.krr.LocalContactRegister"}, "KRR_ADAPTER: registers.krr.LocalContactRegister is a local"),
    ({"PROPERTY_REGISTER_ADAPTER": None}, "PROPERTY_REGISTER_ADAPTER: registers.property.LocalPropertyRegister is a local"),
    ({"SMS_GATEWAY_ADAPTER": None}, "SMS_GATEWAY_ADAPTER: registers.sms.LocalSmsGateway is a local"),
    ({"DIGITAL_MAILBOX_ADAPTER": None}, "DIGITAL_MAILBOX_ADAPTER: registers.digital_mailbox.LocalDigitalMailbox is a local"),
    ({"PRINT_SERVICE_ADAPTER": None}, "PRINT_SERVICE_ADAPTER: registers.print_service.LocalPrintService is a local"),
    ({"ARCHIVE_ADAPTER": None}, "ARCHIVE_ADAPTER: registers.archive.LocalArchive is a local"),
    ({"EMAIL_URL": None}, "EMAIL_URL: the e-mail backend prints e-mail to the console"),
    ({"EMAIL_URL": "consolemail://"}, "EMAIL_URL: the e-mail backend prints e-mail to the console"),
    ({"EMAIL_URL": "memorymail://"}, "EMAIL_URL: the e-mail backend keeps e-mail in memory"),
    ({"EMAIL_URL": "smtp://mail:1025"}, "EMAIL_URL: mail:1025 is a mail catcher"),
    ({"EMAIL_URL": "smtp://127.0.0.1:1025"}, "EMAIL_URL: 127.0.0.1:1025 is a mail catcher"),
    ({"SITE_URL": None}, "SITE_URL: is the development default (http://127.0.0.1:8000)"),
    ({"SITE_URL": "http://127.0.0.1:8000/"}, "SITE_URL: is the development default"),
    ({"SITE_URL": "http://minside.kommune.example"}, "SITE_URL: 'http://minside.kommune.example' is not an https address"),
    ({"IDPORTEN_CLIENT_ID": None}, "IDPORTEN_CLIENT_ID, IDPORTEN_CLIENT_SECRET: the ID-porten client is missing"),
    ({"IDPORTEN_CLIENT_SECRET": None}, "IDPORTEN_CLIENT_ID, IDPORTEN_CLIENT_SECRET: the ID-porten client is missing"),
    ({"NOTIFICATIONS_CALLBACK_TOKEN": None}, "NOTIFICATIONS_CALLBACK_TOKEN: missing"),
    ({"CELERY_TASK_ALWAYS_EAGER": "true"}, "CELERY_TASK_ALWAYS_EAGER: background tasks would run inside web requests"),
    ({"STORAGE_URL": None, "WEB_NODES": "3"}, "STORAGE_URL: files are on this machine's disk while WEB_NODES=3"),
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


def test_local_disk_is_accepted_with_a_single_web_node():
    result = import_settings({k: v for k, v in PRODUCTION.items() if k != "STORAGE_URL"} | {"WEB_NODES": "1"})
    assert result.returncode == 0, result.stderr


def test_the_old_minimum_is_refused_with_every_missing_setting_named_at_once():
    result = import_settings(HALF_CONFIGURED)
    assert result.returncode != 0
    for setting in ("POPULATION_REGISTER_ADAPTER", "KRR_ADAPTER", "PROPERTY_REGISTER_ADAPTER", "SMS_GATEWAY_ADAPTER",
                    "DIGITAL_MAILBOX_ADAPTER", "PRINT_SERVICE_ADAPTER", "ARCHIVE_ADAPTER", "EMAIL_URL", "SITE_URL", "IDPORTEN_CLIENT_ID",
                    "NOTIFICATIONS_CALLBACK_TOKEN"):
        assert f"  - {setting}" in result.stderr, setting


@pytest.mark.parametrize("role", ["gunicorn", "celery worker", "celery beat", "manage.py migrate"])
def test_no_process_starts_half_configured(role):
    args = {"gunicorn": ["-m", "gunicorn", "--check-config", "minside.wsgi:application"],
            "celery worker": ["-m", "celery", "-A", "minside", "worker", "-l", "WARNING"],
            "celery beat": ["-m", "celery", "-A", "minside", "beat", "-l", "WARNING"],
            "manage.py migrate": ["manage.py", "migrate", "--check"]}[role]
    result = run(args, HALF_CONFIGURED)
    assert result.returncode != 0
    assert "Min Side refuses to start in production" in result.stdout + result.stderr


def test_every_local_implementation_is_recognised_as_local():
    """The guard knows the local adapters by their name (Local*): every class the registers
    package ships as the default of an *_ADAPTER setting follows that convention."""
    code = ("import minside.settings as s; from minside.guards import external_adapter_settings, is_local_adapter; "
            "print(' '.join(f'{k}={is_local_adapter(v)}' for k, v in sorted(external_adapter_settings(vars(s)).items())))")
    result = run(["-c", code], {})
    pairs = dict(item.split("=") for item in result.stdout.split())
    assert set(pairs) >= {"DIGITAL_MAILBOX_ADAPTER", "KRR_ADAPTER", "POPULATION_REGISTER_ADAPTER", "ARCHIVE_ADAPTER",
                          "PRINT_SERVICE_ADAPTER", "PROPERTY_REGISTER_ADAPTER", "SMS_GATEWAY_ADAPTER"}, result.stderr
    assert set(pairs.values()) == {"True"}


def test_development_and_tests_never_refuse():
    assert import_settings({"DJANGO_ENV": "development"}).returncode == 0
    assert import_settings({"DJANGO_ENV": "test", "WEB_NODES": "3"}).returncode == 0


def test_show_config_lists_the_effective_configuration_with_every_secret_masked():
    result = run(["-m", "minside.show_config"], PRODUCTION | {"AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEYID",
                                                            "AWS_SECRET_ACCESS_KEY": "aws-secret-value",
                                                            "REDIS_URL": "redis://:redis-password@redis:6379/0",
                                                            "DATABASE_URL": "postgres://minside:db-password@db/minside"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for secret in (PRODUCTION["SECRET_KEY"], "idporten-client-secret", "callback-token", "smtp-password",
                   "AKIAEXAMPLEKEYID", "aws-secret-value", "redis-password", "db-password"):
        assert secret not in out, secret
    assert "SITE_URL = 'https://minside.kommune.example'" in out
    assert "DATABASE_URL = 'postgres://minside:****@db/minside'" in out
    assert "SECRET_KEY = '****'" in out
    assert "# files: S3 bucket 'minside-files' at https://s3.kommune.example" in out
    assert "# Production: nothing missing." in out


def test_show_config_works_on_an_installation_that_refuses_to_start_and_lists_why():
    result = run(["-m", "minside.show_config"], HALF_CONFIGURED)
    assert result.returncode == 1
    assert "# Production would refuse to start:" in result.stdout
    assert "#  - SITE_URL: is the development default" in result.stdout
    assert "Traceback" not in result.stderr


def test_load_demo_data_refuses_to_run_in_production():
    result = run(["manage.py", "load_demo_data"], PRODUCTION)
    assert result.returncode != 0
    assert "load_demo_data refuses to run with DJANGO_ENV=production" in result.stderr
    assert "Demo data ready" not in result.stdout
