"""Min Side settings, read from the environment (12-factor).

No environment at all: SQLite, in-process background tasks, console e-mail, test ID-porten.
DATABASE_URL / REDIS_URL switch to PostgreSQL and Redis. DJANGO_ENV=production refuses to
start without real secrets, PostgreSQL and Redis. Every variable is listed in .env.example.
"""

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in ("development", "test", "production"):
    raise ImproperlyConfigured("DJANGO_ENV must be development, test or production")
PRODUCTION = DJANGO_ENV == "production"

INSECURE_DEV_KEY = "django-insecure-min-side-development-only"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEV_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION and DJANGO_ENV != "test")
# ".localhost": the demo municipalities are served on drammen.localhost etc. (browsers resolve
# every *.localhost to 127.0.0.1). Production lists each municipality's host (or ".minside.example").
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", ".localhost",
                                                                          "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Production's requirements (real secrets, PostgreSQL, Redis, real adapters, https SITE_URL …)
# are checked at the end of this module (minside/guards.py).

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "minside",
    "core",
    "accounts",
    "registers",
    "applications",
    "cases",
    "correspondence",
    "notifications",
    "archive",  # live archiving to the municipality's Noark 5 archive, deposit packages
    # The municipal services, one package each (applications.types.register in their AppConfig).
    "kindergarten",
    "building_permit",
    "sfo",
    "insights",  # the managers' statistics
]

MIDDLEWARE = [
    # First: the load balancer's probe answers before host checks and the https redirect.
    "minside.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "minside.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which municipality the request belongs to (from the host), and its scope (accounts.tenancy).
    "accounts.middleware.MunicipalityMiddleware",
    "accounts.middleware.ActingPartyMiddleware",
    "core.middleware.RegisterSnapshotMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A file store that is down is a 503 page, not a 500.
    "minside.middleware.StorageUnavailableMiddleware",
    # Last, so a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minside.urls"
WSGI_APPLICATION = "minside.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minside.context_processors.portal",
                # What apps contribute (core.context): e.g. the header's unread count.
                "core.context.contributed",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
DATABASES = {
    "default": env.db_url_config(DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A new authenticated connection per request made a one-query view ~17x slower here.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction pooling mode, server-side cursors (.iterator()) break.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str("TEST_DATABASE_NAME", default=None)
    if not DATABASES["default"]["TEST"]["NAME"]:
        del DATABASES["default"]["TEST"]["NAME"]
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache, Celery -----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
# Without a broker, tasks run in-process (make run, most tests).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = "default"
# Queues: sending, pdf, casework, periodic, default. Each app declares its tasks' queues in its
# tasks module (`task_queues`); core.discovery.route_task routes by them.
CELERY_TASK_ROUTES = ["core.discovery.route_task"]
# A broker that is down must cost a request milliseconds, not seconds: every publish from a
# request has a durable row behind it and a sweeper (core/enqueue.py). kombu's defaults retry
# the connection for broker_connection_timeout (4 s) on each publish: 12 s for a letter, 18 s for
# a submission with Redis stopped (bench/broker_down.py). Now: one immediate reconnect, then fail.
# The worker's own connection keeps retrying (CELERY_BROKER_CONNECTION_MAX_RETRIES, default 100).
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0  # seconds
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,  # publish connects
    "socket_connect_timeout": 1,  # a host that drops packets instead of refusing
    "socket_timeout": 10,  # a dead connection fails a publish instead of hanging (> brpop timeout, 1 s)
    "socket_keepalive": True,
}
# Publishes with retry=True (e.g. a sweeper's .delay()): a short retry, then the error.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TIMEZONE = "Europe/Oslo"
# Periodic work is scheduled once however many beat processes run: celery-redbeat keeps the
# schedule in Redis and holds a lock there; a second beat waits (standby) and takes over when
# the first stops renewing the lock (CELERY_REDBEAT_LOCK_TIMEOUT). Nothing on a node's disk.
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = env.str("CELERY_REDBEAT_REDIS_URL", default=REDIS_URL)
    CELERY_REDBEAT_REDIS_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 10, "retry_period": 60}
    CELERY_REDBEAT_KEY_PREFIX = env.str("CELERY_REDBEAT_KEY_PREFIX", default="minside:redbeat:")
    # Beat wakes at least this often (seconds), renewing the lock each time; a standby tries to
    # take the lock as often. A beat killed without releasing it is replaced after the timeout.
    CELERY_BEAT_MAX_LOOP_INTERVAL = env.int("CELERY_BEAT_MAX_LOOP_INTERVAL", default=5)
    CELERY_REDBEAT_LOCK_TIMEOUT = env.int("CELERY_REDBEAT_LOCK_TIMEOUT", default=30)

# --- Auth -------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = env.list("PASSWORD_HASHERS", default=[
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
])
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"

