"""``commonground directory index`` and what ``discover --approximate`` needs from it.

The approximate index is optional (``commonground[approximate]``, usearch): ``directory index``
builds it beside the directory's vectors; ``discover --approximate`` uses it when it is fresh and
stops with exit 2 and a message when there is none or it is out of date (a user who asked for the
fast mode should learn that it is not there, not get a slower answer silently). ``add``, ``remove``
and ``compact`` leave it stale and say so; nothing is rebuilt behind the user's back (a million rows
take minutes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from commonground.core.directory.approximate import ApproximateIndex
    from commonground.core.directory.discovery import Discovery
    from commonground.core.directory.storage import Directory


Command = TypeVar("Command", bound=Callable[..., Any])


def directory_option(help_text: str) -> Callable[[Command], Command]:
    """``--directory/-d DIR`` as every directory command and ``discover`` take it."""
    return click.option(
        "--directory",
        "-d",
        "target",
        required=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


@click.command("index")
@directory_option("Directory to index.")
@click.option(
    "--kind",
    type=click.Choice(["hnsw"]),
    default="hnsw",
    show_default=True,
    help="Index kind (an HNSW graph, usearch).",
)
@click.option(
    "--threads",
    type=click.IntRange(0, 1024),
    default=0,
    show_default=True,
    help="Threads to build with (0: every core).",
)
def index(target: Path, kind: str, threads: int) -> None:
    """Build the approximate index `discover --approximate` uses (replaced atomically)."""
    from commonground.core.directory.approximate import build_index
    from commonground.core.directory.storage import open_directory
    from commonground.directory_cli import _directory_errors, _progress

    with _directory_errors():
        current = open_directory(target)
        started = time.perf_counter()
        with _progress(current.count, "Indexing organisations") as advance:
            info = build_index(target, threads=threads, progress=advance)
    seconds = max(time.perf_counter() - started, 1e-9)
    click.echo(
        f"{target}: {kind} index of {info.count} organisations in {seconds:.1f} s "
        f"({info.count / seconds:.0f} organisations/s)"
    )


def stale_note(target: Path) -> None:
    """After a write: say on standard error that an existing approximate index is now out of date."""
    from commonground.core.directory.approximate import META

    if (Path(target) / META).is_file():
        click.echo(
            f"note: the approximate index of {target} is now out of date; "
            f"rebuild it with `commonground directory index --directory {target}`",
            err=True,
        )


def open_for_discover(current: Directory, expansion: int | None) -> ApproximateIndex:
    """The fresh index for ``discover --approximate`` (IndexUnavailable, i.e. exit 2, otherwise)."""
    from commonground.core.directory.approximate import open_index

    return open_index(current, expansion=expansion)


def mode_line(found: Discovery) -> str:
    """The text output's line on which search answered and why."""
    if found.search_mode == "approximate":
        return f"Search: approximate ({found.search_reason}; exact float re-rank of its candidates)"
    return f"Search: exact ({found.search_reason})"
