"""Django settings for the Common Ground web workspace: one module, configured by the environment.

Variables (all optional): COMMONGROUND_DEBUG, COMMONGROUND_DATA_DIR, COMMONGROUND_SECRET_KEY,
COMMONGROUND_ALLOWED_HOSTS, COMMONGROUND_HTTPS, COMMONGROUND_HSTS_PRELOAD, COMMONGROUND_BEHIND_PROXY,
COMMONGROUND_CSRF_TRUSTED_ORIGINS, COMMONGROUND_CACHE_BACKEND, COMMONGROUND_CACHE_LOCATION,
COMMONGROUND_CACHE_SECONDS, COMMONGROUND_CACHE_MAX_ENTRIES, COMMONGROUND_DB_CONN_MAX_AGE,
COMMONGROUND_PARTNERSHIP_INVITATION_VALID_DAYS, COMMONGROUND_PROPOSAL_VALID_DAYS, COMMONGROUND_SITE_URL,
COMMONGROUND_SESSION_IDLE_MINUTES, COMMONGROUND_SESSION_MAX_HOURS, COMMONGROUND_LOGIN_ADDRESS_FAILURE_LIMIT,
COMMONGROUND_ASSESSMENT_MAX_MB, COMMONGROUND_TRUSTED_PROXY, COMMONGROUND_TRUSTED_PROXY_COUNT,
COMMONGROUND_DIRECTORY, COMMONGROUND_DIRECTORY_APPROXIMATE, COMMONGROUND_DATABASE_WITHOUT_TLS,
COMMONGROUND_EMAIL_WITHOUT_TLS, DATABASE_URL, DATABASE_MIGRATE_URL, EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT,
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT, DEFAULT_FROM_EMAIL.
See src/commonground/web/README.md.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

from commonground import __version__
from commonground.web.environment import data_dir, env_bool, env_int, env_list, env_str, secret_key

WEB_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("COMMONGROUND_DEBUG", default=False)
HTTPS = env_bool("COMMONGROUND_HTTPS", default=False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("COMMONGROUND_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("COMMONGROUND_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "reversion",
    "axes",
    # Two-factor sign-in: authenticator apps (TOTP); recovery codes are our own (accounts/models.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "commonground.web",
    "commonground.web.accounts",
    "commonground.web.organisations",
    "commonground.web.partnerships",
    "commonground.web.assessments",
    "commonground.web.stakeholders",
    "commonground.web.agreements",
    "commonground.web.reviews",
    "commonground.web.health",
    "commonground.web.conflicts",
    "commonground.web.checkins",
    "commonground.web.home",
    "commonground.web.api",
    "commonground.web.discovery",
    "commonground.web.networks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "commonground.web.middleware.ContentSecurityPolicyMiddleware",
    "commonground.web.middleware.TraceRefusedMiddleware",
    "commonground.web.middleware.ApiOverHttpRefusedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # No-store on everything a signed-in person is sent (pages, downloads, exports): middleware.py.
    "commonground.web.middleware.PrivateResponsesMiddleware",
    # Sets request.htmx (whether htmx sent the request), which the sign-in requirement below reads.
    "django_htmx.middleware.HtmxMiddleware",
    # Django's LoginRequiredMiddleware, answering htmx requests with a 401 notice (see middleware.py).
    "commonground.web.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends sessions idle too long or signed in too long ago (accounts/sessions.py).
    "commonground.web.accounts.sessions.SessionLifetimeMiddleware",
    # /admin/ only with two-factor sign-in, and only through our own two-step sign-in (middleware.py).
    "commonground.web.middleware.AdminRequiresMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commonground.web.urls"
WSGI_APPLICATION = "commonground.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commonground.web.context.navigation",
            ],
        },
    },
]

# --- Database: SQLite file in the data directory unless DATABASE_URL names another. ---
_sqlite_path = DATA_DIR / "commonground.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{_sqlite_path}",
        conn_max_age=env_int("COMMONGROUND_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each server thread keeps its connection like PostgreSQL's do (CONN_MAX_AGE above): opening one
    # costs about 1 ms (the PRAGMAs below, Django's SQL functions), which every request paid before.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at the start of a transaction, so concurrent writers
        # queue (up to `timeout` seconds) instead of failing half-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # A file (not in-memory) test database, so tests that use threads see one shared database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"commonground-test-{os.getpid()}.sqlite3")
    }

# Migrations with their own credentials (ASVS V13.2.2): the site's database user then needs no right to
# create, alter or drop tables. Only the login (user, password, TLS options) is taken from this URL;
# `migrate`, `commonground serve`'s migrate and `commonground restore` use it (web/management/commands/
# migrate.py), and a system check refuses one that names another database (web/transport_checks.py).
_migrate_url = env_str("DATABASE_MIGRATE_URL")
DATABASE_MIGRATE: dict[str, Any] | None = dict(dj_database_url.parse(_migrate_url)) if _migrate_url else None
# With DEBUG off, a database or mail server on another host must be reached over TLS that checks its
# certificate (ASVS V12.3.1-2; web/transport_checks.py): these say the operator chose otherwise on purpose.
DATABASE_WITHOUT_TLS = env_bool("COMMONGROUND_DATABASE_WITHOUT_TLS", default=False)
EMAIL_WITHOUT_TLS = env_bool("COMMONGROUND_EMAIL_WITHOUT_TLS", default=False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: rendered fragments, keyed by everything they show (the portfolio's rows, see
# partnerships/portfolio_rows.py), so a change never needs invalidating and no outdated fragment is shown.
# In each server process's memory unless COMMONGROUND_CACHE_BACKEND / _LOCATION name another Django
# cache (e.g. django.core.cache.backends.redis.RedisCache and its redis:// address). Keys carry the
# release, so a new version never reads fragments rendered by an older one's templates.
_cache_backend = env_str("COMMONGROUND_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache")
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": _cache_backend,
        "LOCATION": env_str("COMMONGROUND_CACHE_LOCATION"),
        "TIMEOUT": env_int("COMMONGROUND_CACHE_SECONDS", 24 * 60 * 60),
        "KEY_PREFIX": f"commonground-{__version__}",
    }
}
if _cache_backend == "django.core.cache.backends.locmem.LocMemCache":
    # Django's default of 300 entries is twelve portfolio pages; 10,000 rows take a few MB per process.
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": env_int("COMMONGROUND_CACHE_MAX_ENTRIES", 10_000)}

# --- Authentication ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The product's own words (accounts/passwords.py, ASVS V6.2.11).
    {"NAME": "commonground.web.accounts.passwords.ContextWordsValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# Sign-in rate limiting: 5 failures for one username from one address lock it for 15 minutes, and 20
# failures from one address for any usernames together lock that address (password spraying); see
# accounts/lockout.py for why this is a handler rather than AXES_LOCKOUT_PARAMETERS alone.
AXES_FAILURE_LIMIT = env_int("COMMONGROUND_LOGIN_FAILURE_LIMIT", 5)
ADDRESS_FAILURE_LIMIT = env_int("COMMONGROUND_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("COMMONGROUND_LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "commonground.web.accounts.lockout.AddressLimitHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Axes keeps each failure's form fields (AccessAttempt.post_data); it masks "password" only. Wrong
# passwords on the account pages (accounts/reauthentication.py) post these too, new passwords among them.
AXES_SENSITIVE_PARAMETERS = [
    "username", "ip_address", "current_password", "old_password", "new_password1", "new_password2", "code",
]  # fmt: skip

# Two-factor sign-in (accounts/mfa_services.py): the name authenticator apps show beside the account;
# after each wrong code a person's device refuses codes for 2^(n-1) seconds (n wrong codes in a row),
# which limits guessing from many addresses, where the lock-out per address does not reach.
OTP_TOTP_ISSUER = "Common Ground"
OTP_TOTP_THROTTLE_FACTOR = 1
# How long the second step of a sign-in waits for its code before the password must be typed again.
MFA_SIGN_IN_SECONDS = 5 * 60

# --- Invitations ---
INVITATION_VALID_DAYS = env_int("COMMONGROUND_INVITATION_VALID_DAYS", 7)
# Emailed invitations to join a partnership (as a partner organisation or a facilitator).
PARTNERSHIP_INVITATION_VALID_DAYS = env_int("COMMONGROUND_PARTNERSHIP_INVITATION_VALID_DAYS", 14)
# How long the link that proves an account's email address stays valid.
EMAIL_VERIFICATION_VALID_DAYS = env_int("COMMONGROUND_EMAIL_VERIFICATION_VALID_DAYS", 3)

# --- Proposals between partners: removing a partner, renaming or closing the partnership. ---
PROPOSAL_VALID_DAYS = env_int("COMMONGROUND_PROPOSAL_VALID_DAYS", 14)
# A directory of organisations built by `commonground directory build`, searched by "find partners"
# (web/discovery); unset, the page says none is loaded. Read only: the site never writes it.
DISCOVERY_DIRECTORY = env_str("COMMONGROUND_DIRECTORY")
# Its approximate index (`commonground directory index`), when up to date, proposes the candidates;
# off, every ranking scans the whole directory exactly (web/discovery/first_stage.py).
DISCOVERY_APPROXIMATE = env_bool("COMMONGROUND_DIRECTORY_APPROXIMATE", default=True)
# The address links in emails point to when no request names one (the daily `expire_proposals`).
SITE_URL = env_str("COMMONGROUND_SITE_URL", "http://localhost:8000").rstrip("/")

# --- Email: printed to the console unless EMAIL_HOST names an SMTP server (or EMAIL_BACKEND another). ---
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
# The SMTP settings are read whatever the backend, so EMAIL_BACKEND may name another SMTP-based one.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
# Implicit TLS (usually port 465) instead of STARTTLS (587); Django allows only one of the two.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=not EMAIL_USE_SSL)
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
# Seconds: mail goes out during the request (on commit), so a stuck server must not hold it long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Common Ground <noreply@localhost>")

# --- Security headers and cookies ---
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
# Sessions: signed out after 2 hours without a request or 12 hours after sign-in, whichever comes first
# (accounts/sessions.py); the cookie itself lasts no longer than the absolute limit.
SESSION_IDLE_SECONDS = 60 * env_int("COMMONGROUND_SESSION_IDLE_MINUTES", 120)
SESSION_ABSOLUTE_SECONDS = 60 * 60 * env_int("COMMONGROUND_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# Django's database sessions, each with its account, so people can list and end theirs
# (accounts/session_store.py).
SESSION_ENGINE = "commonground.web.accounts.session_store"
# Over HTTPS the cookies take the __Host- prefix: the browser then keeps them only when set Secure, for
# the whole site and by this host alone (no Domain), so a sibling subdomain cannot plant or overwrite
# them. Plain-HTTP development keeps Django's names (browsers refuse __Host- cookies without Secure).
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
if HTTPS:
    SECURE_HSTS_SECONDS = env_int("COMMONGROUND_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("COMMONGROUND_HSTS_PRELOAD", default=True)
    # The API is not redirected to HTTPS but refused over HTTP (middleware.ApiOverHttpRefusedMiddleware).
    SECURE_REDIRECT_EXEMPT = [r"^api/"]
BEHIND_PROXY = env_bool("COMMONGROUND_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    # Only behind a proxy that overwrites this header; otherwise clients could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The address of that proxy, whose X-Forwarded-Proto and X-Forwarded-For `commonground serve` (waitress)
# believes; from any other address they are cleared (server.proxy_options). One address, or "*" for a
# proxy on a private network only it can reach. TRUSTED_PROXY_COUNT: how many proxies in a row add to
# X-Forwarded-For.
TRUSTED_PROXY = env_str("COMMONGROUND_TRUSTED_PROXY", "127.0.0.1" if BEHIND_PROXY else "")
TRUSTED_PROXY_COUNT = env_int("COMMONGROUND_TRUSTED_PROXY_COUNT", 1)

# --- Uploads: profile imports are at most 1 MB. ---
PROFILE_IMPORT_MAX_BYTES = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = PROFILE_IMPORT_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# What one assessment may store (its result JSON and page): a six-partner assessment of the examples
# keeps about 1.5 MB; two profiles at every list's maximum kept 64 MB before this limit (review F1).
ASSESSMENT_MAX_BYTES = env_int("COMMONGROUND_ASSESSMENT_MAX_MB", 32) * 1024 * 1024

# --- Static files, served by WhiteNoise (works offline, no CDN). ---
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Not the manifest (hashed-name) storage: pages must render before collectstatic has run.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the package when collectstatic has not run (local use, tests).
WHITENOISE_USE_FINDERS = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Logging: security events go to the 'commonground.security' logger, timestamps in UTC. ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "()": "commonground.web.audit.UtcFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc"}},
    "loggers": {
        "commonground.security": {"handlers": ["console"], "level": "INFO", "propagate": True},
        "django": {"handlers": ["console"], "level": env_str("COMMONGROUND_LOG_LEVEL", "WARNING")},
    },
}