# allauth: staff log in with e-mail + password (+ TOTP); citizens only through ID-porten.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# django-axes locks an address out after AXES_FAILURE_LIMIT failures (its lockout page);
# allauth's own limit is the wider net against guessing across many addresses from one IP.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/5m/ip,10/5m/key"}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.IDPortenSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
# Our labels on allauth's staff forms (translated; allauth has no nynorsk).
ACCOUNT_FORMS = {"login": "accounts.forms.StaffLoginForm", "reauthenticate": "accounts.forms.StaffReauthenticateForm"}
MFA_FORMS = {"authenticate": "accounts.forms.OneTimeCodeForm", "activate_totp": "accounts.forms.ActivateOneTimeCodeForm"}
MFA_TOTP_ISSUER = "Min Side"
# Staff must have TOTP in production; in development it is offered but optional.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=PRODUCTION)

# ID-porten (OpenID Connect). See ../shared/domain/NORWAY.md and accounts/idporten.py.
IDPORTEN_ISSUER = env.str("IDPORTEN_ISSUER", default="https://test.idporten.no")
IDPORTEN_CLIENT_ID = env.str("IDPORTEN_CLIENT_ID", default="")
IDPORTEN_CLIENT_SECRET = env.str("IDPORTEN_CLIENT_SECRET", default="")
IDPORTEN_ACR_VALUES = env.str("IDPORTEN_ACR_VALUES", default="idporten-loa-substantial")
# Lowest acceptable security level; a token with a lower `acr` is refused.
IDPORTEN_MIN_ACR = env.str("IDPORTEN_MIN_ACR", default=IDPORTEN_ACR_VALUES)
# ID-porten asks clients to cache its discovery document (about a day).
IDPORTEN_DISCOVERY_CACHE_SECONDS = env.int("IDPORTEN_DISCOVERY_CACHE_SECONDS", default=24 * 3600)
# ID tokens: the signing algorithms we accept, and how far apart the clocks may be.
IDPORTEN_ID_TOKEN_ALGORITHMS = ["RS256"]
IDPORTEN_CLOCK_SKEW_SECONDS = env.int("IDPORTEN_CLOCK_SKEW_SECONDS", default=30)
# How long ID-porten's session id is mapped to ours, for front-channel logout.
IDPORTEN_SID_TTL_SECONDS = env.int("IDPORTEN_SID_TTL_SECONDS", default=12 * 3600)
# Where the login form's redirect may go (CSP form-action): the issuer and its login host
# (ID-porten's authorization endpoint is on login.<issuer host>).
IDPORTEN_FORM_ACTION_ORIGINS = env.list("IDPORTEN_FORM_ACTION_ORIGINS", default=[
    IDPORTEN_ISSUER.rstrip("/"), IDPORTEN_ISSUER.rstrip("/").replace("https://", "https://login.", 1),
])
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "idporten",
                "name": "ID-porten",
                "client_id": IDPORTEN_CLIENT_ID,
                "secret": IDPORTEN_CLIENT_SECRET,
                "settings": {
                    "server_url": IDPORTEN_ISSUER,
                    "token_auth_method": "client_secret_post",
                    "oauth_pkce_enabled": True,
                    "scope": ["openid", "profile"],
                    "auth_params": {"acr_values": IDPORTEN_ACR_VALUES},
                    # Everything we need is in the ID token (pid, acr); names come from the register.
                    "fetch_userinfo": False,
                },
            }
        ] if IDPORTEN_CLIENT_ID else [],
    }
}
# "Test ID-porten": pick a demo person instead of logging in (like ID-porten's TestID).
TEST_IDPORTEN_ENABLED = env.bool("TEST_IDPORTEN_ENABLED", default=not PRODUCTION)  # never in production (guards)
ALLOW_SYNTHETIC_NATIONAL_IDS = env.bool("ALLOW_SYNTHETIC_NATIONAL_IDS", default=not PRODUCTION)

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth authenticates with email=...; count failures per address, whatever the form calls it.
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# --- External systems: adapters chosen here, local implementations by default ---------------
POPULATION_REGISTER_ADAPTER = env.str("POPULATION_REGISTER_ADAPTER", default="registers.population.LocalPopulationRegister")
POPULATION_REGISTER_TIMEOUT = env.float("POPULATION_REGISTER_TIMEOUT", default=5.0)  # seconds
# Local register only: "" (normal), "unavailable" or "timeout", to try the portal's error paths.
POPULATION_REGISTER_SIMULATE = env.str("POPULATION_REGISTER_SIMULATE", default="")
# notifications: contact register and delivery channels (registers/krr.py, sms.py, ...).
KRR_ADAPTER = env.str("KRR_ADAPTER", default="registers.krr.LocalContactRegister")
KRR_LOCAL_UNAVAILABLE = env.bool("KRR_LOCAL_UNAVAILABLE", default=False)
KRR_CONTACT_FRESHNESS_DAYS = env.int("KRR_CONTACT_FRESHNESS_DAYS", default=548)  # 18 months
SMS_GATEWAY_ADAPTER = env.str("SMS_GATEWAY_ADAPTER", default="registers.sms.LocalSmsGateway")
DIGITAL_MAILBOX_ADAPTER = env.str("DIGITAL_MAILBOX_ADAPTER", default="registers.digital_mailbox.LocalDigitalMailbox")
PRINT_SERVICE_ADAPTER = env.str("PRINT_SERVICE_ADAPTER", default="registers.print_service.LocalPrintService")
# Where the local providers record what they "delivered" (see registers/delivery.py).
LOCAL_PROVIDER_SPOOL_DIR = env.str("LOCAL_PROVIDER_SPOOL_DIR", default=str(BASE_DIR / "media" / "local-providers"))
LOCAL_SMS_LATENCY_SECONDS = env.float("LOCAL_SMS_LATENCY_SECONDS", default=0.0)
# The local SMS gateway's delivery reports go here (e.g. SITE_URL + /varsler/leveringsstatus/); empty = none.
LOCAL_PROVIDER_CALLBACK_URL = env.str("LOCAL_PROVIDER_CALLBACK_URL", default="")
LOCAL_PROVIDER_CALLBACK_DELAY_SECONDS = env.float("LOCAL_PROVIDER_CALLBACK_DELAY_SECONDS", default=0.5)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30)
# Below the broker's visibility timeout (3600 s), so a countdown never outlives it.
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=1800)
# The sweeper re-queues rows left in `created` this long, and times out rows in `sending`.
NOTIFICATIONS_REQUEUE_AFTER_SECONDS = env.int("NOTIFICATIONS_REQUEUE_AFTER_SECONDS", default=120)
NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = env.int("NOTIFICATIONS_SENDING_TIMEOUT_SECONDS", default=600)
NOTIFICATIONS_EMAIL_TIMEOUT_SECONDS = env.int("NOTIFICATIONS_EMAIL_TIMEOUT_SECONDS", default=10)
NOTIFICATIONS_REMINDER_DAYS = env.int("NOTIFICATIONS_REMINDER_DAYS", default=7)
# Shared secret the SMS gateway / mailbox provider sends with delivery reports; empty = off.
NOTIFICATIONS_CALLBACK_TOKEN = env.str("NOTIFICATIONS_CALLBACK_TOKEN", default="" if PRODUCTION else "local-callback-token")
PROPERTY_REGISTER_ADAPTER = env.str("PROPERTY_REGISTER_ADAPTER", default="registers.property.LocalPropertyRegister")

