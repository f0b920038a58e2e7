"""``commonground directory build/add/remove/compact/info`` (``commonground discover`` is in discover_cli.py).

Exit 0 on success, 2 on bad input (a source no importer reads, a bad column mapping, a folder that
is not a directory, no organisation to build from, an unknown kind or country code, a name to remove
or explain that is not in the directory, a build whose --output already holds a directory and no
--replace). Skipped rows are not failures: each is printed on standard
error with its reason and counted. A source file that could not be read at all is: the directory is
still built from the others, and the command exits 2 saying which. Only click is imported at module level, so
``commonground --help`` stays fast.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from commonground.core.directory.records import ImportReport
    from commonground.core.directory.storage import Directory

from commonground.core.wording import counted, visible_controls
from commonground.index_cli import directory_option, index, stale_note

IMPORTER_NAMES = ("charity-commission", "irs990", "jsonl", "csv", "profiles")  # checked in tests/cli
# The profile format's kinds (core.profiles.Kind, not imported: --help stays fast; checked in tests/cli).
KINDS = ("nonprofit", "company", "social_enterprise", "public_agency", "funder", "community_group", "other")


def _input_error(message: str) -> Exception:
    from commonground.cli import InputError

    return InputError(message)


@contextmanager
def _directory_errors() -> Iterator[None]:
    """DirectoryError, a bad mapping or an unknown source become exit 2 with their message."""
    from commonground.core.directory.importers import UnknownSource
    from commonground.core.directory.importers.tables import MappingError
    from commonground.core.directory.storage import DirectoryError

    try:
        yield
    except (DirectoryError, MappingError, UnknownSource) as exc:
        raise _input_error(str(exc)) from exc


def _parse_map(text: str | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(f"{part!r} is not FIELD=COLUMN", param_hint="--map")
        mapping[field.strip()] = column.strip()
    return mapping


def _read_sources(
    sources: tuple[Path, ...], importer: str | None, mapping: str | None, kind: str
) -> ImportReport:
    from commonground.core.directory.importers import ImportOptions, import_sources

    with _directory_errors():
        report = import_sources(
            list(sources),
            options=ImportOptions(mapping=_parse_map(mapping), default_kind=kind),
            name=importer,
        )
    for skipped in report.skipped:
        click.echo(str(skipped), err=True)
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    return report


def _check_unread(report: ImportReport) -> None:
    """Exit 2 when a source file could not be read at all, once the others are in the directory."""
    if unread := report.unread:
        names = ", ".join(s.source for s in unread)
        raise _input_error(
            f"{counted(len(unread), 'source file')} could not be read ({names}; reasons above); "
            "the directory holds the organisations of the others"
        )


def _build(
    output: Path, report: ImportReport, engine_name: str | None, *, replace: bool, batch: int
) -> Directory:
    from commonground.cli import check_engine

    check_engine(engine_name)
    from commonground.core.directory.building import build_directory
    from commonground.core.semantics.engines import get_engine

    engine = get_engine(engine_name)
    total = len(report.entries)
    started = time.perf_counter()
    with _directory_errors(), _progress(total) as advance:
        directory = build_directory(
            output, report.entries, engine=engine, replace=replace, batch=batch, progress=advance
        )
    seconds = max(time.perf_counter() - started, 1e-9)
    warned = len(report.warnings)
    unread = len(report.unread)
    click.echo(
        f"{output}: {counted(directory.count, 'organisation')} ({total} read, "
        f"{counted(len(report.skipped), 'row')} skipped"
        + (
            f", {unread} of them {'a file' if unread == 1 else 'files'} that could not be read"
            if unread
            else ""
        )
        + (f", {counted(warned, 'warning')}" if warned else "")
        + f") in {seconds:.1f} s, {total / seconds:.1f} organisations/s, engine {engine.name}"
    )
    return directory


@contextmanager
def _progress(total: int, label: str = "Reading organisations") -> Iterator[Any]:
    """A rich progress bar on a terminal; elsewhere nothing (logs stay clean)."""
    if not sys.stderr.isatty() or total == 0:
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = (label, BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("build", total=total)
        yield lambda done: bar.advance(task, done)


_SOURCE_OPTIONS = [
    click.option(
        "--from",
        "importer",
        type=click.Choice(IMPORTER_NAMES),
        help="Read every source with this importer (default: told by each file).",
    ),
    click.option(
        "--map",
        "mapping",
        metavar="FIELD=COLUMN,...",
        help="CSV columns: name, mission, kind, country, region, size, sdgs, sector, activities, goals, key.",
    ),
    click.option(
        "--kind",
        "kind",
        type=click.Choice(KINDS),
        default="nonprofit",
        show_default=True,
        help="Kind of organisation for CSV rows with none.",
    ),
    click.option("--engine", metavar="NAME", help="Embedding engine (default: the built-in model)."),
    click.option(
        "--batch",
        type=click.IntRange(1, 10_000),
        default=256,
        show_default=True,
        help="Organisations embedded per batch.",
    ),
]


def _source_options(func: Any) -> Any:
    for option in reversed(_SOURCE_OPTIONS):
        func = option(func)
    return func


@click.group()
def directory() -> None:
    """A directory of many organisations to discover partners in."""


directory.add_command(index)


def _refuse_existing(output: Path) -> None:
    """Exit 2 when ``output`` already holds a directory: a build would silently drop its organisations."""
    from commonground.core.directory.storage import MANIFEST, DirectoryError, open_directory

    if not (output / MANIFEST).is_file():
        return  # a new or empty folder; any other non-empty folder is refused by the build itself
    try:
        held = f"a directory of {counted(open_directory(output).count, 'organisation')}"
    except DirectoryError:
        held = "a directory"
    raise _input_error(
        f"{output} already holds {held}, which this build would replace; nothing was written. "
        f"To add or update organisations, run `commonground directory add SOURCES --directory {output}`; "
        "to replace them all, run the build again with --replace; or give a new --output folder"
    )


@directory.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory folder to write: a new or empty folder, or with --replace an existing directory.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the organisations of an existing directory at --output (atomically); "
    "without it an existing directory is refused (add to one with `directory add`).",
)
@_source_options
def build(
    sources: tuple[Path, ...],
    output: Path,
    replace: bool,
    importer: str | None,
    mapping: str | None,
    kind: str,
    engine: str | None,
    batch: int,
) -> None:
    """Build a directory from profiles, JSON Lines, CSV or a public register's files."""
    if not replace:
        _refuse_existing(output)
    report = _read_sources(sources, importer, mapping, kind)
    if not report.entries:
        raise _input_error(f"no organisation to build from ({len(report.skipped)} skipped)")
    _build(output, report, engine, replace=True, batch=batch)
    stale_note(output)
    _check_unread(report)


