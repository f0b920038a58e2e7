"""Settings: environment helpers, security headers, hashing, and `check --deploy` in production mode."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.db import close_old_connections, connection
from django.test import Client
from manage_process import manage as _manage

from commonground import __version__
from commonground.web import environment, middleware


def test_env_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CG_T_BOOL", "Yes")
    monkeypatch.setenv("CG_T_INT", " 42 ")
    monkeypatch.setenv("CG_T_LIST", "a.example, ,b.example")
    assert environment.env_bool("CG_T_BOOL") is True
    assert environment.env_bool("CG_T_MISSING", default=True) is True
    assert environment.env_int("CG_T_INT", 1) == 42
    assert environment.env_list("CG_T_LIST") == ["a.example", "b.example"]
    monkeypatch.setenv("CG_T_BOOL", "perhaps")
    with pytest.raises(environment.SettingError, match="CG_T_BOOL"):
        environment.env_bool("CG_T_BOOL")
    monkeypatch.setenv("CG_T_INT", "many")
    with pytest.raises(environment.SettingError, match="CG_T_INT"):
        environment.env_int("CG_T_INT", 1)


def test_generated_secret_key_is_kept_private_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMMONGROUND_SECRET_KEY", raising=False)
    first = environment.secret_key(tmp_path)
    assert len(first) >= 50
    assert environment.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_debug_is_off_and_argon2_comes_first() -> None:
    assert settings.DEBUG is False
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert "commonground.web.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert issubclass(middleware.LoginRequiredMiddleware, DjangoLoginRequiredMiddleware)


@pytest.mark.django_db(transaction=True)
def test_a_server_thread_keeps_its_database_connection_from_one_request_to_the_next() -> None:
    # Opening one cost every request about 1 ms with SQLite (its PRAGMAs, Django's SQL functions).
    connection.ensure_connection()
    opened = connection.connection
    Client().get("/accounts/sign-in/")
    close_old_connections()  # what Django does as each request starts and finishes (the test client does not)
    assert connection.connection is opened


@pytest.mark.django_db
def test_security_headers_on_every_page() -> None:
    response = Client().get("/accounts/sign-in/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "http" not in csp  # no third-party origins


def test_check_deploy_is_clean_in_production_mode(tmp_path: Path) -> None:
    production = {
        "COMMONGROUND_HTTPS": "1",
        "COMMONGROUND_SECRET_KEY": secrets.token_urlsafe(64),
        "COMMONGROUND_ALLOWED_HOSTS": "commonground.example.org",
    }
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", extra_env=production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_with_https_pages_redirect_and_the_api_does_not(tmp_path: Path) -> None:
    show = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_REDIRECT_EXEMPT)"
    https = _manage(tmp_path, "shell", "--no-imports", "-c", show, extra_env={"COMMONGROUND_HTTPS": "1"})
    assert https.stdout.strip() == "True ['^api/']", https.stderr


def test_check_deploy_complains_without_https(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", extra_env={})
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr + result.stdout


def test_email_goes_to_the_console_unless_the_environment_names_a_server_or_backend(tmp_path: Path) -> None:
    show = (
        "from django.conf import settings as s; print(s.EMAIL_BACKEND.split('.')[-2], s.EMAIL_HOST, "
        "s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT, s.EMAIL_HOST_USER or '-', "
        "s.EMAIL_HOST_PASSWORD or '-', s.DEFAULT_FROM_EMAIL.split()[-1])"
    )
    cases = {
        "console": ({}, "console localhost 587 True False 10 - - <noreply@localhost>"),
        "starttls": (
            {"EMAIL_HOST": "mail.example.org", "EMAIL_HOST_USER": "cg", "EMAIL_HOST_PASSWORD": "secret"},
            "smtp mail.example.org 587 True False 10 cg secret <noreply@localhost>",
        ),
        "implicit tls": (
            {"EMAIL_HOST": "mail.example.org", "EMAIL_USE_SSL": "1", "EMAIL_TIMEOUT": "5",
             "DEFAULT_FROM_EMAIL": "Common Ground <cg@example.org>"},
            "smtp mail.example.org 465 False True 5 - - <cg@example.org>",
        ),
        "plain port": (
            {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": "2525", "EMAIL_USE_TLS": "0"},
            "smtp mail.example.org 2525 False False 10 - - <noreply@localhost>",
        ),
        "chosen backend": (
            {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"},
            "filebased localhost 587 True False 10 - - <noreply@localhost>",
        ),
    }  # fmt: skip
    for case, (environment_variables, expected) in cases.items():
        result = _manage(tmp_path, "shell", "--no-imports", "-c", show, extra_env=environment_variables)
        assert result.stdout.strip() == expected, (case, result.stderr)


def test_fragments_are_cached_in_process_memory_under_the_release() -> None:
    cache = settings.CACHES["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert cache["KEY_PREFIX"] == f"commonground-{__version__}"
    assert cache["OPTIONS"]["MAX_ENTRIES"] >= 10_000  # hundreds of portfolio pages, not Django's 300 entries


def test_https_cookies_take_the_host_prefix(tmp_path: Path) -> None:
    show = "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    https = _manage(tmp_path, "shell", "--no-imports", "-c", show, extra_env={"COMMONGROUND_HTTPS": "1"})
    assert https.stdout.split() == ["__Host-sessionid", "__Host-csrftoken"], https.stderr
    plain = _manage(tmp_path, "shell", "--no-imports", "-c", show, extra_env={})
    assert plain.stdout.split() == ["sessionid", "csrftoken"], plain.stderr
    timeouts = _manage(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_IDLE_SECONDS, s.SESSION_ABSOLUTE_SECONDS)",
        extra_env={"COMMONGROUND_SESSION_IDLE_MINUTES": "15", "COMMONGROUND_SESSION_MAX_HOURS": "8"},
    )
    assert timeouts.stdout.split() == ["900", "28800"], timeouts.stderr


def test_check_deploy_fails_for_a_database_or_mail_server_elsewhere_without_checked_tls(
    tmp_path: Path,
) -> None:
    production = {
        "COMMONGROUND_HTTPS": "1",
        "COMMONGROUND_SECRET_KEY": secrets.token_urlsafe(64),
        "COMMONGROUND_ALLOWED_HOSTS": "commonground.example.org",
        "DATABASE_URL": "postgres://cg:pw@db.example.org/cg?sslmode=require",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_USE_TLS": "0",
    }
    refused = _manage(tmp_path, "check", "--deploy", extra_env=production)
    assert refused.returncode != 0
    assert "db.example.org is reached without checking its certificate (sslmode=require)" in refused.stderr
    assert "?sslmode=verify-full" in refused.stderr
    assert "Mail goes to mail.example.org unencrypted" in refused.stderr
    checked = production | {
        "DATABASE_URL": "postgres://cg:pw@db.example.org/cg?sslmode=verify-full",
        "EMAIL_USE_TLS": "1",
    }
    clean = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", extra_env=checked)
    assert clean.returncode == 0, clean.stderr
    chosen = production | {"COMMONGROUND_DATABASE_WITHOUT_TLS": "1", "COMMONGROUND_EMAIL_WITHOUT_TLS": "1"}
    opted_out = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", extra_env=chosen)
    assert opted_out.returncode == 0, opted_out.stderr


def test_serve_does_not_start_against_a_database_elsewhere_without_a_checked_certificate(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMMONGROUND_", "DATABASE_", "EMAIL_"))}
    env |= {"COMMONGROUND_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://cg:pw@db.example.org/cg"}
    started = subprocess.run(
        [sys.executable, "-m", "commonground", "serve", "--port", "8765"],  # refused before it listens
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert started.stderr.startswith("Not started:\nThe database server db.example.org is reached without")
    assert "to DATABASE_URL, or set COMMONGROUND_DATABASE_WITHOUT_TLS=1" in started.stderr
    assert "Traceback" not in started.stderr


def test_a_migration_login_for_another_database_is_refused(tmp_path: Path) -> None:
    elsewhere = {
        "DATABASE_URL": "postgres://site:pw@localhost/commonground",
        "DATABASE_MIGRATE_URL": "postgres://owner:pw@localhost/another",
    }
    refused = _manage(tmp_path, "check", extra_env=elsewhere)
    assert refused.returncode != 0
    assert "DATABASE_MIGRATE_URL must name the same PostgreSQL database as DATABASE_URL" in refused.stderr
    same = elsewhere | {"DATABASE_MIGRATE_URL": "postgres://owner:pw@localhost/commonground"}
    assert _manage(tmp_path, "check", extra_env=same).returncode == 0
