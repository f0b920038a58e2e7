"""The ``commonground`` command-line tool.

Exit codes: 0 success, 2 bad input (each problem on stderr as ``file:line: path: message``),
1 an unexpected error. Heavy modules (the embedding model, reports, Django) are imported inside
the commands that need them, so ``commonground --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from commonground import __version__
from commonground.cli_options import output_option
from commonground.core.loading import MAX_BYTES, LoadError, Problem, problems_shown
from commonground.output_files import batched, replacing_file

if TYPE_CHECKING:
    from commonground.core.profiles import Partnership, Profile
    from commonground.core.results import AssessmentResult
    from commonground.reports.about import About

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2

# The report formats registered in commonground.reports (listed here so --help stays fast;
# tests/cli/test_cli.py checks the two lists agree). "summary" is the one-page board summary.
ASSESS_FORMATS = ("text", "json", "html", "summary", "summary-pdf")
DEMO_PARTNERSHIPS = (
    ("strong fit", "partnership-strong-fit.yaml"),
    ("workable", "partnership-workable.yaml"),
    ("blocked", "partnership-blocked.yaml"),
)


class InputError(Exception):
    """Bad input that is not a profile problem (a missing column, an empty list of texts ...)."""


def usable_cores() -> int:
    """The cores this process may run on (its affinity, which containers narrow), not the host's."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _print_problems(problems: Sequence[Problem]) -> None:
    shown, more = problems_shown(problems)
    for problem in shown:
        click.echo(str(problem), err=True)
    if more:
        click.echo(f"… and {more:,} more", err=True)
    count = len(problems)
    click.echo(f"{count:,} problem{'s' if count != 1 else ''} found", err=True)


class _Group(click.Group):
    """Turns known failures into exit codes and messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except LoadError as exc:
            _print_problems(exc.problems)
            ctx.exit(EXIT_BAD_INPUT)
        except InputError as exc:
            click.echo(f"commonground: error: {exc}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except BrokenPipeError:
            # The reader went away (e.g. `| head`); nothing useful left to say.
            ctx.exit(EXIT_OK)
        except Exception as exc:
            if os.environ.get("COMMONGROUND_DEBUG"):
                raise
            click.echo(
                f"commonground: unexpected error: {type(exc).__name__}: {exc}\n"
                "Set COMMONGROUND_DEBUG=1 to see the traceback, and please report it.",
                err=True,
            )
            ctx.exit(EXIT_UNEXPECTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="commonground")
def cli() -> None:
    """Common Ground: see where partner organisations' missions meet and clash."""


def write_output(text: str | bytes, output: Path | None) -> None:
    """Write a report to ``output``, or to standard output when there is none."""
    if isinstance(text, bytes):
        _write_binary(text, output)
        return
    write_chunks([text if text.endswith("\n") else text + "\n"], output)


def write_chunks(chunks: Iterable[str], output: Path | None) -> None:
    """Write a text report given in pieces to ``output`` (or stdout) as they come, never whole."""
    if output is None:
        for batch in batched(chunks):
            click.echo(batch, nl=False)
        return
    try:
        with replacing_file(output) as handle:
            for chunk in chunks:
                handle.write(chunk)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {output}", err=True)