# archive: the municipality's Noark 5 archive through KS Fiks Arkiv (registers/archive.py).
ARCHIVE_ADAPTER = env.str("ARCHIVE_ADAPTER", default="registers.archive.LocalArchive")
# KS's own Fiks Arkiv V1 schemas (a download of Schema/V1/), used instead of our structural rules.
ARCHIVE_FIKS_SCHEMA_DIR = env.str("ARCHIVE_FIKS_SCHEMA_DIR", default="")
# Who we are to the archive (archive/conf.py; the organisation number defaults to MUNICIPALITY_NUMBER).
ARCHIVE_SYSTEM_NAME = env.str("ARCHIVE_SYSTEM_NAME", default="MinSide")
ARCHIVE_CREATOR_ID = env.str("ARCHIVE_CREATOR_ID", default="")
ARCHIVE_TITLE = env.str("ARCHIVE_TITLE", default="")
ARCHIVE_SERIES_CODE = env.str("ARCHIVE_SERIES_CODE", default="SAK")
ARCHIVE_SERIES_TITLE = env.str("ARCHIVE_SERIES_TITLE", default="Saksarkiv – Min Side")
ARCHIVE_REGISTRY_UNIT = env.str("ARCHIVE_REGISTRY_UNIT", default="")
# Internal notes as internal registry entries (journalposttype X) when the municipality wants them.
ARCHIVE_INTERNAL_NOTES = env.bool("ARCHIVE_INTERNAL_NOTES", default=False)
# With the backoff capped at 30 minutes, 60 attempts keep trying for about a day.
ARCHIVE_MAX_ATTEMPTS = env.int("ARCHIVE_MAX_ATTEMPTS", default=60)
ARCHIVE_RETRY_BASE_SECONDS = env.int("ARCHIVE_RETRY_BASE_SECONDS", default=30)
ARCHIVE_RETRY_MAX_SECONDS = env.int("ARCHIVE_RETRY_MAX_SECONDS", default=1800)  # below the visibility timeout
# The sweeper re-queues messages left in `created` this long, retries rows stuck in `sending`,
# and sends again messages the archive has not answered with a receipt.
ARCHIVE_REQUEUE_AFTER_SECONDS = env.int("ARCHIVE_REQUEUE_AFTER_SECONDS", default=120)
ARCHIVE_SENDING_TIMEOUT_SECONDS = env.int("ARCHIVE_SENDING_TIMEOUT_SECONDS", default=600)
ARCHIVE_REPLY_TIMEOUT_SECONDS = env.int("ARCHIVE_REPLY_TIMEOUT_SECONDS", default=6 * 3600)

