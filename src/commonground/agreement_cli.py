"""``commonground agreement``: draft a partnership agreement from an assessment, and check one.

Same exit codes as the rest of the tool (0 when it could do the work, even with findings; 2 on bad
input, each problem as ``file:line: path: message``). Only click is imported at module level, so
``commonground --help`` stays fast; :mod:`commonground.cli` (which registers this group and turns
errors into exit codes) is imported inside the commands.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

# The formats of commonground.reports.agreement_check.CHECK_FORMATS, listed here so --help stays
# fast (tests/cli/test_agreement_cli.py checks the two agree).
CHECK_FORMATS = ("text", "json", "html")


@click.group()
def agreement() -> None:
    """Draft a partnership agreement from an assessment, and check one."""


@agreement.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout."
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option("--engine", metavar="NAME", help="Embedding engine to use (default: the built-in model).")
def draft(files: tuple[Path, ...], output: Path | None, force: bool, engine: str | None) -> None:
    """Write a first draft agreement (YAML) from a partnership file or two or more profiles.

    The draft is for the partners to edit: shared goals and SDGs become shared objectives, shared
    values principles, and every question to settle and every red line an open item.
    """
    from commonground.cli import InputError, check_engine, write_output
    from commonground.core.loading import load_inputs

    if output is not None and output.exists() and not force:
        # A draft file is where people write; never overwrite their edits by accident.
        raise InputError(f"{output} already exists; use --force to overwrite it")
    partnership = load_inputs(files)
    check_engine(engine)
    from commonground.core.agreement.document import dump_agreement
    from commonground.core.agreement.draft import draft_agreement
    from commonground.core.assessment import assess

    result = assess(partnership, engine=engine)
    write_output(dump_agreement(draft_agreement(partnership, result), comments=True), output)
    if output is not None:
        click.echo(f"edit it with the partners, then run: commonground agreement check {output}", err=True)


@agreement.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(CHECK_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout."
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Check as of this date (YYYY-MM-DD; default: today).",
)
def check(file: Path, fmt: str, output: Path | None, as_of: datetime.datetime | None) -> None:
    """Check an agreement: structure, roles, commitments, KPIs, decisions and equity.

    Exits 0 when the file could be checked, whatever the findings; 2 when it cannot be read.
    """
    from commonground.cli import write_output
    from commonground.core.agreement.check import check_agreement
    from commonground.core.agreement.loading import load_agreement
    from commonground.reports.agreement_check import render_check

    if fmt == "html" and output is None and sys.stdout.isatty():
        raise click.UsageError("HTML is meant for a file: add --output check.html (or redirect stdout).")
    loaded = load_agreement(file)
    today = as_of.date() if as_of is not None else datetime.date.today()
    write_output(render_check(check_agreement(loaded, today=today), fmt), output)
