"""Back up and restore the workspace database: ``commonground backup FILE`` / ``restore FILE``.

SQLite goes through SQLite's online backup API (``sqlite3.Connection.backup``), which copies a
consistent snapshot while the server keeps writing; a plain copy of a WAL database can silently
miss committed rows that still sit in the ``-wal`` file. The backup is one self-contained SQLite
file (journal mode DELETE) that passes ``PRAGMA integrity_check``. Restore checks the file, copies it
into a temporary file next to the database and moves it into place with ``os.replace``; stop the
server first (restore refuses while another connection holds the database in WAL mode).

PostgreSQL goes through ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists`` in a
single transaction, both without owners and grants (``--no-owner --no-acl``: the roles of one server
need not exist on the other); the binaries come from PATH or ``/usr/lib/postgresql/<version>/bin`` (newest).

Restore refuses a file that is not a Common Ground backup of the right kind, and refuses to replace
a database that holds data unless ``replace=True`` (the CLI's ``--yes``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SQLITE_HEADER = b"SQLite format 3\x00"
PG_ARCHIVE_MAGIC = b"PGDMP"
# libpq's connection keywords and the variables that carry them to pg_dump and pg_restore. Of
# DATABASE_URL's options, those after "dbname" are carried too, so the tools and psycopg reach the
# server as the site does (its address, TLS that checks its certificate, a client certificate).
PG_VARIABLES = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "hostaddr": "PGHOSTADDR",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
}
PG_OPTIONS = tuple(PG_VARIABLES)[5:]
# Tables Django fills by itself on migrate: rows there do not make a database "in use".
BOOKKEEPING_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence", "django_site"}
)
# Every Common Ground database has migrated this app; a backup without it is some other database.
MARKER_APP = "organisations"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    """Where the workspace data lives: a SQLite file, or a PostgreSQL database."""

    engine: str  # "sqlite" | "postgresql"
    path: Path | None = None
    name: str = ""
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (libpq keyword, value), keywords from PG_OPTIONS

    def describe(self) -> str:
        """A short name for messages (never the password)."""
        if self.engine == "sqlite":
            return f"SQLite database {self.path}"
        where = f"{self.host or 'localhost'}:{self.port or 5432}"
        return f"PostgreSQL database {self.name!r} on {where}"


def database_from_settings(config: Mapping[str, Any]) -> Database:
    """The ``Database`` a Django ``DATABASES`` entry describes."""
    engine = str(config.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        return Database(engine="sqlite", path=Path(str(config["NAME"])))
    if "postgresql" in engine:
        options = config.get("OPTIONS") or {}
        return Database(
            engine="postgresql",
            name=str(config.get("NAME") or ""),
            # Django passes HOST over a ?host= option, as here.
            host=str(config.get("HOST") or options.get("host") or ""),
            port=str(config.get("PORT") or ""),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
            options=tuple((k, str(v)) for k, v in options.items() if k in PG_OPTIONS and v),
        )
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine or 'this database'}")


def backup(database: Database, destination: Path, *, overwrite: bool = False) -> None:
    """Write a backup of ``database`` to ``destination`` (written to a temporary file, then moved)."""
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} already exists; choose another name or add --force")
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder; give a file name")
    if not destination.parent.is_dir():
        raise BackupError(f"folder {destination.parent} does not exist")
    if database.engine == "sqlite":
        _sqlite_backup(_sqlite_path(database), destination)
    else:
        _pg_backup(database, destination)


def restore(database: Database, source: Path, *, replace: bool = False) -> None:
    """Replace the contents of ``database`` with the backup in ``source``, after checking it."""
    if not source.is_file():
        raise BackupError(f"{source}: file not found")
    if database.engine == "sqlite":
        _sqlite_restore(_sqlite_path(database), source, replace=replace)
    else:
        _pg_restore(database, source, replace=replace)


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_path(database: Database) -> Path:
    assert database.path is not None
    return database.path


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
    connection = sqlite3.connect(uri, uri=True, timeout=20, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()


def _temporary_beside(path: Path, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    return Path(name)


def _integrity_problem(connection: sqlite3.Connection) -> str | None:
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
    return None if rows == ["ok"] else "; ".join(str(r) for r in rows[:3])


def _sqlite_backup(source: Path, destination: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no database at {source}: nothing to back up")
    temporary = _temporary_beside(destination, ".partial")
    try:
        with _connect(source) as live, _connect(temporary) as copy:
            # One step (pages=-1): the copy is a single consistent snapshot, taken under a read
            # transaction, while writers carry on in the WAL.
            live.backup(copy, pages=-1)
            # A backup is one self-contained file: no -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            problem = _integrity_problem(copy)
        if problem:
            raise BackupError(
                f"the backup failed its integrity check ({problem}); the database may be damaged"
            )
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def sqlite_backup_problem(path: Path) -> str | None:
    """Why ``path`` is not a usable Common Ground SQLite backup, or None when it is."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head != SQLITE_HEADER:
        if head.startswith(PG_ARCHIVE_MAGIC):
            return "this is a PostgreSQL backup, but the workspace uses SQLite"
        return "this is not a SQLite database file"
    try:
        with _connect(path, read_only=True) as connection:
            problem = _integrity_problem(connection)
            if problem:
                return f"the file fails SQLite's integrity check ({problem})"
            has_migrations = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
            ).fetchone()
            marked = (
                has_migrations
                and connection.execute(
                    "SELECT 1 FROM django_migrations WHERE app=? LIMIT 1", (MARKER_APP,)
                ).fetchone()
            )
    except sqlite3.DatabaseError as exc:
        return f"SQLite cannot read the file ({exc})"
    if not marked:
        return "this SQLite database is not a Common Ground workspace"
    return None


