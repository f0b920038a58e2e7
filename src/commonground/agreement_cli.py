"""``commonground agreement``: draft a partnership agreement from an assessment, and check one.

Same exit codes as the rest of the tool (0 when it could do the work, even with findings; 2 on bad
input, each problem as ``file:line: path: message``). Only click is imported at module level, so
``commonground --help`` stays fast; :mod:`commonground.cli` (which registers this group and turns
errors into exit codes) is imported inside the commands.
"""

from __future__ import annotations

import datetime
import sys
import typing
from pathlib import Path

import click

from commonground.cli_options import output_option

if typing.TYPE_CHECKING:
    from commonground.core.agreement.spreadsheets import Sheet

# The formats of commonground.reports.agreement_check.CHECK_FORMATS, listed here so --help stays
# fast (tests/cli/test_agreement_cli.py checks the two agree).
CHECK_FORMATS = ("text", "json", "html")


@click.group()
def agreement() -> None:
    """Draft a partnership agreement from an assessment, and check one."""


@agreement.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option
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
@output_option
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


# --------------------------------------------------------------------------- document, tables, calendar

# Listed here so --help stays fast (tests/cli/test_agreement_documents.py checks they agree with
# commonground.reports.agreement_document.DOCUMENT_FORMATS, core.agreement.tables.TABLES and
# core.agreement.spreadsheets.FORMATS).
DOCUMENT_FORMATS = ("html", "pdf")
TABLES = ("commitments", "fulfilment", "kpis", "measurements")
SHEET_FORMATS = ("csv", "xlsx")

_TABLE = click.option("--table", "table", type=click.Choice(TABLES), required=True, help="Which table.")


def _not_to_a_terminal(what: str, output: Path | None, suggestion: str) -> None:
    if output is None and sys.stdout.isatty():
        raise click.UsageError(f"{what} is meant for a file: add --output {suggestion} (or redirect stdout).")


@agreement.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(DOCUMENT_FORMATS), default="html", show_default=True,
    help="HTML page or A4 PDF.",
)  # fmt: skip
@output_option
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Show each commitment's status on this date (YYYY-MM-DD; default: leave it out).",
)
def document(file: Path, fmt: str, output: Path | None, as_of: datetime.datetime | None) -> None:
    """Write the agreement as a readable document to print, share or sign: HTML or PDF."""
    from commonground.cli import InputError, write_output
    from commonground.core.agreement.loading import load_agreement
    from commonground.reports.agreement_document import (
        render_agreement_document,
        render_agreement_document_pdf,
    )
    from commonground.reports.board import PdfUnavailable

    _not_to_a_terminal("The document", output, f"agreement.{fmt}")
    loaded = load_agreement(file)
    day = as_of.date() if as_of is not None else None
    if fmt == "html":
        write_output(render_agreement_document(loaded, as_of=day), output)
        return
    try:
        write_output(render_agreement_document_pdf(loaded, as_of=day), output)
    except PdfUnavailable as exc:
        raise InputError(str(exc)) from exc


@agreement.command(name="export")
@click.argument("file", type=click.Path(path_type=Path))
@_TABLE
@click.option(
    "--format", "fmt", type=click.Choice(SHEET_FORMATS), default="csv", show_default=True,
    help="CSV (UTF-8) or an Excel workbook.",
)  # fmt: skip
@output_option
def export_table(file: Path, table: str, fmt: str, output: Path | None) -> None:
    """Write one table of the agreement (commitments, fulfilment, KPIs, measurements) as CSV or XLSX."""
    from commonground.cli import write_output
    from commonground.core.agreement.loading import load_agreement
    from commonground.core.agreement.spreadsheets import FORMATS
    from commonground.core.agreement.tables import COLUMNS, TableName, table_rows

    if fmt == "xlsx":
        _not_to_a_terminal("An Excel workbook", output, f"{table}.xlsx")
    name = typing.cast(TableName, table)
    rows = table_rows(load_agreement(file), name)
    write_output(FORMATS[fmt].write(COLUMNS[name], rows), output)