def _write_binary(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        with replacing_file(output, binary=True) as handle:
            handle.write(data)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {output}", err=True)


def check_engine(engine: str | None) -> None:
    """InputError naming the available engines when ``engine`` is not one of them."""
    if engine is None:
        return
    from commonground.core.semantics.engines import engine_names

    names = engine_names()
    if engine not in names:
        raise InputError(f"unknown engine {engine!r}; available: {', '.join(names)}")


def _partnership_of_files(files: Sequence[Path]) -> Partnership:
    """The partnership the files describe (profiles, or one partnership file)."""
    from commonground.core.loading import load_inputs

    return load_inputs(files)


def _partnership_of_workspace(url: str, token: str, slugs: Sequence[str]) -> Partnership:
    """The organisations stored in a workspace, read over its API, as one partnership."""
    from commonground.core.profiles import Partnership
    from commonground.workspace_client import WorkspaceError, fetch_profiles

    try:
        profiles = fetch_profiles(url=url, token=token, slugs=slugs)
    except WorkspaceError as exc:
        raise InputError(str(exc)) from exc
    return Partnership(partners=profiles)


def _assess(
    partnership: Partnership, engine: str | None, explain: tuple[str, str] | None, pairs: Path | None
) -> tuple[AssessmentResult, list[Profile]]:
    """The assessment to print (``--explain``: one pair of it) and the partner profiles it used."""
    from commonground.coalition_cli import PairOptionError, assess_coalition

    # Check the input before the engine loads, so bad input fails fast.
    check_engine(engine)
    try:
        # A large coalition's pairs spread over every core (core/pair_runs.py: the same answers as in order).
        assessed = assess_coalition(
            partnership, engine=engine, workers=usable_cores(), explain=explain, pairs=pairs
        )
    except PairOptionError as exc:
        raise InputError(str(exc)) from exc
    if pairs is not None:
        count = len(assessed[0].pairs)
        click.echo(f"wrote {pairs} ({count:,} pair{'' if count == 1 else 's'})", err=True)
    return assessed


def _about(profiles: Sequence[Profile]) -> About:
    """Today's date and the profiles used (files have no version number: their content hash names them)."""
    from datetime import date

    from commonground.reports.about import About, ProfileUsed

    used = tuple(ProfileUsed(name=p.name, version=None, fingerprint=p.fingerprint()) for p in profiles)
    return About(assessed_on=date.today(), profiles=used)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ASSESS_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
@click.option("--engine", metavar="NAME", help="Embedding engine to use (default: the built-in model).")
@click.option(
    "--workspace",
    metavar="URL",
    help="Read the profiles from this workspace over its API: FILES are then organisations' slugs.",
)
@click.option(
    "--token",
    envvar="COMMONGROUND_TOKEN",
    metavar="TOKEN",
    help="The workspace API token (or set COMMONGROUND_TOKEN, which keeps it out of shell history).",
)
@click.option(
    "--explain",
    nargs=2,
    metavar="NAME NAME",
    help="Assess only these two partners of the coalition: every finding of their pair.",
)
@click.option(
    "--pairs",
    "pairs_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every pair's full result to FILE as JSON Lines, one pair per line, in pair order "
    "(above 20 partners the result itself keeps a summary of each pair).",
)
def assess(
    files: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    engine: str | None,
    workspace: str | None,
    token: str | None,
    explain: tuple[str, str] | None,
    pairs_file: Path | None,
) -> None:
    """Assess partner fit: two or more profiles, or one partnership file (or, with --workspace,
    two or more organisations stored in a workspace)."""
    if fmt in ("html", "summary") and output is None and sys.stdout.isatty():
        raise click.UsageError("HTML is meant for a file: add --output report.html (or redirect stdout).")
    if fmt == "summary-pdf" and output is None and sys.stdout.isatty():
        raise click.UsageError("A PDF is meant for a file: add --output summary.pdf (or redirect stdout).")
    given = click.get_current_context().get_parameter_source("token")
    if token and not workspace and given is click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--token is for --workspace URL")
    if workspace:
        partnership = _partnership_of_workspace(workspace, token or "", [str(f) for f in files])
    else:
        partnership = _partnership_of_files(files)
    result, profiles = _assess(partnership, engine, explain or None, pairs_file)
    if fmt == "json":
        from commonground.reports.json_format import json_chunks

        # 200 partners give 140 MB of JSON: written as it is serialised, never held whole.
        write_chunks(json_chunks(result), output)
        return
    from commonground.reports import render
    from commonground.reports.board import PdfUnavailable

    color = fmt == "text" and output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    try:
        report = render(result, fmt, color=color, about=_about(profiles))
    except PdfUnavailable as exc:
        raise InputError(str(exc)) from exc
    write_output(report, output)


def read_input_bytes(source: str, *, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``source`` (a regular file, or ``-`` for standard input), at most ``limit``."""
    too_big = InputError(f"{source}: more than {limit // 1024 // 1024} MB of text; give at most that")
    try:
        if source == "-":
            stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
            raw = stream.read(limit + 1) if stream else sys.stdin.read(limit + 1).encode()
        else:
            path = Path(source)
            if not path.exists():
                raise InputError(f"{source}: file not found")
            if not path.is_file():
                # A named pipe could block for ever and /dev/zero never ends.
                raise InputError(f"{source}: not a regular file")
            if path.stat().st_size > limit:
                raise too_big
            with path.open("rb") as handle:
                raw = handle.read(limit + 1)  # the file may grow between stat and read
    except OSError as exc:
        raise InputError(f"{source}: cannot read the file: {exc.strerror or exc}") from exc
    if len(raw) > limit:
        raise too_big
    return raw


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check profile, partnership, agreement and network survey files and list every problem."""
    from commonground.core.agreement.models import Agreement
    from commonground.core.loading import load_any
    from commonground.core.network.survey import Survey
    from commonground.core.profiles import Partnership

    problems: list[Problem] = []
    for path in files:
        try:
            loaded = load_any(path)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(loaded, Partnership):
            detail = f"partnership: {loaded.title}, {len(loaded.initiatives)} initiative(s)"
        elif isinstance(loaded, Agreement):
            detail = f"agreement ({loaded.state}): {loaded.title}, {len(loaded.who.partners)} partners"
        elif isinstance(loaded, Survey):
            detail = (
                f"network survey: {loaded.coalition}, {len(loaded.organisations)} organisations, "
                f"{len(loaded.rounds)} round(s)"
            )
        else:
            detail = f"profile: {loaded.name}"
        click.echo(f"ok  {path}  ({detail})")
    if problems:
        raise LoadError(problems)


@cli.command()
@click.argument("kind", type=click.Choice(("profile", "agreement", "network-survey")), default="profile")
def schema(kind: str) -> None:
    """Print the JSON Schema of a file format, version 1: profile (default), agreement or network-survey."""
    if kind == "network-survey":
        from commonground.core.network.loading import survey_json_schema

        document = survey_json_schema()
    elif kind == "agreement":
        from commonground.core.agreement.loading import agreement_json_schema

        document = agreement_json_schema()
    else:
        from commonground.core.loading import profile_json_schema

        document = profile_json_schema()
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@cli.command()
@click.argument(
    "path", default="profile.yaml", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def init(path: Path, force: bool) -> None:
    """Write a commented profile template (default profile.yaml).

    Give '-' as PATH to print it instead.
    """
    from commonground.core.loading import profile_template

    template = profile_template()
    if str(path) == "-":
        click.echo(template, nl=False)
        return
    if path.exists() and not force:
        raise InputError(f"{path} already exists; use --force to overwrite it")
    try:
        path.write_text(template, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {path}; fill in name, kind and mission, then run: commonground validate {path}")


def _examples_dir() -> Path:
    """Where the example files live: $COMMONGROUND_EXAMPLES, the source checkout, or the package."""
    candidates = []
    if env := os.environ.get("COMMONGROUND_EXAMPLES"):
        candidates.append(Path(env))
    here = Path(__file__).resolve()
    candidates += [here.parents[2] / "examples", here.parent / "data" / "examples"]
    for candidate in candidates:
        if (candidate / DEMO_PARTNERSHIPS[0][1]).is_file():
            return candidate
    raise InputError("cannot find the example files; set COMMONGROUND_EXAMPLES to the examples folder")


@cli.command()
@click.option("--engine", metavar="NAME", help="Embedding engine to use (default: the built-in model).")
def demo(engine: str | None) -> None:
    """Assess the three example partnerships, one line each."""
    from commonground.reports.labels import truncate
    from commonground.reports.numbers import score_text

    folder = _examples_dir()
    for label, filename in DEMO_PARTNERSHIPS:
        path = folder / filename
        result, _ = _assess(_partnership_of_files([path]), engine, None, None)
        top = min(result.conflicts, key=lambda c: c.severity.rank, default=None)
        worst = f"{top.severity.value} {top.kind.words}: {truncate(top.summary, 90)}" if top else "none"
        click.echo(
            f"{label:<11} {result.title}: score {score_text(result.score)}, {result.verdict.words}; "
            f"top conflict: {worst}"
        )
    click.echo(f"\nFull reports: commonground assess {folder / DEMO_PARTNERSHIPS[0][1]}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--demo", "demo_data", is_flag=True, help="Start with the example organisations loaded.")
def serve(host: str, port: int, demo_data: bool) -> None:
    """Run the web workspace (Django)."""
    from commonground.web.server import run

    run(host=host, port=port, demo=demo_data)


@contextlib.contextmanager
def _backup_errors() -> Iterator[None]:
    """Turn a ``BackupError`` inside the block into an ``InputError`` (its message says what to do)."""
    from commonground.web.backups import BackupError

    try:
        yield
    except BackupError as exc:
        raise InputError(str(exc)) from exc


def _workspace_database(*, migrating: bool = False) -> Any:
    """The web workspace's database (from COMMONGROUND_DATA_DIR / DATABASE_URL, as `serve` uses); with
    ``migrating``, logged in as DATABASE_MIGRATE_URL's role when set (a restore re-creates tables)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.web.settings")
    from django.conf import settings

    from commonground.web.backups import database_from_settings
    from commonground.web.database_roles import migration_settings

    database = settings.DATABASES["default"]
    with _backup_errors():
        return database_from_settings(migration_settings(database) if migrating else database)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def backup(file: Path, force: bool) -> None:
    """Back up the web workspace's database to FILE (safe while the server runs)."""
    from commonground.web.backups import backup as backup_database

    database = _workspace_database()
    with _backup_errors():
        backup_database(database, file, overwrite=force)
    click.echo(f"backed up {database.describe()} to {file}")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that already holds data.")
def restore(file: Path, yes: bool) -> None:
    """Replace the web workspace's database with the backup in FILE (stop the server first)."""
    from commonground.web.backups import restore as restore_database

    database = _workspace_database(migrating=True)
    with _backup_errors():
        restore_database(database, file, replace=yes)
    click.echo(f"restored {file} into {database.describe()}")


# The agreement commands live in their own module; it imports this one only inside its commands.
from commonground.agreement_cli import agreement  # noqa: E402

cli.add_command(agreement)

# The pulse commands (check-in results) live in their own module, wired the same way.
from commonground.pulse_cli import pulse  # noqa: E402

cli.add_command(pulse)

# The directory of many organisations and partner discovery, wired the same way.
from commonground.directory_cli import directory  # noqa: E402
from commonground.discover_cli import discover  # noqa: E402

cli.add_command(directory)
cli.add_command(discover)

# A coalition's network survey, wired the same way.
from commonground.network_cli import network  # noqa: E402

cli.add_command(network)

# Mapping texts to SDGs, wired the same way.
from commonground.sdgs_cli import sdgs  # noqa: E402

cli.add_command(sdgs)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="commonground")