# --- Applications -----------------------------------------------------------------------------
# Drafts not touched for this many days are deleted by applications.tasks.periodic_delete_expired_drafts.
APPLICATION_DRAFT_DAYS = env.int("APPLICATION_DRAFT_DAYS", default=90)
# The sweeper (applications.tasks.periodic_automated_checks_sweep, every 5 minutes) runs the
# automated checks of cases left in `received` without a check for longer than this (the task
# after submit was lost). A service's own settings are read by its package (e.g. kindergarten/conf.py).
CASES_AUTOMATED_CHECK_SWEEP_MINUTES = env.int("CASES_AUTOMATED_CHECK_SWEEP_MINUTES", default=10)

# --- insights: the managers' statistics -------------------------------------------------------
# Paper applications per type per year the municipality still receives outside Min Side (its
# own estimate, "<type key>=<number>,..."); a type without one uses the estimate its service gives.
INSIGHTS_PAPER_APPLICATIONS_PER_YEAR = {
    key: int(value) for key, value in env.dict("INSIGHTS_PAPER_APPLICATIONS_PER_YEAR", default={}).items()
}
# Printing and postage per paper letter (NOK): what each letter delivered digitally saves.
INSIGHTS_COST_PER_PAPER_LETTER_NOK = env.float("INSIGHTS_COST_PER_PAPER_LETTER_NOK", default=25.0)
# A draft untouched this many days counts as abandoned in the statistics.
INSIGHTS_DRAFT_ABANDONED_AFTER_DAYS = env.int("INSIGHTS_DRAFT_ABANDONED_AFTER_DAYS", default=30)

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
if not PRODUCTION:
    # Serve static files straight from the app and static/ dirs (no collectstatic outside
    # production); also silences whitenoise's "No directory at: staticfiles/" warning.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
