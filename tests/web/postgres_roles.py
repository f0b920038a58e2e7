"""A pair of roles and their database from scripts/postgres-roles.sql, with fresh names, on a test server.

Imported as ``from postgres_roles import role_pair`` (tests/web is on the path, as ``manage_process``).
The names differ on every call, so tests running in parallel, and the roles scripts/postgres.sh makes,
do not meet; everything is dropped afterwards.
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROLES_FILE = Path(__file__).resolve().parents[2] / "scripts" / "postgres-roles.sql"


@contextlib.contextmanager
def role_pair(server_url: str, *, after_connect: str = "") -> Iterator[tuple[str, str]]:
    """Run postgres-roles.sql as ``server_url``'s superuser; yield the owner's and the site's URLs.

    ``after_connect`` is SQL run in the new database before the rest of the file (to imitate another
    PostgreSQL version's defaults).
    """
    import psycopg

    from commonground.web.backups import pg_binary

    server = urlsplit(server_url)
    suffix = secrets.token_hex(4)
    owner, site, database = f"cg_owner_{suffix}", f"cg_site_{suffix}", f"cg_roles_{suffix}"
    connect = '\\connect :"database"\n'
    script = ROLES_FILE.read_text().replace(connect, connect + after_connect + "\n")
    admin = f"postgresql://{server.username}@{server.hostname}:{server.port or 5432}/postgres"
    try:
        done = subprocess.run(
            [pg_binary("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-v", f"owner={owner}", "-v", f"site={site}",
             "-v", f"database={database}", admin],
            input=script, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        base = f"postgres://{{}}@{server.hostname}:{server.port or 5432}/{database}"
        yield base.format(owner), base.format(site)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            connection.execute(f'DROP ROLE IF EXISTS "{owner}", "{site}"')
