"""Production fails closed: what stops DJANGO_ENV=production from starting half-configured.

minside/settings.py calls `production_problems()` on its own values at the end and raises
ImproperlyConfigured listing every problem, each naming the setting to fix, so every process
(web, worker, beat, migrate, any manage.py command) refuses to start. No Django imports here:
this runs while the settings module is still being executed.

`python -m minside.show_config` (docker/entrypoint.sh config) sets REPORT_ONLY before importing
the settings, so an operator sees the whole effective configuration and the problems instead of
a traceback. It is a module flag, not an environment variable: nothing an operator sets can
switch the refusal off for a serving process.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Set only by minside.show_config, in its own process, before the settings are imported.
REPORT_ONLY = False

DEFAULT_SITE_URL = "http://127.0.0.1:8000"

# E-mail backends that never reach a person (console, memory, files, nothing).
NON_DELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "prints e-mail to the console",
    "django.core.mail.backends.locmem.EmailBackend": "keeps e-mail in memory",
    "django.core.mail.backends.filebased.EmailBackend": "writes e-mail to files",
    "django.core.mail.backends.dummy.EmailBackend": "throws e-mail away",
}
# Mail catchers (Mailpit, MailHog, MailCatcher) listen for SMTP on 1025; docker-compose.yml's
# catcher is the service `mail`.
MAIL_CATCHER_PORTS = {1025}
MAIL_CATCHER_HOSTS = {"mail", "mailpit", "mailhog", "mailcatcher"}

# allauth's adapters are classes of this project, not external systems.
NOT_EXTERNAL_ADAPTERS = {"ACCOUNT_ADAPTER", "SOCIALACCOUNT_ADAPTER", "MFA_ADAPTER"}


def is_local_adapter(dotted_path: str) -> bool:
    """The local implementations (registers/*.py) are all named Local<Something>; a real
    adapter is any other class (tests/test_settings_guards.py checks the convention)."""
    return dotted_path.rsplit(".", 1)[-1].startswith("Local")


def external_adapter_settings(values: dict) -> dict[str, str]:
    """Every `*_ADAPTER` setting that chooses an external system (registers, channels)."""
    return {name: value for name, value in values.items()
            if name.endswith("_ADAPTER") and name not in NOT_EXTERNAL_ADAPTERS and isinstance(value, str)}


def production_problems(values: dict) -> list[str]:
    """What is wrong for production in the settings `values` (the settings module's globals),
    one line per problem, each starting with the setting to fix. Empty when it may start."""
    problems: list[str] = []
    add = problems.append

    secret = values.get("SECRET_KEY", "")
    if secret == values.get("INSECURE_DEV_KEY") or len(secret) < 50:
        add("SECRET_KEY: Production needs SECRET_KEY: a random string of at least 50 characters.")
    if not values.get("ALLOWED_HOSTS"):
        add("ALLOWED_HOSTS: Production needs ALLOWED_HOSTS (comma-separated host names).")
    for required in ("DATABASE_URL", "REDIS_URL"):
        if not values.get(required):
            add(f"{required}: Production needs {required}.")
    database_url = values.get("DATABASE_URL") or ""
    if database_url and not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        add("DATABASE_URL: Production needs PostgreSQL in DATABASE_URL.")
    if values.get("DEBUG"):
        add("DEBUG: DEBUG must be off in production.")
    if values.get("TEST_IDPORTEN_ENABLED"):
        add("TEST_IDPORTEN_ENABLED: Test ID-porten can never be enabled in production.")

    for name, path in sorted(external_adapter_settings(values).items()):
        if is_local_adapter(path):
            add(f"{name}: {path} is a local implementation with demo data; set {name} to the real "
                "integration's adapter class.")

    backend = values.get("EMAIL_BACKEND", "")
    if backend in NON_DELIVERING_EMAIL_BACKENDS:
        add(f"EMAIL_URL: the e-mail backend {NON_DELIVERING_EMAIL_BACKENDS[backend]}; set EMAIL_URL to the "
            "municipality's SMTP relay (smtp+tls://user:password@host:587).")
    elif backend.endswith("smtp.EmailBackend") and (
            values.get("EMAIL_PORT") in MAIL_CATCHER_PORTS or str(values.get("EMAIL_HOST", "")).lower() in MAIL_CATCHER_HOSTS):
        add(f"EMAIL_URL: {values.get('EMAIL_HOST')}:{values.get('EMAIL_PORT')} is a mail catcher (nothing reaches a "
            "citizen); set EMAIL_URL to the municipality's SMTP relay.")

    site_url = values.get("SITE_URL", "")
    parsed = urlsplit(site_url)
    if site_url.rstrip("/") == DEFAULT_SITE_URL or not site_url:
        add(f"SITE_URL: is the development default ({DEFAULT_SITE_URL}); set it to the portal's public "
            "https address (it is the base of every link in notices and letters).")
    elif parsed.scheme != "https" or not parsed.hostname:
        add(f"SITE_URL: {site_url!r} is not an https address; links in notices must be https.")

    if not values.get("IDPORTEN_CLIENT_ID") or not values.get("IDPORTEN_CLIENT_SECRET"):
        add("IDPORTEN_CLIENT_ID, IDPORTEN_CLIENT_SECRET: the ID-porten client is missing; citizens could not "
            "log in (register one in Digdir's Samarbeidsportalen).")
    if not values.get("NOTIFICATIONS_CALLBACK_TOKEN"):
        add("NOTIFICATIONS_CALLBACK_TOKEN: missing; the providers' delivery reports would be refused (or "
            "accepted from anyone).")
    if values.get("CELERY_TASK_ALWAYS_EAGER"):
        add("CELERY_TASK_ALWAYS_EAGER: background tasks would run inside web requests; production runs them "
            "in workers (unset it).")
    if values.get("FILE_STORAGE") == "local" and int(values.get("WEB_NODES") or 1) > 1:
        add(f"STORAGE_URL: files are on this machine's disk while WEB_NODES={values.get('WEB_NODES')}; a file "
            "uploaded through one node could not be read through another. Set STORAGE_URL (S3-compatible "
            "object storage).")
    return problems


def refusal_message(problems: list[str]) -> str:
    return ("Min Side refuses to start in production (DJANGO_ENV=production) until these settings are "
            "fixed:\n  - " + "\n  - ".join(problems)
            + "\n`docker/entrypoint.sh config` (python -m minside.show_config) shows the whole configuration.")
