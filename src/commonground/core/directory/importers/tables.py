"""Rows of a table (CSV, a register extract) into organisations, with a reason for each row left out."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from commonground.core.directory.countries import imported_country
from commonground.core.directory.records import Entry, Skipped
from commonground.core.profiles import Kind, Profile

# Fields a mapping may fill: the profile's own and the directory's filter fields.
FIELDS = (
    "name",
    "mission",
    "kind",
    "sector",
    "activities",
    "goals",
    "country",
    "region",
    "size",
    "sdgs",
    "key",
)
REQUIRED = ("name", "mission")
# A cell holding several activities or goals separates them with a semicolon or a line break.
_LIST_SPLIT = re.compile(r"\s*(?:;|\n)\s*")


def _items(cell: str) -> list[str]:
    return [part for part in _LIST_SPLIT.split(cell.strip()) if part]


def entry_from_fields(fields: Mapping[str, str], source: str, *, default_kind: str) -> Entry | Skipped:
    """An organisation from named cells, or the reason the row cannot be one."""
    missing = [f for f in REQUIRED if not (fields.get(f) or "").strip()]
    if missing:
        return Skipped(source, f"no {' and no '.join(missing)}")
    kind = (fields.get("kind") or "").strip().lower().replace(" ", "_") or default_kind
    if kind not in {k.value for k in Kind}:
        return Skipped(source, f"kind {kind!r} is not one of {', '.join(k.value for k in Kind)}")
    sdgs: list[int] = []
    for part in re.split(r"[;,\s]+", (fields.get("sdgs") or "").strip()):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 17:
            return Skipped(source, f"SDG {part!r} is not a number from 1 to 17")
        sdgs.append(int(part))
    document = {
        "name": fields["name"].strip(),
        "kind": kind,
        "mission": fields["mission"].strip(),
        "sector": (fields.get("sector") or "").strip()[:200] or None,
        "activities": _items(fields.get("activities") or "")[:200],
        "goals": _items(fields.get("goals") or "")[:100],
    }
    try:
        profile = Profile.model_validate({k: v for k, v in document.items() if v})
    except ValidationError as exc:
        error = exc.errors()[0]
        return Skipped(source, f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}")
    country, warnings = imported_country(fields.get("country"))
    return Entry(
        profile=profile,
        source=source,
        key=(fields.get("key") or "").strip() or None,
        country=country,
        region=(fields.get("region") or "").strip() or None,
        size=(fields.get("size") or "").strip() or None,
        sdgs=tuple(sorted(set(sdgs))),
        warnings=warnings,
    )


class MappingError(ValueError):
    """A column mapping that names an unknown field or a column the file does not have."""


# DictReader puts the cells beyond the header under this key (no header names a column so), and
# gives this value to the columns a short row has no cell for: both mean the cells have shifted.
_EXTRA = "\x00cells beyond the header"
_MISSING = "\x00no cell"  # compared by identity: a cell read from the file is never this object
_BLANK = ("\n", "\r\n", "\r", "")  # a line csv reads as no row at all


class _Lines:
    """A CSV file's lines for the csv module, numbered, with the lines of the row being read kept.

    A row the csv module refuses (a quote left open or closed inside a cell) is skipped at its first
    line, and the lines after that one, which the open quote swallowed, are read again as rows of
    their own. The csv module's cell limit bounds how many lines a row can hold.
    """

    def __init__(self, handle: Iterator[str]) -> None:
        self._handle = handle
        self._again: list[tuple[int, str]] = []
        self._numbered = 0
        self.row: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._again:
            number, line = self._again.pop(0)
        else:
            line = next(self._handle)
            self._numbered += 1
            number = self._numbered
        self.row.append((number, line))
        return line

    def start_row(self) -> None:
        """Forget the lines of the row before."""
        self.row = []

    def span(self) -> tuple[int, int]:
        """The first and last line of the row being read (blank lines before it are not rows)."""
        lines = [n for n, text in self.row if text not in _BLANK] or [n for n, _ in self.row] or [0]
        return lines[0], lines[-1]

    def read_again_after_first(self) -> None:
        """Read the lines after the row's first again, as rows of their own."""
        first = self.span()[0]
        self._again[:0] = [(n, text) for n, text in self.row if n > first]
        self.row = []


