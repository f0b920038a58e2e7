"""System checks for the back-end connections: TLS that checks certificates to a database or mail server
on another host (ASVS V12.3.1-2), and migration credentials for the site's own database (V13.2.2).

The TLS checks are deployment checks, so `manage.py check --deploy` reports them, and
`commonground serve` runs them before it touches the database (server.transport_problems). They hold
only with DEBUG off; a server on this machine (localhost, 127.0.0.1, ::1, a Unix socket) needs no TLS.
The server is where libpq connects: the URL's host, else its ``?host=``/``?hostaddr=`` options, else
libpq's PGHOST/PGHOSTADDR; a comma-separated list is local only if every entry is.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils.module_loading import import_string

from commonground.web.database_roles import WHERE_OPTIONS, migration_settings

TAG = "connections"
# libpq's modes that check the server's certificate against a trusted authority ("verify-full" also
# checks the host name); "require" encrypts but would talk to anyone presenting any certificate.
CHECKED_SSL_MODES = {"verify-ca", "verify-full"}
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "[::1]"}


def is_local_host(host: str) -> bool:
    """Whether ``host`` is this machine: a loopback name or address, or a Unix socket (no host, or a path)."""
    host = host.strip().lower()
    return host in _LOCAL_HOSTS or host.startswith("/")


def _entries(value: object) -> list[str]:
    return [entry.strip() for entry in str(value).split(",")]


def database_hosts(database: Mapping[str, Any]) -> list[str]:
    """Every host and address libpq may connect to for a DATABASES entry (``""`` is its default socket).

    Django passes HOST over OPTIONS' ``host``; libpq falls back on PGHOST for a missing host and on
    PGHOSTADDR for a missing hostaddr, and connects to the hostaddr when there is one.
    """
    options = database.get("OPTIONS") or {}
    host = database.get("HOST") or options.get("host") or os.environ.get("PGHOST") or ""
    hostaddr = options.get("hostaddr") or os.environ.get("PGHOSTADDR") or ""
    return _entries(host) + (_entries(hostaddr) if hostaddr else [])


def _ssl_mode(database: Mapping[str, Any]) -> str:
    # libpq reads PGSSLMODE when the connection string names no sslmode; its own default is "prefer".
    options = database.get("OPTIONS") or {}
    return str(options.get("sslmode") or os.environ.get("PGSSLMODE") or "prefer")


def database_problem(database: Mapping[str, Any], variable: str) -> checks.Error | None:
    """The error for a DATABASES entry on another host without a checked certificate, if it is one."""
    if "postgresql" not in str(database.get("ENGINE", "")):
        return None
    hosts = database_hosts(database)
    mode = _ssl_mode(database)
    if all(is_local_host(host) for host in hosts) or mode in CHECKED_SSL_MODES:
        return None
    elsewhere = ",".join(host for host in hosts if not is_local_host(host))
    return checks.Error(
        f"The database server {elsewhere} is reached without checking its certificate (sslmode={mode}).",
        hint=(
            f"Add ?sslmode=verify-full (and sslrootcert=/path/to/ca.pem if its authority is not in "
            f"~/.postgresql/root.crt) to {variable}, or set COMMONGROUND_DATABASE_WITHOUT_TLS=1 to "
            "connect without a checked certificate on purpose (a private network you trust)."
        ),
        id="commonground.E001",
    )


@checks.register(checks.Tags.security, TAG, deploy=True)
def database_tls(**kwargs: Any) -> list[checks.CheckMessage]:
    """A PostgreSQL server on another host is reached with sslmode verify-full or verify-ca."""
    if settings.DEBUG or settings.DATABASE_WITHOUT_TLS:
        return []
    return database_problems(settings.DATABASES["default"])


def database_problems(default: Mapping[str, Any]) -> list[checks.CheckMessage]:
    """The errors for the site's connection and, when DATABASE_MIGRATE_URL is set, the migrations' one."""
    found = [database_problem(default, "DATABASE_URL")]
    if settings.DATABASE_MIGRATE:
        # The connection migrations really open: the site's server and options with the migration login.
        found.append(database_problem(migration_settings(default), "DATABASE_MIGRATE_URL"))
    return [problem for problem in found if problem]


def _sends_by_smtp() -> bool:
    try:
        backend = import_string(settings.EMAIL_BACKEND)
    except ImportError:
        return False  # Django names the wrong path itself when the first mail is sent
    return isinstance(backend, type) and issubclass(backend, SmtpBackend)


@checks.register(checks.Tags.security, TAG, deploy=True)
def email_tls(**kwargs: Any) -> list[checks.CheckMessage]:
    """An SMTP server on another host is reached over STARTTLS or implicit TLS.

    Django's SMTP backend checks the certificate and host name whenever it uses TLS (it builds its
    context with ``ssl.create_default_context()``; the site sets no client certificate, the one case
    where it builds another), so TLS on is enough (tests/web/test_mail_tls.py proves it).
    """
    if settings.DEBUG or settings.EMAIL_WITHOUT_TLS or not _sends_by_smtp():
        return []
    if is_local_host(settings.EMAIL_HOST) or settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL:
        return []
    return [
        checks.Error(
            f"Mail goes to {settings.EMAIL_HOST} unencrypted (EMAIL_USE_TLS and EMAIL_USE_SSL are off).",
            hint=(
                "Set EMAIL_USE_TLS=1 (STARTTLS, port 587) or EMAIL_USE_SSL=1 (port 465), or set "
                "COMMONGROUND_EMAIL_WITHOUT_TLS=1 to send without TLS on purpose (a relay you trust)."
            ),
            id="commonground.E002",
        )
    ]


def _where(database: Mapping[str, Any]) -> tuple[str, ...]:
    # libpq's default port is 5432: `db/cg` and `db:5432/cg` are the same database.
    port = str(database.get("PORT") or "5432")
    return (
        str(database.get("ENGINE", "")),
        str(database.get("HOST") or ""),
        port,
        str(database.get("NAME") or ""),
    )


def migration_problem(default: Mapping[str, Any], migrate: Mapping[str, Any]) -> checks.Error | None:
    """The error for a DATABASE_MIGRATE_URL entry that names another database than the site's, if it does."""
    elsewhere = sorted(WHERE_OPTIONS & set(migrate.get("OPTIONS") or {}))
    if "postgresql" in str(default["ENGINE"]) and _where(migrate) == _where(default) and not elsewhere:
        return None
    named = f" (it names {', '.join(elsewhere)} in its options)" if elsewhere else ""
    return checks.Error(
        "DATABASE_MIGRATE_URL must name the same PostgreSQL database as DATABASE_URL "
        f"(host, port and database name){named}; only the user, password and login or TLS "
        "options may differ.",
        hint="Migrations would otherwise change another database than the one the site uses.",
        id="commonground.E003",
    )


@checks.register(TAG)
def migrate_credentials(**kwargs: Any) -> list[checks.CheckMessage]:
    """DATABASE_MIGRATE_URL names the same PostgreSQL database as DATABASE_URL (only its login differs)."""
    migrate = settings.DATABASE_MIGRATE
    problem = migrate and migration_problem(settings.DATABASES["default"], migrate)
    return [problem] if problem else []
