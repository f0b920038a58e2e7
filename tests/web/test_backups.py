"""`commonground backup` / `restore`: consistent while writing, intact after restore, refuses bad input.

SQLite tests run the real CLI in a subprocess against a throwaway data directory (so they do not
touch the test database and run the same on the PostgreSQL pass); the PostgreSQL test runs only
when DATABASE_URL names a PostgreSQL server (scripts/test.sh runs tests/web a second time that way).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from commonground import cli
from commonground.web import backups

DB_NAME = "commonground.sqlite3"


@contextlib.contextmanager
def _sqlite(target: Path | str, **kwargs: Any) -> Iterator[sqlite3.Connection]:
    """A connection that commits on success and is always closed (sqlite3's own `with` only commits)."""
    connection = sqlite3.connect(target, **kwargs)
    try:
        with connection:
            yield connection
    finally:
        connection.close()


def _env(data_dir: Path, database_url: str | None = None, migrate_url: str | None = None) -> dict[str, str]:
    unset = {"DATABASE_URL", "DATABASE_MIGRATE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["COMMONGROUND_DATA_DIR"] = str(data_dir)
    env["COMMONGROUND_SECRET_KEY"] = "test-backups-not-secret"
    if database_url:
        env["DATABASE_URL"] = database_url
    if migrate_url:
        env["DATABASE_MIGRATE_URL"] = migrate_url
    return env


def _commonground(
    *args: str, data_dir: Path, database_url: str | None = None, migrate_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from commonground.cli import main; main()", *args],
        env=_env(data_dir, database_url, migrate_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _migrate(data_dir: Path, database_url: str | None = None, migrate_url: str | None = None) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "commonground.web.manage", "migrate", "-v0"],
        env=_env(data_dir, database_url, migrate_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, fully migrated workspace database (made once; copy it, never write to it)."""
    data_dir = tmp_path_factory.mktemp("template")
    _migrate(data_dir)
    return data_dir / DB_NAME


@pytest.fixture
def workspace(tmp_path: Path, migrated_template: Path) -> Path:
    """A data directory holding a migrated SQLite workspace database in WAL mode."""
    data_dir = tmp_path / "live"
    data_dir.mkdir()
    with _sqlite(migrated_template) as source, _sqlite(data_dir / DB_NAME) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    return data_dir


def _add_user(connection: sqlite3.Connection, username: str) -> None:
    connection.execute(
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, "
        "is_staff, is_active, date_joined) VALUES ('!', 0, ?, '', '', ?, 0, 1, '2026-01-01 00:00:00')",
        (username, f"{username}@example.org"),
    )


def _usernames(path: Path) -> list[str]:
    with _sqlite(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
        return [row[0] for row in connection.execute("SELECT username FROM auth_user ORDER BY id")]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Writer(threading.Thread):
    """Keeps committing one new user per transaction until stopped; records what it committed."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.committed: list[str] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            connection = sqlite3.connect(self.path, timeout=20, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            n = 0
            while not self.stop.is_set():
                connection.execute("BEGIN IMMEDIATE")
                _add_user(connection, f"writer-{n:06d}")
                connection.execute("COMMIT")
                self.committed.append(f"writer-{n:06d}")
                n += 1
                time.sleep(0.0005)
            connection.close()
        except BaseException as exc:  # reported by the test thread
            self.error = exc


@pytest.fixture
def writer(workspace: Path) -> Iterator[Writer]:
    """A running writer on the workspace database, stopped after the test."""
    thread = Writer(workspace / DB_NAME)
    thread.start()
    yield thread
    thread.stop.set()
    thread.join(timeout=10)


def test_backup_while_writing_keeps_every_committed_row_and_restores_intact(
    workspace: Path, writer: Writer, tmp_path: Path
) -> None:
    while len(writer.committed) < 200:
        time.sleep(0.01)
    committed_before = list(writer.committed)
    backup_file = tmp_path / "workspace.backup"

    done = _commonground("backup", str(backup_file), data_dir=workspace)
    written_during_backup = len(writer.committed)
    assert done.returncode == 0, done.stderr
    assert writer.error is None
    assert written_during_backup > len(committed_before), "the writer must keep writing during the backup"

    # The backup is one self-contained file (no -wal beside it) that passes SQLite's own check.
    assert not Path(f"{backup_file}-wal").exists()
    with _sqlite(backup_file) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    in_backup = _usernames(backup_file)
    assert set(committed_before) <= set(in_backup)
    # A consistent snapshot: exactly the first N committed rows, no gaps, nothing invented.
    assert in_backup == writer.committed[: len(in_backup)]

    fresh = tmp_path / "fresh"
    done = _commonground("restore", str(backup_file), data_dir=fresh)
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout
    assert _usernames(fresh / DB_NAME) == in_backup
    with _sqlite(fresh / DB_NAME) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _sqlite_not_a_workspace(path: Path) -> None:
    with _sqlite(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('hello')")


@pytest.fixture
def good_backup(workspace: Path, tmp_path: Path) -> Path:
    """A backup of the workspace taken with one user in it."""
    with _sqlite(workspace / DB_NAME) as connection:
        _add_user(connection, "in-the-backup")
    path = tmp_path / "good.backup"
    backups.backup(backups.Database(engine="sqlite", path=workspace / DB_NAME), path)
    return path


def _run_cli(monkeypatch: pytest.MonkeyPatch, database: Path, *args: str) -> Any:
    """Run the CLI in-process against the SQLite file ``database`` (not the test database)."""
    sqlite = backups.Database(engine="sqlite", path=database)
    monkeypatch.setattr(cli, "_workspace_database", lambda **_: sqlite)
    return CliRunner().invoke(cli.cli, list(args))


@pytest.mark.parametrize(
    ("make_file", "reason"),
    [
        (lambda path, good: path.write_text("name: not a backup\n"), "not a SQLite database file"),
        (lambda path, good: path.write_bytes(good.read_bytes()[:8192]), "SQLite"),
        (_sqlite_not_a_workspace, "not a Common Ground workspace"),
        (lambda path, good: path.write_bytes(b"PGDMP" + b"\0" * 100), "PostgreSQL backup"),
    ],
    ids=["text", "truncated", "other-sqlite", "postgres-archive"],
)
def test_restore_refuses_what_is_not_a_workspace_backup_and_changes_nothing(
    make_file: Any, reason: str, workspace: Path, good_backup: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    database = workspace / DB_NAME
    bogus = tmp_path / "bogus.backup"
    if make_file is _sqlite_not_a_workspace:
        make_file(bogus)
    else:
        make_file(bogus, good_backup)
    with _sqlite(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _digest(database)

    result = _run_cli(monkeypatch, database, "restore", "--yes", str(bogus))

    assert result.exit_code == 2, result.output
    assert "not restored" in result.output
    assert reason in result.output
    assert _digest(database) == before
    assert _usernames(database) == ["in-the-backup"]
    assert sorted(p.name for p in workspace.iterdir() if p.name.startswith(".")) == []


def test_restore_asks_before_replacing_a_database_in_use(
    workspace: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = workspace / DB_NAME
    with _sqlite(database) as connection:
        _add_user(connection, "added-after-the-backup")

    refused = _run_cli(monkeypatch, database, "restore", str(good_backup))
    assert refused.exit_code == 2
    assert "already holds data; add --yes" in refused.output
    assert _usernames(database) == ["in-the-backup", "added-after-the-backup"]

    replaced = _run_cli(monkeypatch, database, "restore", "--yes", str(good_backup))
    assert replaced.exit_code == 0, replaced.output
    assert _usernames(database) == ["in-the-backup"]


def test_restore_refuses_while_the_server_holds_the_database(
    workspace: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = workspace / DB_NAME
    server = sqlite3.connect(database)  # a server connection in WAL mode, with an open read
    server.execute("PRAGMA journal_mode=WAL")
    server.execute("BEGIN")
    server.execute("SELECT count(*) FROM auth_user").fetchone()
    try:
        result = _run_cli(monkeypatch, database, "restore", "--yes", str(good_backup))
    finally:
        server.rollback()
        server.close()
    assert result.exit_code == 2, result.output
    assert "stop the server" in result.output


def test_backup_will_not_overwrite_a_file_without_force(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "existing.backup"
    existing.write_text("keep me")
    result = _run_cli(monkeypatch, workspace / DB_NAME, "backup", str(existing))
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert existing.read_text() == "keep me"
    forced = _run_cli(monkeypatch, workspace / DB_NAME, "backup", "--force", str(existing))
    assert forced.exit_code == 0, forced.output
    assert backups.sqlite_backup_problem(existing) is None


def test_pg_binaries_are_found_or_named_in_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(backups.Path, "glob", lambda self, pattern: iter(()))
    with pytest.raises(backups.BackupError, match="pg_dump not found: install the PostgreSQL client"):
        backups.pg_binary("pg_dump")


# --- PostgreSQL --------------------------------------------------------------------------------


def test_pg_dump_pg_restore_and_psycopg_reach_the_server_as_the_site_does() -> None:
    """The URL's TLS options and its ?host=/?hostaddr= were dropped: the tools used libpq's defaults."""
    import dj_database_url
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    url = (
        "postgres://cg:pw@/cg?host=db.example.org&hostaddr=203.0.113.5&sslmode=verify-full"
        "&sslrootcert=/etc/cg/ca.pem&sslcert=/etc/cg/cg.crt&sslkey=/etc/cg/cg.key&connect_timeout=5"
    )
    database = backups.database_from_settings(dj_database_url.parse(url))
    expected = {
        "PGHOST": "db.example.org",
        "PGHOSTADDR": "203.0.113.5",
        "PGUSER": "cg",
        "PGPASSWORD": "pw",
        "PGDATABASE": "cg",
        "PGSSLMODE": "verify-full",
        "PGSSLROOTCERT": "/etc/cg/ca.pem",
        "PGSSLCERT": "/etc/cg/cg.crt",
        "PGSSLKEY": "/etc/cg/cg.key",
    }
    environment = backups.pg_environment(database)
    assert {key: environment.get(key) for key in expected} == expected
    conninfo = conninfo_to_dict(make_conninfo(**backups.pg_parameters(database)))
    assert conninfo == {
        "host": "db.example.org",
        "hostaddr": "203.0.113.5",
        "user": "cg",
        "password": "pw",
        "dbname": "cg",
        "sslmode": "verify-full",
        "sslrootcert": "/etc/cg/ca.pem",
        "sslcert": "/etc/cg/cg.crt",
        "sslkey": "/etc/cg/cg.key",
    }


POSTGRES_URL = os.environ.get("DATABASE_URL", "")


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    """Two fresh databases on the DATABASE_URL server (source and target), dropped afterwards."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(POSTGRES_URL)
    params = {
        k: v
        for k, v in {
            "host": config.get("HOST"),
            "port": config.get("PORT"),
            "user": config.get("USER"),
            "password": config.get("PASSWORD"),
        }.items()
        if v
    }
    names = [f"cg_backup_src_{os.getpid()}", f"cg_backup_dst_{os.getpid()}"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _insert_user(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        connection.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, "
            "is_staff, is_active, date_joined) VALUES ('!', false, %s, '', '', '', false, true, now())",
            (name,),
        )


def _pg_usernames(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        return [row[0] for row in connection.execute("SELECT username FROM auth_user ORDER BY id")]


@pytest.mark.skipif(
    not POSTGRES_URL.startswith(("postgres://", "postgresql://")),
    reason="needs DATABASE_URL=postgres://... (scripts/test.sh runs tests/web again on PostgreSQL)",
)
def test_postgres_backup_and_restore_round_trip(pg_databases: tuple[str, str], tmp_path: Path) -> None:
    import psycopg

    source_url, target_url = pg_databases
    _migrate(tmp_path, source_url)
    for name in ("alice", "bob", "carol"):
        _insert_user(source_url, name)
    backup_file = tmp_path / "workspace.dump"
    done = _commonground("backup", str(backup_file), data_dir=tmp_path, database_url=source_url)
    assert done.returncode == 0, done.stderr
    assert backup_file.read_bytes().startswith(b"PGDMP")

    garbage = tmp_path / "garbage.dump"
    garbage.write_text("not a dump")
    refused = _commonground("restore", "--yes", str(garbage), data_dir=tmp_path, database_url=source_url)
    assert refused.returncode == 2
    assert "not a pg_dump custom-format archive" in refused.stderr
    assert _pg_usernames(source_url) == ["alice", "bob", "carol"]

    done = _commonground("restore", str(backup_file), data_dir=tmp_path, database_url=target_url)
    assert done.returncode == 0, done.stderr
    assert _pg_usernames(target_url) == ["alice", "bob", "carol"]

    with psycopg.connect(source_url.replace("postgres://", "postgresql://", 1)) as connection:
        connection.execute("DELETE FROM auth_user WHERE username = 'bob'")
    asked = _commonground("restore", str(backup_file), data_dir=tmp_path, database_url=source_url)
    assert asked.returncode == 2
    assert "already holds data; add --yes" in asked.stderr
    assert _pg_usernames(source_url) == ["alice", "carol"]
    replaced = _commonground("restore", "--yes", str(backup_file), data_dir=tmp_path, database_url=source_url)
    assert replaced.returncode == 0, replaced.stderr
    assert _pg_usernames(source_url) == ["alice", "bob", "carol"]


@pytest.mark.skipif(
    not POSTGRES_URL.startswith(("postgres://", "postgresql://")),
    reason="needs DATABASE_URL=postgres://... (scripts/test.sh runs tests/web again on PostgreSQL)",
)
def test_postgres_restore_refuses_while_the_database_is_in_use(
    pg_databases: tuple[str, str], tmp_path: Path
) -> None:
    """Security finding F12: the restore ran against a live server and dropped writes made after the dump."""
    import psycopg

    source_url, _ = pg_databases
    _migrate(tmp_path, source_url)
    backup_file = tmp_path / "workspace.dump"
    done = _commonground("backup", str(backup_file), data_dir=tmp_path, database_url=source_url)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(source_url.replace("postgres://", "postgresql://", 1), autocommit=True) as server:
        server.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, "
            "is_staff, is_active, date_joined) VALUES ('!', false, 'after', '', '', '', false, true, now())"
        )
        refused = _commonground(
            "restore", "--yes", str(backup_file), data_dir=tmp_path, database_url=source_url
        )
        assert refused.returncode == 2
        assert "the database is in use" in refused.stderr
        assert "stop the server" in refused.stderr
    assert _pg_usernames(source_url) == ["after"]
    restored = _commonground("restore", "--yes", str(backup_file), data_dir=tmp_path, database_url=source_url)
    assert restored.returncode == 0, restored.stderr
    assert _pg_usernames(source_url) == []


@pytest.mark.skipif(
    not POSTGRES_URL.startswith(("postgres://", "postgresql://")),
    reason="needs DATABASE_URL=postgres://... (scripts/test.sh runs tests/web again on PostgreSQL)",
)
def test_a_postgres_backup_restores_where_the_roles_have_other_names(tmp_path: Path) -> None:
    """A dump held GRANTs to the source's site role and default privileges of its owner: restoring it
    where those roles do not exist failed; the target's own default privileges give its site role rights."""
    from postgres_roles import role_pair

    with role_pair(POSTGRES_URL) as (owner, site), role_pair(POSTGRES_URL) as (other_owner, other_site):
        _migrate(tmp_path, site, owner)
        _insert_user(site, "alice")
        backup_file = tmp_path / "workspace.dump"
        done = _commonground("backup", str(backup_file), data_dir=tmp_path, database_url=site)
        assert done.returncode == 0, done.stderr

        restored = _commonground(
            "restore", str(backup_file), data_dir=tmp_path, database_url=other_site, migrate_url=other_owner
        )
        assert restored.returncode == 0, restored.stderr
        _insert_user(other_site, "bob")  # the site's role writes rows in the restored tables
        assert _pg_usernames(other_site) == ["alice", "bob"]
