"""Least privilege on PostgreSQL (ASVS V13.2.2): migrations log in with DATABASE_MIGRATE_URL's role, and the
site's own role reads and writes rows but cannot create, alter or drop tables, while the site works.

The roles come from scripts/postgres-roles.sql, which scripts/postgres.sh runs when it starts the test
server (commonground_migrate owns the database commonground_roles; commonground_site may only use rows).
"""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest
from django.test import override_settings
from manage_process import manage

from commonground.web.database_roles import migration_settings

POSTGRES_URL = os.environ.get("DATABASE_URL", "")
DATABASE = "commonground_roles"
OWNER, SITE = "commonground_migrate", "commonground_site"

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL.startswith(("postgres://", "postgresql://")),
    reason="needs DATABASE_URL=postgres://... (scripts/test.sh runs tests/web again on PostgreSQL)",
)

# Signs in through the sign-in form, creates an organisation through the service and opens its page:
# sessions, the sign-in log (axes), history (reversion) and the organisation's own tables, as the site's role.
SITE_AT_WORK = """
from django.contrib.auth import get_user_model
from django.test import Client
from commonground.core.profiles import Profile
from commonground.web.organisations.services import organisation_create
PASSWORD = "long enough words 7"
user = get_user_model().objects.create_user(username=NAME, email=NAME + "@example.org", password=PASSWORD)
client = Client(HTTP_HOST="localhost")
signed_in = client.post("/accounts/sign-in/", {"username": NAME, "password": PASSWORD})
profile = Profile.model_validate({"name": "Role Test " + NAME, "kind": "nonprofit", "mission": "Test roles."})
organisation = organisation_create(user=user, profile=profile)
page = client.get(f"/o/{organisation.slug}/")
print(signed_in.status_code, page.status_code, ("Role Test " + NAME) in page.text)
"""


def _url(role: str) -> str:
    server = urlsplit(POSTGRES_URL)
    return f"postgres://{role}@{server.hostname}:{server.port or 5432}/{DATABASE}"


def _manage(tmp_path: Path, *args: str, migrate_url: str = "") -> subprocess.CompletedProcess[str]:
    migrating = {"DATABASE_MIGRATE_URL": migrate_url} if migrate_url else {}
    return manage(tmp_path, *args, extra_env={"DATABASE_URL": _url(SITE)} | migrating, timeout=300)


def _refused_as_site(statement: str) -> str:
    import psycopg

    with (
        psycopg.connect(_url(SITE).replace("postgres://", "postgresql://", 1)) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege) as refused,
    ):
        connection.execute(statement)
    return str(refused.value)


@needs_postgres
def test_migrations_use_their_own_login_and_the_site_s_role_cannot_change_tables(tmp_path: Path) -> None:
    # One test, not several: the database is shared by every run on this server, and tests run in parallel.
    migrated = _manage(tmp_path, "migrate", "--no-input", migrate_url=_url(OWNER))
    assert migrated.returncode == 0, migrated.stderr[-2000:]

    # Without the migration login the site's role cannot undo a migration (it would drop tables) ...
    alone = _manage(tmp_path, "migrate", "axes", "zero", "--no-input")
    assert alone.returncode != 0
    assert "must be owner of table axes_" in alone.stderr
    # ... and with it, `migrate` logs in as the owner, both down and up again.
    for target in (["axes", "zero"], []):
        done = _manage(tmp_path, "migrate", *target, "--no-input", migrate_url=_url(OWNER))
        assert done.returncode == 0, done.stderr[-2000:]

    import psycopg

    with psycopg.connect(_url(SITE).replace("postgres://", "postgresql://", 1)) as connection:
        owners = connection.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    assert owners == [(OWNER,)]

    assert "permission denied for schema public" in _refused_as_site("CREATE TABLE intruder (id int)")
    assert "must be owner" in _refused_as_site("DROP TABLE auth_user")
    assert "must be owner" in _refused_as_site("ALTER TABLE auth_user ADD COLUMN intruder int")
    assert "permission denied" in _refused_as_site("TRUNCATE django_content_type")

    # The site works as its role, on tables re-created after the roles were made (axes') as on the rest.
    name = f"roles-{secrets.token_hex(4)}"
    at_work = _manage(tmp_path, "shell", "--no-imports", "-c", f"NAME = {name!r}\n{SITE_AT_WORK}")
    assert at_work.stdout.split() == ["302", "200", "True"], at_work.stderr[-2000:]


def test_migrations_take_only_the_login_and_its_tls_options_from_the_migration_url() -> None:
    site = dj_database_url.parse("postgres://site:pw@db.example.org/cg?sslmode=verify-full&connect_timeout=5")
    migrate = dj_database_url.parse(
        "postgres://owner:secret@db.example.org/cg?sslcert=/etc/cg/owner.crt&sslkey=/etc/cg/owner.key"
        "&host=other.example.org&dbname=other&application_name=x"
    )
    with override_settings(DATABASE_MIGRATE=migrate):
        used = migration_settings(site)
    assert (used["USER"], used["PASSWORD"], used["HOST"], used["NAME"]) == (
        "owner",
        "secret",
        "db.example.org",
        "cg",
    )
    assert used["OPTIONS"] == {
        "sslmode": "verify-full",
        "connect_timeout": 5,
        "sslcert": "/etc/cg/owner.crt",
        "sslkey": "/etc/cg/owner.key",
    }


@needs_postgres
def test_the_roles_file_gives_the_owner_the_public_schema_as_before_postgresql_15(tmp_path: Path) -> None:
    """Before PostgreSQL 15 the superuser owned "public" and everyone could create there: once the file
    revoked that, the owner role could not create its tables (imitated here on the server's version)."""
    from postgres_roles import role_pair

    older = "ALTER SCHEMA public OWNER TO CURRENT_USER; GRANT CREATE ON SCHEMA public TO PUBLIC;"
    with role_pair(POSTGRES_URL, after_connect=older) as (owner, site):
        migrated = manage(
            tmp_path, "migrate", "--no-input", extra_env={"DATABASE_URL": site, "DATABASE_MIGRATE_URL": owner}
        )
        assert migrated.returncode == 0, migrated.stderr[-2000:]
        import psycopg

        with (
            psycopg.connect(site.replace("postgres://", "postgresql://", 1)) as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            connection.execute("CREATE TABLE intruder (id int)")
