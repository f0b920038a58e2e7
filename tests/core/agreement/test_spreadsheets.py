"""Tables as CSV and XLSX files: written, read back, and hostile files refused with a reason."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from commonground.core.agreement.models import Agreement
from commonground.core.agreement.spreadsheets import (
    FORMATS,
    MAX_BYTES,
    SheetError,
    read_csv,
    read_xlsx,
    sheet_format,
    write_csv,
)
from commonground.core.agreement.tables import COLUMNS, TABLES, TableName, table_import, table_rows


@pytest.mark.parametrize("suffix", sorted(FORMATS))
@pytest.mark.parametrize("table", TABLES)
def test_a_table_written_to_a_file_reads_back_to_the_same_agreement(
    agreement: Agreement, suffix: str, table: TableName
) -> None:
    kind = sheet_format(f"export.{suffix}")
    data = kind.write(COLUMNS[table], table_rows(agreement, table))
    sheet = kind.read(data)
    assert table_import(agreement, table, sheet.header, sheet.rows) == agreement


def test_text_that_looks_like_a_formula_is_written_as_text_and_read_back_unchanged() -> None:
    rows = [{"note": '=HYPERLINK("http://evil")'}, {"note": "-5"}, {"note": "@sum"}]
    csv_data = write_csv(["note"], rows)
    assert b"'=HYPERLINK" in csv_data
    assert b"'@sum" in csv_data
    assert [r["note"] for r in read_csv(csv_data).rows] == ['=HYPERLINK("http://evil")', "-5", "@sum"]
    xlsx = FORMATS["xlsx"].write(["note"], rows)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0]
    assert sheet["A2"].data_type == "s"  # a string, not a formula the spreadsheet would run
    assert sheet["A3"].value == -5  # a number stays a number
    assert [r["note"] for r in read_xlsx(xlsx).rows] == ['=HYPERLINK("http://evil")', "-5", "@sum"]


def test_csv_from_a_european_spreadsheet_with_semicolons_and_a_byte_order_mark() -> None:
    data = "\ufeffkpi;date;value\nmeals;2027-02-01;12.5\n".encode()
    sheet = read_csv(data)
    assert sheet.header == ("kpi", "date", "value")
    assert sheet.rows == ({"kpi": "meals", "date": "2027-02-01", "value": "12.5"},)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty: the first row must name the columns"),
        (
            "kpi,date\n".encode("utf-16"),
            "the file is not UTF-8 text (byte 1); save it as 'CSV UTF-8' and try again",
        ),
        (b"kpi,kpi\nx,y\n", "column names repeated in the first row: kpi"),
        (b"a\x00b,c\n", "the file holds binary data, not CSV text"),
        (b"x" * (MAX_BYTES + 1), "the file is 5.0 MB; at most 5 MB"),
    ],
    ids=["empty", "utf-16", "repeated-column", "binary", "huge"],
)
def test_bad_csv_is_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(SheetError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        read_csv(data)


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(SheetError, match=r"^the file is not an Excel workbook \(.xlsx\)"):
        read_xlsx(b"PK\x03\x04 not really a zip")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hello.txt", "a zip, but no workbook")
    with pytest.raises(SheetError, match=r"^the file is not an Excel workbook"):
        read_xlsx(archive.getvalue())


def test_only_csv_and_xlsx_file_names_are_accepted() -> None:
    with pytest.raises(SheetError, match=r"^'kpis.ods': give a .csv or .xlsx file$"):
        sheet_format("kpis.ods")


def _bomb(padding: int) -> bytes:
    """A real workbook whose sheet is padded with ``padding`` spaces: tiny zipped, huge unzipped."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["kpi", "date", "value"])
    plain = io.BytesIO()
    workbook.save(plain)
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = _bomb(100 * 1024 * 1024)
    assert len(bomb) < MAX_BYTES // 10
    started = time.perf_counter()
    with pytest.raises(SheetError, match=r"^the workbook unpacks to 100 MB; at most 64 MB"):
        read_xlsx(bomb)
    assert time.perf_counter() - started < 0.5
    assert read_xlsx(_bomb(1000)).header == ("kpi", "date", "value")  # padding alone is no problem