# Hashed, compressed static files (production, and the image build, which runs outside production).
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=PRODUCTION)

# Files (uploads, letter PDFs, print batches) go through Django's storage API: S3-compatible
# object storage when STORAGE_URL or AWS_STORAGE_BUCKET_NAME is set, the local MEDIA_ROOT
# otherwise (development stays zero-setup). STORAGE_URL=s3://<bucket>[/<prefix>][?endpoint_url=
# https://s3.example&region=<region>&addressing_style=path]; each part can also be given as
# AWS_* (which wins). Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or boto3's own
# chain (instance role) when they are empty. Objects are private (no ACL is sent, so the
# bucket's default, private, applies) and never get public URLs: the portal checks access and
# streams them (core/storage.py).
STORAGE_URL = env.str("STORAGE_URL", default="")
_storage_url = urlsplit(STORAGE_URL)
if STORAGE_URL and _storage_url.scheme != "s3":
    raise ImproperlyConfigured("STORAGE_URL must be s3://<bucket>[/<prefix>][?endpoint_url=...&region=...].")
_storage_query = dict(parse_qsl(_storage_url.query))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default=_storage_url.netloc)
AWS_LOCATION = env.str("AWS_LOCATION", default=_storage_url.path.strip("/"))
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=_storage_query.get("endpoint_url", ""))
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=_storage_query.get("region", ""))
# MinIO, Ceph and most S3-compatible stores want path-style addressing; AWS takes either.
AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE",
                                  default=_storage_query.get("addressing_style", "path" if AWS_S3_ENDPOINT_URL else "auto"))
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="")
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="")
# A store that is down must cost a request seconds, not minutes (boto3's defaults: 60 s
# timeouts, several retries): one retry, then a clear error (core.storage.StorageUnavailable).
AWS_S3_CONNECT_TIMEOUT = env.float("AWS_S3_CONNECT_TIMEOUT", default=2.0)  # seconds
AWS_S3_READ_TIMEOUT = env.float("AWS_S3_READ_TIMEOUT", default=10.0)  # seconds
AWS_S3_MAX_ATTEMPTS = env.int("AWS_S3_MAX_ATTEMPTS", default=2)
FILE_STORAGE = "s3" if AWS_STORAGE_BUCKET_NAME else "local"