@agreement.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@_TABLE
@click.argument("sheet", metavar="TABLE_FILE", type=click.Path(path_type=Path))
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the updated agreement to FILE (default: stdout).",
)  # fmt: skip
@click.option("--in-place", "in_place", is_flag=True, help="Replace the agreement file itself.")
@click.option("--force", is_flag=True, help="Overwrite the --output file if it exists.")
def import_table(
    file: Path, table: str, sheet: Path, output: Path | None, in_place: bool, force: bool
) -> None:
    """Apply a CSV or XLSX table to the agreement and write the updated agreement (YAML).

    Rows are matched by id (commitments, KPIs) or by date (fulfilment, measurements). Every problem
    is named by row and column; when there is any, nothing is written and the exit code is 2.
    """
    from commonground.cli import InputError, write_output
    from commonground.core.agreement.document import dump_agreement
    from commonground.core.agreement.loading import load_agreement
    from commonground.core.agreement.tables import TableError, TableName, table_import

    if in_place and output is not None:
        raise click.UsageError("give --output or --in-place, not both")
    if output is not None and output.exists() and not force:
        raise InputError(f"{output} already exists; use --force to overwrite it (or --in-place)")
    loaded = load_agreement(file)
    had_comments = _has_comments(file)
    read = _read_sheet(sheet)
    try:
        updated = table_import(loaded, typing.cast(TableName, table), read.header, read.rows)
    except TableError as exc:
        for problem in exc.problems:
            click.echo(f"{sheet}: {problem}", err=True)
        count = len(exc.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found; nothing was written", err=True)
        raise click.exceptions.Exit(2) from exc
    text = dump_agreement(updated, comments=False)
    if in_place:
        _replace(file, text)
    else:
        write_output(text, output)
    if had_comments:
        click.echo(f"note: the comments of {file} are not carried into the new file", err=True)


def _read_sheet(path: Path) -> Sheet:
    """The table in a CSV or XLSX file; InputError naming the file and the reason when it cannot be read."""
    from commonground.cli import InputError
    from commonground.core.agreement.spreadsheets import MAX_BYTES, SheetError, sheet_format

    try:
        fmt = sheet_format(path.name)
        size = path.stat().st_size
        if size > MAX_BYTES:
            # Refused before reading a byte of it.
            raise SheetError(
                f"the file is {size / 1024 / 1024:.1f} MB; at most {MAX_BYTES // 1024 // 1024} MB"
            )
        return fmt.read(path.read_bytes())
    except SheetError as exc:
        raise InputError(f"{path}: {exc}") from exc
    except FileNotFoundError as exc:
        raise InputError(f"{path}: file not found") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc


def _has_comments(original: Path) -> bool:
    """Whether the agreement file has comment lines (a rewritten file cannot keep them)."""
    try:
        return any(
            line.lstrip().startswith("#") for line in original.read_text(encoding="utf-8").splitlines()
        )
    except (OSError, UnicodeDecodeError):
        return False


def _replace(path: Path, text: str) -> None:
    """Write ``text`` over ``path`` all at once: a half-written agreement file is never left behind."""
    import os
    import shutil
    import tempfile

    from commonground.cli import InputError

    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
        ) as handle:
            handle.write(text)
        shutil.copymode(path, handle.name)  # the file keeps who may read it
        os.replace(handle.name, path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {path}", err=True)


@agreement.command()
@click.argument("file", type=click.Path(path_type=Path))
@output_option
def calendar(file: Path, output: Path | None) -> None:
    """Write the agreement's deadlines, targets, decisions and review date as an .ics calendar."""
    from commonground.cli import write_output
    from commonground.core.agreement.calendar import agreement_calendar
    from commonground.core.agreement.loading import load_agreement

    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    write_output(agreement_calendar(load_agreement(file), stamp=stamp), output)
