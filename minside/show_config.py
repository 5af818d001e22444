"""Show the whole effective configuration, secrets masked, and what production would refuse.

    python -m minside.show_config          # docker/entrypoint.sh config; docker compose run --rm migrate config

Every setting the portal runs with (after defaults and the environment are applied), one per
line, sorted. Secrets (names with SECRET, PASSWORD, TOKEN or KEY, and passwords inside URLs)
show as "****". It works on an installation that refuses to start, so the operator can see
why: the problems are listed at the end, and the exit status is 1 while there are any.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from urllib.parse import urlsplit, urlunsplit

MASK = "****"
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|(^|_)KEY($|_ID)|ACCESS_KEY|PRIVATE", re.IGNORECASE)
NOT_SECRET = {"CELERY_REDBEAT_KEY_PREFIX", "PASSWORD_HASHERS", "AUTH_PASSWORD_VALIDATORS", "PASSWORD_RESET_TIMEOUT"}


def _mask_url(value: str) -> str:
    try:
        parts = urlsplit(value)
    except ValueError:
        return value
    if not parts.scheme or not parts.password:
        return value
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:{MASK}@{host}"))


def mask(name: str, value):
    """`value` with every secret in it replaced by MASK (recursing into dicts and lists)."""
    secret = name not in NOT_SECRET and SECRET_NAME.search(name)
    if isinstance(value, dict):
        return {k: mask(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask(name, v) for v in value)
    if isinstance(value, str):
        return MASK if secret and value else _mask_url(value)
    return value


def effective_settings(module) -> dict:
    return {name: mask(name, getattr(module, name)) for name in sorted(dir(module))
            if name.isupper() and not name.startswith("_")}


def main(out=sys.stdout) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minside.settings")
    from minside import guards

    guards.REPORT_ONLY = True  # this process only: list the problems instead of refusing
    settings = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    values = effective_settings(settings)
    storage = (f"S3 bucket {settings.AWS_STORAGE_BUCKET_NAME!r} at {settings.AWS_S3_ENDPOINT_URL or 'AWS'}"
               if settings.FILE_STORAGE == "s3" else f"local disk {settings.MEDIA_ROOT}")
    out.write(f"# Min Side configuration (DJANGO_ENV={settings.DJANGO_ENV})\n")
    out.write(f"# files: {storage}; web nodes: {settings.WEB_NODES}; "
              f"beat: {getattr(settings, 'CELERY_BEAT_SCHEDULER', 'none (no Redis: tasks run in-process)')}\n")
    for name, value in values.items():
        out.write(f"{name} = {value!r}\n")
    problems = getattr(settings, "PRODUCTION_PROBLEMS", [])
    if settings.PRODUCTION:
        if problems:
            out.write("\n# Production would refuse to start:\n")
            out.writelines(f"#  - {problem}\n" for problem in problems)
        else:
            out.write("\n# Production: nothing missing.\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