def _sqlite_has_data(connection: sqlite3.Connection) -> bool:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    for table in tables:
        if table in BOOKKEEPING_TABLES:
            continue
        quoted = '"' + table.replace('"', '""') + '"'
        if connection.execute(f"SELECT 1 FROM {quoted} LIMIT 1").fetchone():  # noqa: S608
            return True
    return False


def _sqlite_restore(target: Path, source: Path, *, replace: bool) -> None:
    problem = sqlite_backup_problem(source)
    if problem:
        raise BackupError(f"{source}: not restored: {problem}")
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist")
    temporary = _temporary_beside(target, ".restoring")
    try:
        with _connect(source, read_only=True) as backup_file, _connect(temporary) as fresh:
            backup_file.backup(fresh, pages=-1)
            fresh.execute("PRAGMA journal_mode=DELETE")
            copy_problem = _integrity_problem(fresh)
        if copy_problem:
            raise BackupError(
                f"the restored copy failed its integrity check ({copy_problem}); nothing changed"
            )
        if target.exists():
            with _connect(target) as current:
                if _sqlite_has_data(current) and not replace:
                    raise BackupError(f"{target} already holds data; add --yes to replace it with the backup")
                # Leaving WAL mode needs the only connection: it fails while the server runs, and it
                # folds the -wal file into the database so no stale WAL is applied to the new file.
                try:
                    mode = current.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
                except sqlite3.OperationalError as exc:
                    raise BackupError(
                        f"the database is in use ({exc}); stop the server, then restore again"
                    ) from exc
                if str(mode).lower() != "delete":
                    raise BackupError("the database is in use; stop the server, then restore again")
            # Keep the permissions the operator gave the database file.
            os.chmod(temporary, target.stat().st_mode & 0o777)
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# --- PostgreSQL -----------------------------------------------------------------------------


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.parent.name)) or (0,)


