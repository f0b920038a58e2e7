"""The back-end connection checks (web/transport_checks.py): a database or mail server on another host
needs TLS that checks its certificate, unless the operator opts out by name; this machine needs none."""

from __future__ import annotations

import dj_database_url
import pytest
from django.test import override_settings

from commonground.web import transport_checks


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("postgres://cg:pw@db.example.org/cg", True),
        ("postgres://cg:pw@db.example.org/cg?sslmode=require", True),  # encrypted, but to anyone
        ("postgres://cg:pw@10.0.0.5:5433/cg?sslmode=prefer", True),
        ("postgres://cg:pw@db.example.org/cg?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem", False),
        ("postgres://cg:pw@db.example.org/cg?sslmode=verify-ca", False),
        ("postgres://cg:pw@localhost/cg", False),
        ("postgres://cg:pw@127.0.0.1:54329/cg", False),
        ("postgres://cg:pw@[::1]/cg", False),
        ("postgres://cg@/cg", False),  # libpq's default Unix socket
        ("postgres://cg@%2Fvar%2Frun%2Fpostgresql/cg", False),  # a socket directory
        ("sqlite:////srv/cg/db.sqlite3", False),
        # The server named in the options, where libpq reads it (review of issue 9).
        ("postgres:///cg?host=db.example.org", True),
        ("postgres:///cg?hostaddr=203.0.113.5", True),
        ("postgres://cg@localhost/cg?hostaddr=203.0.113.5", True),  # libpq connects to the address
        ("postgres://cg@db.example.org,localhost/cg", True),  # one of the hosts is elsewhere
        ("postgres:///cg?host=/var/run/postgresql", False),
        ("postgres:///cg?hostaddr=127.0.0.1", False),
        ("postgres:///cg?host=db.example.org&sslmode=verify-full", False),
    ],
)
def test_a_database_elsewhere_needs_a_checked_certificate(
    url: str, refused: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("PGSSLMODE", "PGHOST", "PGHOSTADDR"):
        monkeypatch.delenv(variable, raising=False)
    problem = transport_checks.database_problem(dj_database_url.parse(url), "DATABASE_URL")
    assert (problem is not None) == refused
    if problem:
        assert "DATABASE_URL" in problem.hint
        assert "sslmode=verify-full" in problem.hint
        assert "COMMONGROUND_DATABASE_WITHOUT_TLS=1" in problem.hint


def test_libpq_s_own_pgsslmode_counts_when_the_url_names_no_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = dj_database_url.parse("postgres://cg:pw@db.example.org/cg")
    monkeypatch.setenv("PGSSLMODE", "verify-full")
    assert transport_checks.database_problem(elsewhere, "DATABASE_URL") is None
    monkeypatch.setenv("PGSSLMODE", "require")
    assert transport_checks.database_problem(elsewhere, "DATABASE_URL") is not None


@pytest.mark.parametrize(
    ("variable", "value", "refused"),
    [
        ("PGHOST", "db.example.org", True),
        ("PGHOST", "localhost,db.example.org", True),
        ("PGHOSTADDR", "203.0.113.5", True),
        ("PGHOST", "/var/run/postgresql", False),
        ("PGHOST", "localhost,127.0.0.1", False),
    ],
)
def test_libpq_s_pghost_and_pghostaddr_count_when_the_url_names_no_server(
    variable: str, value: str, refused: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for unset in ("PGSSLMODE", "PGHOST", "PGHOSTADDR"):
        monkeypatch.delenv(unset, raising=False)
    monkeypatch.setenv(variable, value)
    problem = transport_checks.database_problem(dj_database_url.parse("postgres://cg@/cg"), "DATABASE_URL")
    assert (problem is not None) == refused
    if problem:
        assert "db.example.org" in problem.msg or "203.0.113.5" in problem.msg


SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("mail", "refused"),
    [
        ({"EMAIL_HOST": "mail.example.org"}, True),
        ({"EMAIL_HOST": "mail.example.org", "EMAIL_USE_TLS": True}, False),
        ({"EMAIL_HOST": "mail.example.org", "EMAIL_USE_SSL": True}, False),
        ({"EMAIL_HOST": "localhost"}, False),  # a relay on this machine
        ({"EMAIL_HOST": "mail.example.org", "EMAIL_WITHOUT_TLS": True}, False),  # the operator's choice
        ({"EMAIL_HOST": "mail.example.org", "DEBUG": True}, False),
        ({"EMAIL_HOST": "mail.example.org", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
         False),
    ],
)  # fmt: skip
def test_mail_to_another_host_goes_over_tls(mail: dict[str, object], refused: bool) -> None:
    plain = {"EMAIL_BACKEND": SMTP, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False} | mail
    with override_settings(**plain):
        found = transport_checks.email_tls()
    assert [message.id for message in found] == (["commonground.E002"] if refused else [])
    if refused:
        assert "EMAIL_USE_TLS=1" in found[0].hint
        assert "COMMONGROUND_EMAIL_WITHOUT_TLS=1" in found[0].hint


SITE_URL = "postgres://site:pw@db.example.org/cg?sslmode=verify-full"


@pytest.mark.parametrize(
    ("migrate_url", "refused"),
    [
        ("postgres://owner:pw@db.example.org/cg?sslmode=verify-full&sslcert=/etc/cg/owner.crt", False),
        ("postgres://owner:pw@db.example.org/other", True),
        ("postgres://owner:pw@db.example.org:5432/cg", False),  # libpq's default port, named
        ("postgres://owner:pw@db.example.org:5433/cg", True),
        # Options that name a server or database would move migrations elsewhere (review of issue 9).
        ("postgres://owner:pw@db.example.org/cg?host=other.example.org", True),
        ("postgres://owner:pw@db.example.org/cg?hostaddr=203.0.113.5", True),
        ("postgres://owner:pw@db.example.org/cg?dbname=other", True),
        ("postgres://owner:pw@db.example.org/cg?port=5433", True),
        ("postgres://owner:pw@db.example.org/cg?service=other", True),
    ],
)
def test_a_migration_login_may_differ_only_in_its_login(migrate_url: str, refused: bool) -> None:
    problem = transport_checks.migration_problem(
        dj_database_url.parse(SITE_URL), dj_database_url.parse(migrate_url)
    )
    assert (problem is not None) == refused


def test_the_migration_login_is_checked_as_migrations_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    """It takes the site's server and TLS options: sslmode in DATABASE_URL alone covers both logins."""
    monkeypatch.delenv("PGSSLMODE", raising=False)
    migrate = dj_database_url.parse("postgres://owner:pw@db.example.org/cg")
    with override_settings(DATABASE_MIGRATE=migrate):
        assert transport_checks.database_problems(dj_database_url.parse(SITE_URL)) == []
    weaker = dj_database_url.parse("postgres://owner:pw@db.example.org/cg?sslmode=require")
    with override_settings(DATABASE_MIGRATE=weaker):
        found = transport_checks.database_problems(dj_database_url.parse(SITE_URL))
    assert [problem.id for problem in found] == ["commonground.E001"]
    assert "DATABASE_MIGRATE_URL" in found[0].hint