def s3_storage_config(*, bucket: str, location: str = "", endpoint_url: str = "", region: str = "",
                      access_key: str = "", secret_key: str = "", addressing_style: str = "auto",
                      connect_timeout: float = 2.0, read_timeout: float = 10.0, max_attempts: int = 2) -> dict:
    """STORAGES["default"] for S3-compatible object storage (also used by the tests' S3 server)."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": location,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "addressing_style": addressing_style if addressing_style != "auto" else None,
            "signature_version": "s3v4",
            # Private: no ACL header at all (public-read is never sent), and never a public URL.
            "default_acl": None,
            "querystring_auth": True,
            # Never overwrite an object: a letter's archival PDF is written once (like the disk).
            "file_overwrite": False,
            "client_config": Config(
                connect_timeout=connect_timeout, read_timeout=read_timeout,
                retries={"max_attempts": max_attempts, "mode": "standard"},
                s3={"addressing_style": addressing_style}, signature_version="s3v4",
            ),
        },
    }


if FILE_STORAGE == "s3":
    _default_storage = s3_storage_config(
        bucket=AWS_STORAGE_BUCKET_NAME, location=AWS_LOCATION, endpoint_url=AWS_S3_ENDPOINT_URL,
        region=AWS_S3_REGION_NAME, access_key=AWS_ACCESS_KEY_ID, secret_key=AWS_SECRET_ACCESS_KEY,
        addressing_style=AWS_S3_ADDRESSING_STYLE, connect_timeout=AWS_S3_CONNECT_TIMEOUT,
        read_timeout=AWS_S3_READ_TIMEOUT, max_attempts=AWS_S3_MAX_ATTEMPTS)
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# How many web nodes serve the portal (docker-compose.yml runs this many `web` replicas). More
# than one needs object storage: a file uploaded through one node is read through another.
WEB_NODES = env.int("WEB_NODES", default=1)

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Min Side <ikke-svar@kommune.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Min Side API",
    "DESCRIPTION": "The citizen's own cases and the caseworkers' queue.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served by us (no CDN), its script as a file so the CSP needs no inline script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security --------------------------------------------------------------------------------
# Sessions in the cache (Redis in production) with the database behind it: any web node can
# serve any request, and a Redis restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "minside.views.csrf_failure"  # in the portal's layout, translated
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *(IDPORTEN_FORM_ACTION_ORIGINS if IDPORTEN_CLIENT_ID else [])],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}

# --- Logging: national identity numbers never reach a log line ---------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_national_ids": {"()": "minside.logging.RedactNationalIdsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_national_ids"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# How long each process trusts its copy of the municipalities and their host names
# (accounts.tenancy); a change in the admin is seen at once by the process that made it.
MUNICIPALITY_CACHE_SECONDS = env.int("MUNICIPALITY_CACHE_SECONDS", default=30)

# --- The first municipality (upgrade from a single-municipality installation) -----------------
# Every municipal choice is data on accounts.Municipality, edited in the admin. These variables
# are read once, by the data migration accounts/0003 that turns an existing installation's
# settings into its first municipality (with SITE_URL's host as its host name); nothing else reads
# them. SITE_URL gives links in notices their scheme (https://) and, on that upgrade, the first
# municipality's host name; each municipality's links use its own host.
MUNICIPALITY_NAME = env.str("MUNICIPALITY_NAME", default="Eksempel kommune")
MUNICIPALITY_NUMBER = env.str("MUNICIPALITY_NUMBER", default="3301")
MUNICIPALITY_CONTACT_EMAIL = env.str("MUNICIPALITY_CONTACT_EMAIL", default="postmottak@kommune.example")
MUNICIPALITY_PHONE = env.str("MUNICIPALITY_PHONE", default="32 00 00 00")


if DJANGO_ENV == "test":
    # Tests clear the table themselves (conftest) and when they change a municipality (signals);
    # a reload in the middle of a measured request would only blur its query count.
    MUNICIPALITY_CACHE_SECONDS = 3600
    # Hashing strength is not what tests are about; speed is.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media" / "test")))

# --- Production fails closed ---------------------------------------------------------------------
# Every problem at once, each naming its setting (minside/guards.py); no process starts with any.
from minside import guards as _guards  # noqa: E402

PRODUCTION_PROBLEMS = _guards.production_problems(globals()) if PRODUCTION else []
if PRODUCTION_PROBLEMS and not _guards.REPORT_ONLY:
    raise ImproperlyConfigured(_guards.refusal_message(PRODUCTION_PROBLEMS))
