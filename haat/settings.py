"""Django settings for Haat, read from the environment (12-factor).

Every knob an operator turns is an environment variable; see README.md. Defaults give a safe single-machine
install: SQLite in the data directory, DEBUG off, a secret key generated on first run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("HAAT_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into the data directory."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    try:
        # O_EXCL: two processes starting at once must not write two different keys.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_urlsafe(64)
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "haat.web",
    "haat.accounts",
    "haat.jobs",
    "haat.ledger",
    "haat.payments",
    "haat.bids",
    "haat.messaging",
    "haat.contracts",
    "haat.reputation",
    "haat.disputes",
    "haat.moderation",
    "haat.staff",
    "haat.staff.admin_apps.HaatAdminConfig",  # django.contrib.admin, with two-factor required
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "haat.accounts.sessions.SessionTimeoutMiddleware",
    "haat.accounts.middleware.UserPreferencesMiddleware",
    "haat.payments.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "haat.urls"
WSGI_APPLICATION = "haat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haat.web.context_processors.site",
                "haat.moderation.context_processors.suspension",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------------
DATABASES: dict[str, dict[str, Any]] = {
    "default": dj_database_url.parse(  # type: ignore[dict-item]
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'haat.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite needs no persistent connections; IMMEDIATE takes the write lock at BEGIN so two writers never
    # deadlock upgrading read locks; WAL lets readers run beside the writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests run on a file so the live server (another thread) shares it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits must be shared by every server process) ---------------------------------------------
if cache_url := os.environ.get("CACHE_URL", os.environ.get("REDIS_URL", "")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "haat_cache"}}

# --- Authentication -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Haat] "
ACCOUNT_ADAPTER = "haat.accounts.adapter.AccountAdapter"
# Adding or changing an e-mail address asks for the password again (password change asks for the old one;
# 2FA changes and payout methods are guarded by allauth.mfa and payments themselves).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Per-IP and per-key limits ("count/period/scope"); allauth enforces them through the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Haat"

# --- Internationalization -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("bn", "বাংলা")]
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_extra"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "haat_language"
LANGUAGE_COOKIE_SECURE = env_bool("HTTPS")
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end packages come from npm at set-up (package.json); Haat serves them itself.
_VENDOR = {
    "vendor/htmx": BASE_DIR / "node_modules" / "htmx.org" / "dist",
    "vendor/fonts": BASE_DIR / "node_modules" / "@fontsource" / "noto-sans-bengali" / "files",
}
STATICFILES_DIRS = [(prefix, path) for prefix, path in _VENDOR.items() if path.exists()]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PORTFOLIO_IMAGE_MAX_BYTES = int(os.environ.get("PORTFOLIO_IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
PORTFOLIO_IMAGE_MAX_PIXELS = 25_000_000

# --- E-mail ------------------------------------------------------------------------------------------------
_email = dj_email_url.parse(os.environ.get("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 30
if _email.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Haat <noreply@haat.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks --------------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Security ----------------------------------------------------------------------------------------------
# HTTPS=on behind TLS (production): secure cookies, HSTS and redirects. Off for the local demo on http://.
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and not env_bool("HTTPS_BEHIND_PROXY_NO_REDIRECT")
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# Session lifetime (ASVS 5.0 V7.3, with NIST SP 800-63B's AAL2 figures as the yardstick: re-authenticate
# after 30 minutes of inactivity and at least every 12 hours). Staff act on other people's money and
# accounts, so their sessions are shorter. Enforced by haat.accounts.sessions.SessionTimeoutMiddleware.
HAAT_SESSION_IDLE_MINUTES = int(os.environ.get("HAAT_SESSION_IDLE_MINUTES", "30"))
HAAT_SESSION_ABSOLUTE_HOURS = int(os.environ.get("HAAT_SESSION_ABSOLUTE_HOURS", "12"))
HAAT_STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("HAAT_STAFF_SESSION_IDLE_MINUTES", "15"))
HAAT_STAFF_SESSION_ABSOLUTE_HOURS = int(os.environ.get("HAAT_STAFF_SESSION_ABSOLUTE_HOURS", "8"))
# The cookie never outlives the absolute limit (the server-side check is what counts).
SESSION_COOKIE_AGE = HAAT_SESSION_ABSOLUTE_HOURS * 3600
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Everything is served by Haat itself: no CDN, no third-party script or font.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Haat ---------------------------------------------------------------------------------------------------
HAAT_SITE_NAME = os.environ.get("HAAT_SITE_NAME", "Haat")
# The public address, for links in e-mails (e.g. https://haat.example.com). Empty: links are relative paths.
HAAT_BASE_URL = os.environ.get("HAAT_BASE_URL", "")
HAAT_BIND = os.environ.get("HAAT_BIND", "127.0.0.1:8000")
HAAT_WEB_WORKERS = int(os.environ.get("HAAT_WEB_WORKERS", "2"))
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
HAAT_CURRENCIES = ["USD", "BDT", "EUR", "GBP", "INR"]

# --- Money ---------------------------------------------------------------------------------------------------
# Released earnings become withdrawable after this many days.
HAAT_CLEARANCE_DAYS = int(os.environ.get("HAAT_CLEARANCE_DAYS", "5"))
# Payment gateways that may take deposits. The sandbox credits instantly and is for demos and tests only.
HAAT_GATEWAYS = env_list("HAAT_GATEWAYS", "sandbox,manual" if not env_bool("HTTPS") else "manual")
# Shown to buyers who pay by bank transfer (the "manual" gateway), with their deposit's reference.
HAAT_MANUAL_BANK_DETAILS = os.environ.get("HAAT_MANUAL_BANK_DETAILS", "")
# Shared secret for HMAC-signed gateway webhooks (generated into the data directory when unset).
HAAT_WEBHOOK_SECRET = (
    os.environ.get("HAAT_WEBHOOK_SECRET", "")
    or hmac.new(SECRET_KEY.encode(), b"haat gateway webhooks", hashlib.sha256).hexdigest()
)
# Hours a pending deposit waits before it expires.
HAAT_DEPOSIT_EXPIRY_HOURS = int(os.environ.get("HAAT_DEPOSIT_EXPIRY_HOURS", "72"))
# Per payout method: fee in basis points of the amount, plus a fixed fee and a minimum, both per currency in
# minor units. Override with HAAT_PAYOUTS_JSON.
HAAT_PAYOUTS: dict[str, dict[str, Any]] = {
    "payoneer": {
        "fee_bps": 0,
        "fixed_fee": {"USD": 300, "*": 0},
        "minimum": {"USD": 5000, "BDT": 500000, "*": 5000},
    },
    "bank": {
        "fee_bps": 0,
        "fixed_fee": {"BDT": 5000, "*": 0},
        "minimum": {"USD": 1000, "BDT": 100000, "*": 1000},
    },
    "mobile_money": {"fee_bps": 185, "fixed_fee": {"*": 0}, "minimum": {"USD": 500, "BDT": 50000, "*": 500}},
    "paypal": {"fee_bps": 200, "fixed_fee": {"*": 0}, "minimum": {"USD": 1000, "*": 1000}},
}
if payouts_json := os.environ.get("HAAT_PAYOUTS_JSON"):
    import json

    HAAT_PAYOUTS = json.loads(payouts_json)
# --- Jobs and bids ------------------------------------------------------------------------------------------
HAAT_JOB_ATTACHMENT_MAX_BYTES = int(os.environ.get("HAAT_JOB_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
HAAT_MESSAGE_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("HAAT_MESSAGE_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))
)
# Days a freelancer has to accept or decline an award.
HAAT_AWARD_RESPONSE_DAYS = int(os.environ.get("HAAT_AWARD_RESPONSE_DAYS", "3"))
# --- Contracts ---------------------------------------------------------------------------------------------
# A contract is "large" (weekly status reports required) above this price (minor units, per currency) or when
# it runs longer than HAAT_LARGE_CONTRACT_DAYS.
HAAT_LARGE_CONTRACT_PRICE = {"USD": 15_000, "BDT": 1_500_000, "*": 15_000}
HAAT_LARGE_CONTRACT_DAYS = 7
HAAT_MISSED_REPORT_PENALTY = 1000
HAAT_AUTO_ACCEPT_DAYS = int(os.environ.get("HAAT_AUTO_ACCEPT_DAYS", "14"))
HAAT_DELIVERY_MAX_BYTES = int(os.environ.get("HAAT_DELIVERY_MAX_BYTES", str(200 * 1024 * 1024)))
HAAT_DELIVERY_MAX_ENTRIES = 10_000
HAAT_DELIVERY_MAX_UNCOMPRESSED = 2 * 1024**3
HAAT_DELIVERY_MAX_RATIO = 100
# --- Disputes ----------------------------------------------------------------------------------------------
# Days the two sides have to agree on a split before the dispute goes to an arbiter.
HAAT_DISPUTE_NEGOTIATION_DAYS = int(os.environ.get("HAAT_DISPUTE_NEGOTIATION_DAYS", "5"))
# Arbitration fee in basis points of the amount in dispute, charged only when an arbiter decides (0 = none).
# Each side bears it on its own share, so the side that gets more pays more.
HAAT_ARBITRATION_FEE_BPS = int(os.environ.get("HAAT_ARBITRATION_FEE_BPS", "0"))
# Ranking points a freelancer loses for a dispute an arbiter decided against them (documented in ranking.py).
HAAT_DISPUTE_LOST_PENALTY = 2000
# Key for the secret vault (Fernet, url-safe base64 of 32 bytes); derived from SECRET_KEY when unset.
HAAT_VAULT_KEY = (
    os.environ.get("HAAT_VAULT_KEY", "")
    or base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode() + b"haat secret vault").digest()).decode()
)
# Idempotency keys are remembered this long.
IDEMPOTENCY_KEY_TTL_HOURS = 24
