"""Tables as files: CSV and XLSX, read into a header and rows of text, and written from rows.

The formats sit in :data:`FORMATS`, each a reader and a writer. To add one (ODS, say), write a
``read(data: bytes) -> Sheet`` that refuses what it cannot read with :class:`SheetError` and a
``write(columns, rows) -> bytes``, and register them under the file suffix.

Uploaded files are untrusted: sizes and row counts are capped before the work starts, CSV must
be UTF-8, and XLSX is parsed by openpyxl in read-only mode with defusedxml installed (it refuses
entity-expansion bombs) once the zip's stated sizes are checked (zip bombs); formulas are read as
their text, never evaluated, and cells written out that start like a formula are prefixed so a
spreadsheet shows them as text.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence

from commonground.core.agreement.tables import MAX_ROWS
from commonground.core.spreadsheet_cells import formula_safe, formula_unsafe, is_number

MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 50
MAX_CELL = 4000
MAX_UNPACKED = 64 * 1024 * 1024  # an XLSX's files once unzipped (10,000 rows of 18 columns: 13 MB)
MAX_MEMBERS = 1000


@dataclasses.dataclass(frozen=True)
class Sheet:
    """A table read from a file: its header and its rows keyed by the header's names."""

    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]


class SheetError(Exception):
    """A file that cannot be read as a table; the message says why in words."""


def _sheet(lines: Sequence[Sequence[object]]) -> Sheet:
    if not lines:
        raise SheetError("the file is empty: the first row must name the columns")
    header = tuple(str(cell or "").strip().lower() for cell in lines[0])
    while header and not header[-1]:
        header = header[:-1]
    if not header:
        raise SheetError("the first row must name the columns")
    if len(header) > MAX_COLUMNS:
        raise SheetError(f"{len(header)} columns; at most {MAX_COLUMNS}")
    if len(set(header)) != len(header):
        repeated = sorted({h for h in header if header.count(h) > 1})
        raise SheetError(f"column names repeated in the first row: {', '.join(repeated)}")
    body = [line for line in lines[1:] if any(str(cell or "").strip() for cell in line)]
    if len(body) > MAX_ROWS:
        raise SheetError(f"{len(body)} rows; at most {MAX_ROWS} can be imported at once")
    rows = []
    for line in body:
        cells = ["" if cell is None else _text(cell) for cell in line]
        rows.append({name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)})
    return Sheet(header, tuple(rows))


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if hasattr(cell, "date") and callable(cell.date):  # a datetime from XLSX: keep the date
        cell = cell.date()
    text = str(cell)
    text = formula_unsafe(text)  # the apostrophe our writers put before text that looks like a formula
    if len(text) > MAX_CELL:
        raise SheetError(f"a cell holds {len(text)} characters; at most {MAX_CELL}")
    return text


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise SheetError(
            f"the file is {len(data) / 1024 / 1024:.1f} MB; at most {MAX_BYTES // 1024 // 1024} MB"
        )


def read_csv(data: bytes) -> Sheet:
    """A UTF-8 CSV file (a byte-order mark is fine; commas or semicolons as separators)."""
    _check_size(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(
            f"the file is not UTF-8 text (byte {exc.start + 1}); save it as 'CSV UTF-8' and try again"
        ) from None
    if "\x00" in text:
        raise SheetError("the file holds binary data, not CSV text")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return _sheet(list(csv.reader(io.StringIO(text), dialect)))
    except csv.Error as exc:
        raise SheetError(f"the file is not valid CSV: {exc}") from None


def _check_unpacked(data: bytes) -> None:
    # A workbook is a zip of XML: a few megabytes can unpack to gigabytes (a zip bomb), and openpyxl
    # reads the shared strings whole. The sizes in the zip's directory are what Python's zipfile
    # will unpack at most (it stops at the stated size), so checking them is enough.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError(f"the file is not an Excel workbook (.xlsx): {exc}") from None
    if len(members) > MAX_MEMBERS:
        raise SheetError(
            f"the workbook holds {len(members)} files; a table needs far fewer (at most {MAX_MEMBERS})"
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED:
        raise SheetError(
            f"the workbook unpacks to {unpacked / 1024 / 1024:.0f} MB; at most "
            f"{MAX_UNPACKED // 1024 // 1024} MB (save the table alone in a new workbook, or as CSV)"
        )


def read_xlsx(data: bytes) -> Sheet:
    """The first worksheet of an Excel workbook."""
    import openpyxl

    _check_size(data)
    _check_unpacked(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError(f"the file is not an Excel workbook (.xlsx): {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        lines: list[tuple[object, ...]] = []
        for line in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            lines.append(line)
            if len(lines) > MAX_ROWS + 1:
                raise SheetError(f"more than {MAX_ROWS} rows; at most {MAX_ROWS} can be imported at once")
        return _sheet(lines)
    finally:
        workbook.close()


def _xlsx_cell(cell: str) -> str | float:
    return float(cell) if cell and is_number(cell) else formula_safe(cell)


def write_csv(columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel reads accents right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([formula_safe(row.get(column, "")) for column in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> bytes:
    """An Excel workbook with one sheet, every cell stored as text."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("table")
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_xlsx_cell(row.get(column, "")) for column in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@dataclasses.dataclass(frozen=True)
class SheetFormat:
    """One file format for tables."""

    media_type: str
    read: Callable[[bytes], Sheet]
    write: Callable[[Sequence[str], Sequence[Mapping[str, str]]], bytes]


FORMATS: dict[str, SheetFormat] = {
    "csv": SheetFormat("text/csv; charset=utf-8", read_csv, write_csv),
    "xlsx": SheetFormat(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", read_xlsx, write_xlsx
    ),
}


def sheet_format(filename: str) -> SheetFormat:
    """The format for a file name by its suffix; :class:`SheetError` for any other."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise SheetError(f"{filename!r}: give a .csv or .xlsx file")
    return FORMATS[suffix]