def pg_binary(name: str) -> str:
    """Path of ``pg_dump``/``pg_restore``: PATH first, then the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_version_key, reverse=True)
    if candidates:
        return str(candidates[0])
    raise BackupError(
        f"{name} not found: install the PostgreSQL client tools (e.g. apt-get install postgresql-client) "
        "or put them on PATH"
    )


def pg_parameters(database: Database) -> dict[str, str]:
    """The libpq keywords and values that reach ``database`` (those it sets)."""
    named = {
        "host": database.host,
        "port": database.port,
        "user": database.user,
        "password": database.password,
        "dbname": database.name,
        **dict(database.options),
    }
    return {key: value for key, value in named.items() if value}


def pg_environment(database: Database) -> dict[str, str]:
    """The environment for pg_dump and pg_restore: this process's, with ``database``'s libpq variables."""
    # Connection details go through the environment, so the password never shows in `ps`.
    return dict(os.environ) | {PG_VARIABLES[key]: value for key, value in pg_parameters(database).items()}


def _run(command: list[str], database: Database) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=pg_environment(database), capture_output=True, text=True, check=False)


def _pg_backup(database: Database, destination: Path) -> None:
    temporary = _temporary_beside(destination, ".partial")
    try:
        done = _run(
            [
                pg_binary("pg_dump"),
                "--format=custom",
                # Neither owners nor grants: they name this server's roles (postgres-roles.sql), which
                # the server restored to may not have; there its own default privileges grant the rights.
                "--no-owner",
                "--no-acl",
                f"--file={temporary}",
                database.name,
            ],
            database,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def pg_backup_problem(path: Path, database: Database) -> str | None:
    """Why ``path`` is not a usable Common Ground PostgreSQL backup, or None when it is."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head == SQLITE_HEADER:
        return "this is a SQLite backup, but the workspace uses PostgreSQL"
    if not head.startswith(PG_ARCHIVE_MAGIC):
        return "this is not a pg_dump custom-format archive"
    listing = _run([pg_binary("pg_restore"), "--list", str(path)], database)
    if listing.returncode != 0:
        return f"pg_restore cannot read it ({listing.stderr.strip()})"
    if not re.search(r"TABLE public django_migrations\b", listing.stdout):
        return "this PostgreSQL archive is not a Common Ground workspace"
    return None


def _pg_connect(database: Database) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:
        return psycopg.connect(make_conninfo(**pg_parameters(database)))
    except psycopg.OperationalError as exc:
        raise BackupError(f"cannot connect to {database.describe()}: {exc}") from exc


def _pg_has_data(database: Database) -> bool:
    from psycopg import sql

    with _pg_connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            if table in BOOKKEEPING_TABLES:
                continue
            query = sql.SQL("SELECT 1 FROM {} LIMIT 1").format(sql.Identifier("public", table))
            if connection.execute(query).fetchone():
                return True
    return False


def _pg_other_connections(database: Database) -> int:
    """How many other sessions are connected to the database (a running server holds at least one)."""
    with _pg_connect(database) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        ).fetchone()
    return int(row[0]) if row else 0


def _pg_restore(database: Database, source: Path, *, replace: bool) -> None:
    problem = pg_backup_problem(source, database)
    if problem:
        raise BackupError(f"{source}: not restored: {problem}")
    if _pg_has_data(database) and not replace:
        raise BackupError(
            f"{database.describe()} already holds data; add --yes to replace it with the backup"
        )
    # As the SQLite restore does: a live server's writes after the dump would be silently dropped
    # (security review F12).
    others = _pg_other_connections(database)
    if others:
        raise BackupError(
            f"the database is in use ({others} other connection{'s' if others != 1 else ''}, such as a "
            "running server); stop the server, then restore again"
        )
    done = _run(
        [
            pg_binary("pg_restore"),
            "--clean",
            "--if-exists",
            # Older backups hold GRANTs and default privileges for the roles of the server they came
            # from: skip them, and the tables get this server's default privileges (its site role's rights).
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database.name}",
            str(source),
        ],
        database,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing changed: {done.stderr.strip()}")