def _csv_problem(exc: csv.Error) -> str:
    message = str(exc)
    if message == "unexpected end of data":
        return 'a quote (") opened in this row is never closed'
    if "expected after" in message:
        return 'a quote (") closes in the middle of a cell; quote the whole cell and double any quote in it'
    if "field larger than field limit" in message:
        return f"a cell longer than {csv.field_size_limit():,} characters (a quote left open?)"
    return f"not valid CSV: {message}"


# Separators a spreadsheet writes instead of commas (a semicolon where the comma is the decimal mark).
OTHER_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def _separator_hint(columns: Sequence[str]) -> str:
    """What to do when the header read as one column holds another separator, else ""."""
    if len(columns) != 1:
        return ""
    found = [name for sep, name in OTHER_SEPARATORS.items() if sep in columns[0]]
    if not found:
        return ""
    return (
        f"the file seems to separate its columns with {found[0]}, not commas, so its header was read "
        "as a single column; save it as comma-separated CSV (in a spreadsheet: Save as, "
        '"CSV (comma delimited)") and build again'
    )


def read_csv(path: Path, mapping: Mapping[str, str], *, default_kind: str) -> Iterator[Entry | Skipped]:
    """Rows of a CSV file; ``mapping`` gives our field -> the file's column (same names by default).

    A row whose cells do not line up with the header (more cells, or too few for a column we read)
    or that the csv module cannot read (a stray quote) is skipped with the reason, at its first line.
    """
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise MappingError(f"--map: unknown field {', '.join(unknown)}; fields: {', '.join(FIELDS)}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = _Lines(handle)
        reader = csv.DictReader(lines, restkey=_EXTRA, restval=_MISSING, strict=True)
        try:
            columns = list(reader.fieldnames or [])
        except csv.Error as exc:
            yield Skipped(f"{path}:1", f"the header row cannot be read: {_csv_problem(exc)}", unread=True)
            return
        resolved = {f: mapping.get(f, f) for f in FIELDS}
        absent = [f"{f}={resolved[f]}" for f in REQUIRED if resolved[f] not in columns]
        absent += [f"{f}={c}" for f, c in mapping.items() if c not in columns and f not in REQUIRED]
        if absent:
            raise MappingError(
                f"{path}: no column for {', '.join(absent)} (columns: {', '.join(columns) or 'none'}); "
                + (_separator_hint(columns) or "map them with --map name=COLUMN,mission=COLUMN")
            )
        read = {f: column for f, column in resolved.items() if column in columns}
        while True:
            lines.start_row()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                first, last = lines.span()
                problem = (
                    f'a quote (") opened in this row is not closed where its cell ends (it runs to line '
                    f"{last})"
                    if last > first and "expected after" in str(exc)
                    else _csv_problem(exc)
                )
                yield Skipped(f"{path}:{first}", problem)
                lines.read_again_after_first()
                continue
            first, last = lines.span()
            source = f"{path}:{first}"
            runs = f"; the row runs to line {last} (a quote left open?)" if last > first else ""
            if _EXTRA in row:
                count = len(columns) + len(row[_EXTRA])
                yield Skipped(source, f"{count} cells where the header has {len(columns)}{runs}")
                continue
            short = [column for column in read.values() if row.get(column) is _MISSING]
            if short:
                count = sum(value is not _MISSING for value in row.values())
                yield Skipped(
                    source,
                    f"{count} cells where the header has {len(columns)}: no cell for "
                    f"{', '.join(short)}{runs}",
                )
                continue
            named = {f: str(row.get(column) or "") for f, column in read.items()}
            yield entry_from_fields(named, source, default_kind=default_kind)
