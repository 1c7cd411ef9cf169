"""
Confide settings: one module, every deploy-time value from the environment.

A secret may also be given as a file: `SECRET_KEY_FILE=/run/secrets/secret_key`
is read when `SECRET_KEY` is not set. With DEBUG off, a missing secret or a
development key stops the process at start with a message naming the variable;
only local mode (CONFIDE_LOCAL=1, `make run`, loopback only) takes development
keys with DEBUG off.
"""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Django's generic classes (model fields, ModelAdmin, ...) accept type parameters
# at run time, as the type checker has them (`models.TextField[str, str]`).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

# Development keys written by `make run` start with these markers, so that a
# production process can tell them apart and refuse them.
DEV_SECRET_PREFIX = "django-insecure-"  # noqa: S105 - a marker, not a secret
DEV_KEY_ID_PREFIX = "dev"


def env(name: str, default: str = "") -> str:
    """A value from the environment, or from the file named by NAME_FILE. An
    empty variable counts as unset, so it never hides a NAME_FILE."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Local mode (`make run`): the production server, on this machine only. DEBUG
# stays off (no debug pages), but development keys and plain HTTP are allowed,
# because the site answers only to the loopback names (ALLOWED_HOSTS below) and
# config/gunicorn.py refuses to bind to any address but a loopback one.
LOCAL = env_bool("CONFIDE_LOCAL")
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Production: HTTPS only (secure cookies, redirects, HSTS).
HTTPS_ONLY = not DEBUG and not LOCAL


def require_secret(name: str, *, is_development: Callable[[str], bool]) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Set it in the environment (or {name}_FILE); "
            "for development, `make run` writes keys to var/dev.env."
        )
    if not DEBUG and not LOCAL and is_development(value):
        raise ImproperlyConfigured(
            f"{name} holds a development key, and DEBUG is off (and CONFIDE_LOCAL is not set). "
            f"Generate a production key for {name}; see README.md."
        )
    return value


SECRET_KEY = require_secret("SECRET_KEY", is_development=lambda v: v.startswith(DEV_SECRET_PREFIX))
# "id:base64key,id:base64key": the first key encrypts, every key decrypts.
FIELD_ENCRYPTION_KEYS = require_secret(
    "FIELD_ENCRYPTION_KEYS",
    is_development=lambda v: any(item.strip().startswith(DEV_KEY_ID_PREFIX) for item in v.split(",")),
)
BLIND_INDEX_KEY = require_secret("BLIND_INDEX_KEY", is_development=lambda v: v.startswith(DEV_KEY_ID_PREFIX))
# "id:base64key,id:base64key", newest first: the audit trail's keys (audit/chain.py).
# The first key seals new entries; older ones stay to verify what they sealed.
AUDIT_CHAIN_KEYS = require_secret(
    "AUDIT_CHAIN_KEYS",
    is_development=lambda v: any(item.strip().startswith(DEV_KEY_ID_PREFIX) for item in v.split(",")),
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if LOCAL:
    if set(ALLOWED_HOSTS) - set(LOOPBACK_HOSTS):
        raise ImproperlyConfigured(
            f"ALLOWED_HOSTS names {', '.join(sorted(set(ALLOWED_HOSTS) - set(LOOPBACK_HOSTS)))}, "
            "and CONFIDE_LOCAL is set: local mode answers only to this machine's loopback names."
        )
    ALLOWED_HOSTS = LOOPBACK_HOSTS
elif not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set, and DEBUG is off: name the host names this site answers to."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, as django-otp's OTPAdminSite: only staff verified by a device (config/apps.py).
    "config.apps.TwoFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crypto",
    # Timed work: runs the jobs that apps declare in their jobs.py (run_due_jobs).
    "jobs",
    "guardian",
    # Before auditlog, so that its flush command is replaced by ours (which refuses).
    "audit",
    "auditlog",
    "access",
    "records",
    "portal",
    "sharing",
    "governance",
    # Forms that create something are saved once, however often they are sent.
    "submissions",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below), and the health
    # checks monitors call (config/health.py).
    "csp",
    "health_check",
    # Sign-in: django-otp's framework (our devices are in access/models/devices.py) and
    # django-axes' failed-attempt counter (config/sign_in_settings.py).
    "django_otp",
    "django_otp_webauthn",  # passkeys and security keys (after access: it reads the user model)
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (docs/security.md).
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "access.middleware.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "access.middleware.AccessFactsMiddleware",
    # Two-factor: who must give a code before anything else, and the step-up (access/views/step_up.py).
    "access.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.context.RequestIdMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "access.middleware.NoStoreForSignedInMiddleware",
    "access.middleware.NotAllowedIsNotFoundMiddleware",
    "portal.middleware.PortalSeparationMiddleware",
    # After signing in, someone with a policy to read sees it first (governance/middleware.py).
    "governance.middleware.PoliciesFirstMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "records.context_processors.navigation",
                "access.context_processors.files_closed",
                "governance.context_processors.policies_to_read",
            ],
        },
    },
]

# The embedded default keeps `make run` free of servers; production and CI
# set DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'confide.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Take the write lock when a transaction starts, not half way: concurrent
    # requests then wait their turn instead of failing with "database is locked".
    # Write-ahead logging lets readers go on while one process writes (and
    # survives a crash; NORMAL syncs at checkpoints, as WAL is designed for);
    # a request waits up to SQLITE_TIMEOUT seconds for its turn to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": float(env("SQLITE_TIMEOUT", "20")),
        }
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiler spends far longer compiling the plans of list
    # queries than running them (a child list at 15,000 children: 1.6 s with it,
    # 48 ms without; docs/performance.md): off for the app's connections.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
# Only access/ decides who may read a file. Guardian's backend is left out on
# purpose: user.has_perm(perm, obj) would answer from the permission rows
# without knowing a grant has expired, so nothing may rely on it.
# Lockout is checked first (access/services/lockout.py): a locked account is refused
# before its password is even tried.
AUTHENTICATION_BACKENDS = [
    "access.services.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]  # the backend is left out on purpose (above)
# No guardian "anonymous user" row: anonymous visitors have no access at all.
ANONYMOUS_USER_NAME = None
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Encrypted fields appear in change records as "[changed]", never with a value.
AUDITLOG_MASK_CALLABLE = "audit.masking.changed"
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_CID_GETTER = "audit.context.correlation_id"
# A process seals committed audit entries into the hash chain at most this often
# (audit/chain.py); run `manage.py seal_audit` every minute for quiet periods.
AUDIT_SEAL_INTERVAL_SECONDS = float(env("AUDIT_SEAL_INTERVAL_SECONDS", "1"))
# Where the job audit.head appends the chain's signed head every hour (a file
# on storage the database's administrators do not control); unset: no file.
AUDIT_HEAD_FILE = env("AUDIT_HEAD_FILE")
# Where monitors ask whether Confide is up (config/health.py): "ok" or "unavailable".
HEALTH_CHECK_URL = env("HEALTH_CHECK_URL", "health/").lstrip("/")
if not HEALTH_CHECK_URL.endswith("/"):
    raise ImproperlyConfigured(f"HEALTH_CHECK_URL={HEALTH_CHECK_URL} must end with /, like health/.")
# How many proxies in front of the application add to X-Forwarded-For. With 0
# the client address is REMOTE_ADDR and the header, which anyone can send, is ignored.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# --- Signing in: lockout (django-axes) and two-factor (django-otp), ADMIN_URL: every
# setting written down in config/sign_in_settings.py (docs/security.md, "Signing in").
from config.sign_in_settings import *  # noqa: E402, F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = 30 * 60
# Saved when it changes, and refreshed at most once a minute (access/middleware.py).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy and Permissions-Policy (config/header_settings.py).
from config.header_settings import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY  # noqa: E402, F401

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS_ONLY)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if HTTPS_ONLY else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS_ONLY)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Attachments are stored here encrypted; nothing is written here in plaintext.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"
# Or in S3-compatible object storage, which several app servers share
# (docs/deploy.md). Files are sealed before they reach storage, so the bucket
# only ever holds ciphertext. Without keys, boto3 finds its own credentials
# (an instance or task role).
ATTACHMENT_STORAGE = env("ATTACHMENT_STORAGE", "filesystem").strip().lower()
if ATTACHMENT_STORAGE == "s3":
    if not env("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is not set, and ATTACHMENT_STORAGE=s3: name the bucket."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "access_key": env("AWS_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_S3_SECRET_ACCESS_KEY") or None,
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,
            "location": env("AWS_LOCATION"),
            "default_acl": None,  # private: objects get the bucket's own policy
            "file_overwrite": False,
            "querystring_auth": True,  # never public URLs (none are handed out)
        },
    }
elif ATTACHMENT_STORAGE != "filesystem":
    raise ImproperlyConfigured(
        f"ATTACHMENT_STORAGE={ATTACHMENT_STORAGE} is not known: use filesystem (the default) or s3."
    )

# Uploads are held in memory up to the attachment limit and never spooled to
# disk in plaintext; anything larger is refused (crypto/uploads.py).
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = ["crypto.uploads.BoundedMemoryUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or LOCAL
    else "django.core.mail.backends.smtp.EmailBackend",
)
# For the file-based backend (development and tests): where messages are written.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Confide <confide@localhost>")
# The address people use, for links in e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Passkeys and security keys belong to SITE_URL's host name (config/sign_in_settings.py).
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = webauthn_relying_party(SITE_URL)  # noqa: F405
# Bank holidays and closure days (ISO dates, comma-separated): not counted as
# working days when deadlines such as sign-off are worked out.
NON_WORKING_DAYS = frozenset(d.strip() for d in env("NON_WORKING_DAYS", "").split(",") if d.strip())
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Policies' grace period, induction, emergency access (config/governance_settings.py).
from config.governance_settings import *  # noqa: E402, F403
from config.logging_settings import logging_settings  # noqa: E402

# Application logs carry identifiers, never personal data (config/logging_settings.py).
LOGGING = logging_settings(level=env("LOG_LEVEL", "INFO"))
