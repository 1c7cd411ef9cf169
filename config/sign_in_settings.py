"""
Signing in: lockout (django-axes) and two-factor (django-otp); read by config/settings.py,
which adds the values derived from its own (the username key, the client address, the
admin's path). docs/security.md, "Signing in", says why each is so.

Every django-axes setting is written down here. Its defaults lock by IP address alone
after 3 failures, for ever: that would lock a whole nursery out, behind its one broadband
address, after three typos by anyone.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value} is not a whole number.") from None


AXES_ENABLED = True
# How many failures lock an account at one address (Cyber Essentials: no more than 10).
AXES_FAILURE_LIMIT = _number("SIGNIN_FAILURE_LIMIT", 5)
AXES_LOCK_OUT_AT_FAILURE = True
# An account from one address: colleagues behind the same address sign in as usual, and
# an attacker elsewhere locks only themselves out. Never the address alone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A lock lasts SIGNIN_COOL_OFF_MINUTES, doubling with each earlier lock of the same account
# from the same address in the past day, up to SIGNIN_COOL_OFF_MAX_MINUTES. Never for ever.
# (axes' own growing tiers are not in a release; the callable decides, per request.)
AXES_COOLOFF_TIME = "access.services.lockout.cool_off"
SIGNIN_COOL_OFF_MINUTES = _number("SIGNIN_COOL_OFF_MINUTES", 15)
SIGNIN_COOL_OFF_MAX_MINUTES = _number("SIGNIN_COOL_OFF_MAX_MINUTES", 24 * 60)
# Failures during a lock do not make it longer: otherwise an attacker keeps a person out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Signing in clears that account's failures at that address.
AXES_RESET_ON_SUCCESS = True
# Attempts are kept in the database by our handler, which keeps nothing that was typed
# or posted and lets each lock last its own length; a job removes old ones (access/jobs.py).
AXES_HANDLER = "access.services.lockout.LockoutHandler"
AXES_USE_ATTEMPT_EXPIRATION = False
# A browser the person signed in with before carries a signed cookie and signs in while
# an attacker at the same address is locked out; it has a failure counter of its own.
AXES_WHITELIST_CALLABLE = "access.services.lockout.is_trusted_browser"
SIGNIN_TRUSTED_BROWSER_DAYS = _number("SIGNIN_TRUSTED_BROWSER_DAYS", 180)
SIGNIN_TRUSTED_BROWSER_FAILURE_LIMIT = _number("SIGNIN_TRUSTED_BROWSER_FAILURE_LIMIT", 5)
# Axes stores a keyed hash (HMAC) of the typed username, never the text: people type
# passwords into the username box. The key is SIGNIN_USERNAME_KEY, or else SECRET_KEY.
AXES_USERNAME_CALLABLE = "access.services.lockout.username_key"
SIGNIN_USERNAME_KEY = os.environ.get("SIGNIN_USERNAME_KEY", "")
AXES_USERNAME_FORM_FIELD = "username"
AXES_PASSWORD_FORM_FIELD = "password"  # noqa: S105 - the form field's name, not a password
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token"]
# The client's address by the same rule as the audit trail (TRUSTED_PROXY_COUNT): a spoofed
# X-Forwarded-For from a direct client is ignored. django-ipware is not used, so the
# AXES_IPWARE_* values are never read; they say the same.
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_ip"
_PROXIES = _number("TRUSTED_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = _PROXIES or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if _PROXIES else ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_PROXY_TRUSTED_IPS = None
# The lockout page is ours (the sign-in page, saying until when), with status 429.
AXES_LOCKOUT_CALLABLE = "access.views.signin.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_COOLOFF_MESSAGE = "Too many failed attempts. Try again later, or ask your manager to unlock it."
AXES_PERMALOCK_MESSAGE = AXES_COOLOFF_MESSAGE
# Used only by axes' own JSON answer, which our lockout page replaces.
AXES_ALLOWED_CORS_ORIGINS = ""
# Our audit trail records every sign-in, failure and lockout: axes keeps no log of its own,
# and its tables are not in the admin.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 0
AXES_ENABLE_ADMIN = False
# Not used here, written down so that no default applies: the whole site is covered, GET
# requests too, and no address is listed either way (a nursery's address changes).
AXES_ONLY_ADMIN_SITE = AXES_NEVER_LOCKOUT_GET = AXES_NEVER_LOCKOUT_WHITELIST = AXES_ONLY_WHITELIST = False
AXES_IP_WHITELIST = AXES_IP_BLACKLIST = AXES_LOCKOUT_TEMPLATE = AXES_LOCKOUT_URL = None
# Log lines name no one: the username and address are masked (AXES_SENSITIVE_PARAMETERS).
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = None

# Two-factor for every member of staff ("all", the default), or, as an organisation's
# decision, only for the senior roles ("senior": management, safeguarding leads, HR and
# the technical admin); while it is "senior", every manager's home page says so.
TWO_FACTOR_REQUIRED_FOR = os.environ.get("TWO_FACTOR_REQUIRED_FOR", "").strip().lower() or "all"
if TWO_FACTOR_REQUIRED_FOR not in {"all", "senior"}:
    raise ImproperlyConfigured(
        f"TWO_FACTOR_REQUIRED_FOR={TWO_FACTOR_REQUIRED_FOR} is not known: use all (the default) or senior."
    )
# A fresh code within this many minutes before the safeguarding tier, a staff file,
# signing off or exporting the audit log (access/views/step_up.py).
TWO_FACTOR_STEP_UP_MINUTES = _number("TWO_FACTOR_STEP_UP_MINUTES", 15)
# The name an authenticator app shows beside the code.
TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "").strip() or "Confide"
# django-otp's admin hides device secrets (our devices are not in the admin anyway).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Where the admin is served (config/urls.py): set ADMIN_URL in production, such as
# "staff-admin-7f3k/"; without it, "admin/" with DEBUG or in local mode, and otherwise a
# path derived from SECRET_KEY that nobody can guess.
ADMIN_URL = os.environ.get("ADMIN_URL", "").strip()
if ADMIN_URL and (not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/")):
    raise ImproperlyConfigured(f"ADMIN_URL={ADMIN_URL} must end with / and not start with one, like admin/.")

# Passkeys and security keys (django-otp-webauthn), a second factor only: never instead of
# the password. The relying party is SITE_URL's host name (webauthn_relying_party below,
# called by config/settings.py), and its name the one authenticator apps show.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = TWO_FACTOR_ISSUER
# Our own models: the key's name, typed by its owner, is sealed like any free text, and keys
# are named in URLs by UUID (access/models/security_keys.py).
OTP_WEBAUTHN_CREDENTIAL_MODEL = "access.SecurityKey"
OTP_WEBAUTHN_ATTESTATION_MODEL = "access.SecurityKeyAttestation"
OTP_WEBAUTHN_HELPER_CLASS = "access.services.security_keys.SecurityKeyHelper"
# Two minutes to touch the key (WCAG 2.2 asks for enough time; the page says how to try again).
OTP_WEBAUTHN_TIMEOUT_SECONDS = 120
OTP_WEBAUTHN_RP_RELATED_ORIGINS: list[str] = []
OTP_WEBAUTHN_SUPPORTED_COSE_ALGORITHMS = None  # py_webauthn's: ECDSA, EdDSA and RSA with SHA-256 and up
# The library logs the reason a key's answer was refused; the messages name no one.
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "django_otp_webauthn"


def webauthn_relying_party(site_url: str) -> tuple[str, list[str]]:
    """The relying party id (a host name) and the origins keys may answer from. WebAuthn
    refuses an IP address as relying party, so this machine's loopback address (local
    mode, development, the browser tests) is `localhost`: keys work at http://localhost:PORT."""
    parts = urlsplit(site_url)
    host = (parts.hostname or "localhost").lower()
    if host in {"127.0.0.1", "::1"}:
        host = "localhost"
    port = f":{parts.port}" if parts.port else ""
    return host, [f"{parts.scheme or 'https'}://{host}{port}"]
