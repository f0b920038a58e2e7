"""``commonground sdgs``: map texts (one per line, or a CSV column) to the UN Sustainable Development Goals.

Exit 0 on success, 2 on bad input naming the file and the problem. Only click is imported at
module level, so ``commonground --help`` stays fast; the model loads inside the command.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from commonground.cli import InputError, read_input_bytes, write_output
from commonground.cli_options import output_option
from commonground.core.spreadsheet_cells import formula_safe

SDG_FORMATS = ("text", "json", "csv")


def _read_texts(source: str, column: str | None) -> list[str]:
    raw = read_input_bytes(source)
    if b"\x00" in raw:
        raise InputError(f"{source}: this looks like a binary file; give text, one per line, or a CSV file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: the file is not UTF-8 text; save it as UTF-8") from exc
    if column is None:
        return [line.strip() for line in text.splitlines() if line.strip()]
    reader = csv.DictReader(io.StringIO(text))
    fields = reader.fieldnames or []
    if column not in fields:
        available = ", ".join(repr(f) for f in fields) or "none"
        raise InputError(f"{source}: no column {column!r} in the CSV file (columns: {available})")
    try:
        return [cell.strip() for row in reader if (cell := row.get(column) or "").strip()]
    except csv.Error as exc:
        raise InputError(f"{source}: cannot read the CSV file: {exc}") from exc


@click.command()
@click.argument("source", default="-", metavar="[FILE|-]")
@click.option("--column", metavar="NAME", help="Read texts from this column of a CSV file.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(SDG_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
def sdgs(source: str, column: str | None, fmt: str, output: Path | None) -> None:
    """Map texts to UN SDGs: one text per line, or a CSV --column."""
    texts = _read_texts(source, column)
    if not texts:
        raise InputError(f"{source if source != '-' else 'standard input'}: no texts to map")
    from commonground.core.semantics.sdgs import sdg_title

    predictions = _map_with_progress(texts)
    if fmt == "json":
        rows = [
            {
                "text": p.text,
                "primary": p.primary,
                "sdgs": [{"sdg": s.sdg, "score": round(s.confidence, 3)} for s in p.sdgs],
            }
            for p in predictions
        ]
        out = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["text", "primary", "primary_title", "sdgs"])
        for p in predictions:
            scores = ";".join(f"{s.sdg}:{s.confidence:.3f}" for s in p.sdgs)
            title = sdg_title(p.primary) if p.primary else ""
            writer.writerow([formula_safe(p.text), p.primary or "", title, scores])
        out = buffer.getvalue()
    else:
        lines: list[str] = []
        for p in predictions:
            lines.append(p.text)
            if not p.sdgs:
                lines.append("    (no clear SDG)")
            for s in p.sdgs:
                mark = "*" if s.sdg == p.primary else " "
                lines.append(f"  {mark} SDG {s.sdg:>2}  {sdg_title(s.sdg)}  ({s.confidence:.2f})")
        out = "\n".join(lines) + "\n"
    write_output(out, output)


# Below this many texts mapping takes a second or two; above it, show progress on a terminal.
PROGRESS_FROM = 200
PROGRESS_CHUNK = 100


def _map_with_progress(texts: list[str]) -> list[Any]:
    """Map texts to SDGs, with a progress bar on standard error when it is a terminal."""
    from commonground.core.semantics.sdgs import map_sdgs

    if len(texts) < PROGRESS_FROM or not sys.stderr.isatty():
        return map_sdgs(texts)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    predictions: list[Any] = []
    columns = ("Mapping texts to SDGs", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("sdgs", total=len(texts))
        for start in range(0, len(texts), PROGRESS_CHUNK):
            chunk = texts[start : start + PROGRESS_CHUNK]
            predictions.extend(map_sdgs(chunk))
            progress.advance(task, len(chunk))
    return predictions