@directory.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@directory_option("Directory to add to.")
@_source_options
def add(
    sources: tuple[Path, ...],
    target: Path,
    importer: str | None,
    mapping: str | None,
    kind: str,
    engine: str | None,
    batch: int,
) -> None:
    """Add or update organisations (same key: the new one replaces the old) without a rebuild."""
    from commonground.core.directory.storage import open_directory

    with _directory_errors():
        current = open_directory(target)
    report = _read_sources(sources, importer, mapping, kind)
    if not report.entries:
        raise _input_error(f"no organisation to add ({len(report.skipped)} skipped)")
    _build(target, report, engine or current.engine, replace=False, batch=batch)
    stale_note(target)
    _check_unread(report)


@directory.command()
@click.argument("names", nargs=-1, required=True)
@directory_option("Directory to remove from.")
def remove(names: tuple[str, ...], target: Path) -> None:
    """Remove organisations by key or name, all or none (they stop answering at once; `compact` reclaims
    the space)."""
    from commonground.core.directory.changes import remove_from_directory
    from commonground.core.directory.discovery import find_record
    from commonground.core.directory.storage import open_directory

    with _directory_errors():
        current = open_directory(target)
        found = {name: find_record(current, name) for name in names}
        unknown = [name for name, record in found.items() if record is None]
        if unknown:
            # Checked before anything is written: one typo must not leave half a list removed.
            raise _input_error(
                f"not in the directory: {', '.join(visible_controls(n) for n in unknown)}; "
                "nothing was removed (give each name or key as `discover` lists it)"
            )
        keys = sorted({record.key for record in found.values() if record is not None})
        updated, missing = remove_from_directory(target, keys)
    if missing:
        # Another writer removed them between the check and the lock: still nothing was removed.
        raise _input_error(f"not in the directory: {', '.join(missing)}; nothing was removed")
    click.echo(f"{target}: removed {len(keys)}; {counted(updated.count, 'organisation')}")
    stale_note(target)


@directory.command()
@directory_option("Directory to compact.")
def compact(target: Path) -> None:
    """Rewrite the live organisations as one segment, dropping removed ones."""
    from commonground.core.directory.changes import compact_directory

    with _directory_errors():
        result = compact_directory(target)
    click.echo(f"{target}: {counted(result.count, 'organisation')} in one segment")
    stale_note(target)


@directory.command()
@directory_option("Directory to describe.")
def info(target: Path) -> None:
    """How many organisations, which engine, how many segments, whether the approximate index is fresh."""
    from commonground.core.directory.approximate import index_state
    from commonground.core.directory.storage import open_directory

    with _directory_errors():
        current = open_directory(target)
    removed = sum(len(v) for v in current.manifest.get("tombstones", {}).values())
    click.echo(
        f"{target}: {counted(current.count, 'organisation')}, engine {current.engine} "
        f"({current.dim} dimensions), {counted(len(current.segments), 'segment')}, "
        f"{counted(removed, 'removed row')} awaiting compaction"
    )
    rebuild = "(rebuild: directory index)"
    state = {"none": "none", "fresh": "up to date", "stale": f"out of date {rebuild}"}
    state["unreadable"] = f"unreadable {rebuild}"
    click.echo(f"approximate index: {state[index_state(current)]}")
