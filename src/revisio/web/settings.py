"""Django settings, all from the environment (README, "Configuration").

Embedded default: one process, a SQLite file and a media folder under ``REVISIO_DATA_DIR``
(default ``./var``), background work inline. Set ``DATABASE_URL`` for PostgreSQL and
``REVISIO_PRODUCTION=1`` for a deployment (it refuses to start without a secret key).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from revisio.web.env import env_bool, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/revisio
DATA_DIR = Path(env_str("REVISIO_DATA_DIR", "var")).resolve()
PRODUCTION = env_bool("REVISIO_PRODUCTION")
DEBUG = env_bool("REVISIO_DEBUG") and not PRODUCTION


def _secret_key() -> str:
    """The configured key; outside production, a random key kept in the data folder."""
    configured = env_secret("REVISIO_SECRET_KEY")
    if configured:
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured(
            "REVISIO_PRODUCTION=1 needs REVISIO_SECRET_KEY (or REVISIO_SECRET_KEY_FILE): refusing to start"
        )
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("REVISIO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("REVISIO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("REVISIO_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves its API docs from local static files instead of a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "revisio.accounts",
    "revisio.cases",
    "revisio.diary",
    "revisio.escalation",
    "revisio.dossier",
    "revisio.rights",
    "revisio.audit",
    "revisio.directory",
    "revisio.agency",
    "revisio.web",
]

MIDDLEWARE = [
    "revisio.web.metrics.MetricsMiddleware",  # first: its time includes every other middleware
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # before WhiteNoise, so static files carry the policy too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "revisio.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "revisio.accounts.middleware.SessionExpiryMiddleware",
    "revisio.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "revisio.audit.middleware.AuditMiddleware",  # after authentication: records who reached which case
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lockout into its page
]

ROOT_URLCONF = "revisio.web.urls"
WSGI_APPLICATION = "revisio.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# --- Database: SQLite in the data folder unless DATABASE_URL says otherwise -----------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'revisio.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high, which the dashboard's per-case EXISTS
    # checks make it: 0.9 s of compiling for 0.08 s of work on a 10,000-case agency (EXPLAIN ANALYZE). Short
    # web queries never repay it. A server-wide setting would do too; this one needs no access to the server.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (str(options.get("options", "")) + " -c jit=off").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "display_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# A session ends SESSION_COOKIE_AGE after sign-in however busy, and after the idle time without a request
# (both enforced by accounts.middleware.SessionExpiryMiddleware).
SESSION_COOKIE_AGE = env_int("REVISIO_SESSION_SECONDS", 14 * 24 * 3600, minimum=300)
REVISIO_SESSION_IDLE_SECONDS = min(env_int("REVISIO_SESSION_IDLE_SECONDS", 2 * 3600, minimum=60), SESSION_COOKIE_AGE)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout (django-axes): REVISIO_LOCKOUT_FAILURES failed sign-ins (wrong passwords and wrong codes alike) for one
# e-mail address from one client address lock that pair for REVISIO_LOCKOUT_MINUTES. Personal access tokens
# never pass through authenticate(), so axes does not touch the API's token sign-in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before any password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("REVISIO_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("REVISIO_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "revisio.accounts.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "revisio.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "revisio.accounts.views.locked_out"
# Failures are forgotten only after the whole sign-in (accounts.lockout.failures_forget), not after the password
# alone, which would let someone who knows it try codes without end.
AXES_RESET_ON_SUCCESS = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]
AXES_VERBOSE = False  # no banner on every start of the command line; failures and lockouts are still logged

# Two-factor sign-in (django-otp): an authenticator app (TOTP) and single-use backup codes.
OTP_TOTP_ISSUER = "Revisio"

# --- E-mail: printed to the console unless an SMTP host is configured ---------------------------------
EMAIL_HOST = env_str("REVISIO_SMTP_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("REVISIO_SMTP_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("REVISIO_SMTP_USER")
    EMAIL_HOST_PASSWORD = env_secret("REVISIO_SMTP_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("REVISIO_SMTP_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("REVISIO_FROM_EMAIL", "Revisio <no-reply@revisio.invalid>")

# --- Languages and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"  # stored times are aware UTC; the user's own zone is applied per request
USE_TZ = True

# --- Files ------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Media is never served by URL: every photo and document goes through a view that checks access.
# No URL pattern serves MEDIA_URL; it is set only because Django's tooling expects a string.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media-is-not-served/"
MAX_UPLOAD_BYTES = env_int("REVISIO_MAX_UPLOAD_MB", 25, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = env_int("REVISIO_MAX_PHOTO_MEGAPIXELS", 40, minimum=1) * 1_000_000

# --- Security ---------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The same strict policy in every mode, so a page that needs an inline script or style fails in development and
# in the browser tests, not first in production. Inline SVG may use presentation attributes (fill, stroke).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# The audit trail records X-Forwarded-For's first address instead of the peer's only behind a trusted proxy.
REVISIO_BEHIND_PROXY = env_bool("REVISIO_BEHIND_PROXY")
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("REVISIO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("REVISIO_HSTS_SECONDS", 31536000)
    # Health data: every subdomain of a Revisio host should be HTTPS-only too. The preload directive only
    # consents to preloading; nothing is preloaded until the domain's owner submits it at hstspreload.org. A
    # domain that must not be (e.g. it serves plain-HTTP subdomains) sets REVISIO_HSTS_PRELOAD=0 and accepts
    # check --deploy's warning W021.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("REVISIO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("REVISIO_HSTS_PRELOAD", True)
if REVISIO_BEHIND_PROXY:
    # Only a proxy that overwrites X-Forwarded-Proto may be trusted with it; without one, a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("REVISIO_LOG_LEVEL", "INFO")},
}
CSRF_FAILURE_VIEW = "revisio.web.views.csrf_failure"

# --- Background jobs ----------------------------------------------------------------------------------
# Inline: each job runs in the web process right after the transaction that queued it commits.
REVISIO_JOBS_ENABLED = env_bool("REVISIO_JOBS", True)

# --- Scale-out deployment (docs/deploy.md): each part switched on by its environment variables only ----
# Celery + Redis: with a broker URL, jobs go to ``revisio worker`` processes instead of running inline.
CELERY_BROKER_URL = env_secret("REVISIO_CELERY_BROKER_URL") or ""  # a password may be in it: _FILE works too
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("REVISIO_CELERY_BROKER_URL must be a Redis URL, e.g. redis://127.0.0.1:6379/0")
CELERY_TASK_DEFAULT_QUEUE = "revisio"  # also the Redis list whose length is the queue depth metric
CELERY_TASK_SERIALIZER = "json"  # never pickle: a message in Redis must not be able to run code
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # jobs record their outcome on their own rows
# A job is acknowledged when it ends, not when it starts: a worker killed mid-job (deploy, out of memory)
# leaves it in Redis to be delivered again, and jobs are idempotent (revisio.jobs).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # jobs take seconds to minutes: one at a time per process, fair
CELERY_TASK_TIME_LIMIT = env_int("REVISIO_JOB_TIME_LIMIT_SECONDS", 900, minimum=60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30  # the job gets an exception to record its failure
# Redis hands an unacknowledged job to another worker after this long: it must outlast the longest job.
# A broker that does not answer must not hold a web request for the operating system's connect timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 300, "socket_connect_timeout": 5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep LOGGING above
CELERY_TIMEZONE = TIME_ZONE


def s3_storage() -> dict[str, object] | None:
    """The default storage on an S3-compatible server when ``REVISIO_S3_BUCKET`` is set: private objects,
    never a public or signed URL (files are served only through Revisio's access-checking views)."""
    bucket = env_str("REVISIO_S3_BUCKET")
    if not bucket:
        return None
    from botocore.config import Config

    endpoint = env_str("REVISIO_S3_ENDPOINT_URL") or None
    # A self-hosted server (MinIO, Ceph, moto) is usually addressed by path; AWS by virtual host.
    style = env_str("REVISIO_S3_ADDRESSING_STYLE", "path" if endpoint else "virtual")
    if style not in ("path", "virtual", "auto"):
        raise ImproperlyConfigured(f"REVISIO_S3_ADDRESSING_STYLE={style!r}: use path, virtual or auto")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": env_str("REVISIO_S3_REGION") or None,
            "access_key": env_secret("REVISIO_S3_ACCESS_KEY_ID"),
            "secret_key": env_secret("REVISIO_S3_SECRET_ACCESS_KEY"),
            "location": env_str("REVISIO_S3_PREFIX").strip("/"),
            "default_acl": "private",
            "querystring_auth": True,  # were a URL ever made, it would be signed and expire, never public
            "file_overwrite": False,  # as on disk: a name already taken gets a suffix, nothing is replaced
            "client_config": Config(
                s3={"addressing_style": style},
                signature_version="s3v4",
                connect_timeout=5,
                read_timeout=60,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }


if _s3 := s3_storage():
    STORAGES["default"] = _s3

# Prometheus: /metrics answers only these addresses or networks (404 to anyone else).
REVISIO_METRICS_ALLOWED_IPS = env_list("REVISIO_METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
try:
    REVISIO_METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(entry, strict=False) for entry in REVISIO_METRICS_ALLOWED_IPS
    ]
except ValueError as _error:
    raise ImproperlyConfigured(f"REVISIO_METRICS_ALLOWED_IPS: {_error}") from None
# Load balancers probe over plain HTTP, and would take the HTTPS redirect for a failure.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
