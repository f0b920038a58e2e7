"""``commonground agreement document/export/import/calendar``: files out, tables in, nothing lost."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from commonground import agreement_cli
from commonground.cli import cli
from commonground.core.agreement import spreadsheets, tables
from commonground.core.agreement.loading import load_agreement
from commonground.reports import agreement_document

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "agreement-workable.yaml"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def bad_input(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture
def agreement_file(tmp_path: Path) -> Path:
    """A copy of the workable example agreement the test may change."""
    path = tmp_path / "agreement.yaml"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def test_the_choices_listed_for_help_are_the_real_ones() -> None:
    assert agreement_cli.DOCUMENT_FORMATS == agreement_document.DOCUMENT_FORMATS
    assert agreement_cli.TABLES == tables.TABLES
    assert set(agreement_cli.SHEET_FORMATS) == set(spreadsheets.FORMATS)


def test_help_lists_the_new_commands() -> None:
    out = run("agreement", "--help").output
    for command in ("document", "export", "import", "calendar"):
        assert command in out


# --- document ------------------------------------------------------------------------------------


def test_document_writes_the_agreement_as_html_and_pdf(tmp_path: Path) -> None:
    html, pdf = tmp_path / "agreement.html", tmp_path / "agreement.pdf"
    assert run("agreement", "document", EXAMPLE, "--output", html).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert "Healthy baskets in Eastvale" in page
    assert "WHO: the partners" in page
    result = run(
        "agreement", "document", EXAMPLE, "--format", "pdf", "--output", pdf, "--as-of", "2026-03-31"
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_document_of_a_bad_agreement_exits_2_with_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: agreement\ntitle: T\nwho:\n  partners: []\n", encoding="utf-8")
    out = tmp_path / "out.html"
    assert "who.partners" in bad_input(run("agreement", "document", bad, "--output", out))
    assert not out.exists()


# --- export --------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", tables.TABLES)
def test_export_writes_each_table_as_csv(table: str) -> None:
    result = run("agreement", "export", EXAMPLE, "--table", table)
    assert result.exit_code == 0, result.output
    header = result.output.lstrip("\ufeff").splitlines()[0]
    assert header == ",".join(tables.COLUMNS[table])  # type: ignore[index]


def test_export_xlsx_reads_back_to_the_same_rows(tmp_path: Path) -> None:
    out = tmp_path / "kpis.xlsx"
    assert (
        run("agreement", "export", EXAMPLE, "--table", "kpis", "--format", "xlsx", "-o", out).exit_code == 0
    )
    sheet = spreadsheets.read_xlsx(out.read_bytes())
    assert list(sheet.rows) == tables.table_rows(load_agreement(EXAMPLE), "kpis")


def test_export_needs_a_known_table() -> None:
    result = run("agreement", "export", EXAMPLE, "--table", "budgets")
    assert result.exit_code == 2
    assert "budgets" in result.output


# --- import --------------------------------------------------------------------------------------


def test_import_applies_the_rows_and_writes_a_loadable_agreement(
    agreement_file: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "measurements.csv"
    sheet.write_text("kpi,date,value,note\nfamilies,2026-04-30,210,April count\n", encoding="utf-8")
    new = tmp_path / "new.yaml"
    result = run("agreement", "import", agreement_file, "--table", "measurements", sheet, "--output", new)
    assert result.exit_code == 0, result.output
    assert "comments" in result.output  # told that the file's own comments are not carried over
    readings = load_agreement(new).what.kpis[0].measurements
    assert [(m.date.isoformat(), m.value, m.note) for m in readings][-1] == (
        "2026-04-30",
        210.0,
        "April count",
    )
    assert agreement_file.read_bytes() == EXAMPLE.read_bytes()


def test_import_in_place_replaces_the_agreement_file(agreement_file: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "fulfilment.xlsx"
    sheet.write_bytes(
        spreadsheets.write_xlsx(
            tables.COLUMNS["fulfilment"],
            [{"commitment": "referrals", "date": "2026-06-30", "value": "3500", "note": "Q2"}],
        )
    )
    result = run("agreement", "import", agreement_file, "--table", "fulfilment", sheet, "--in-place")
    assert result.exit_code == 0, result.output
    [referrals] = [c for c in load_agreement(agreement_file).what.commitments if c.id == "referrals"]
    assert [f.value for f in referrals.fulfilment] == [3500.0, 3500.0]


def _refused_and_untouched(
    agreement_file: Path, tmp_path: Path, sheet: Path, table: str = "measurements"
) -> str:
    """Run an import that must fail: exit 2, the agreement unchanged, no output file."""
    new = tmp_path / "new.yaml"
    result = run("agreement", "import", agreement_file, "--table", table, sheet, "--output", new)
    out = bad_input(result)
    assert not new.exists()
    in_place = run("agreement", "import", agreement_file, "--table", table, sheet, "--in-place")
    assert in_place.exit_code == 2
    assert agreement_file.read_bytes() == EXAMPLE.read_bytes()
    return out


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_written(
    agreement_file: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_text("kpi,date,value\nfamilies,2026-04-31,lots\nnope,2026-05-31,200\n", encoding="utf-8")
    out = _refused_and_untouched(agreement_file, tmp_path, sheet)
    assert f"{sheet}: row 2, column date: '2026-04-31' is not a date" in out
    assert f"{sheet}: row 2, column value: 'lots' is not a number" in out
    assert f"{sheet}: row 3, column kpi: no KPI has this id" in out
    assert "3 problems found; nothing was written" in out


def test_an_unknown_column_is_named(agreement_file: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_text("kpi,date,value,colour\nfamilies,2026-04-30,1,red\n", encoding="utf-8")
    out = _refused_and_untouched(agreement_file, tmp_path, sheet)
    assert "row 1, column colour: unknown column; the measurements table has: kpi, date, value" in out


def test_a_file_in_another_encoding_is_refused_with_what_to_do(agreement_file: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_bytes("kpi,date,value,note\nfamilies,2026-04-30,1,Café\n".encode("utf-16"))
    assert "save it as 'CSV UTF-8'" in _refused_and_untouched(agreement_file, tmp_path, sheet)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("kpi,date,value,note\nfamilies,2026-04-30,1,Café\n".encode("latin-1"))
    assert "is not UTF-8 text" in _refused_and_untouched(agreement_file, tmp_path, latin)


def test_a_huge_file_is_refused_before_it_is_read(
    agreement_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "m.csv"
    with sheet.open("wb") as handle:
        handle.truncate(spreadsheets.MAX_BYTES + 1)  # sparse: big on paper, nothing to read
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read"))
    new = tmp_path / "new.yaml"
    out = bad_input(run("agreement", "import", agreement_file, "--table", "kpis", sheet, "--output", new))
    assert "at most 5 MB" in out
    assert not new.exists()


def test_a_file_that_is_not_a_workbook_is_refused(agreement_file: Path, tmp_path: Path) -> None:
    fake = tmp_path / "m.xlsx"
    fake.write_bytes(b"this is not a zip file")
    assert "not an Excel workbook" in _refused_and_untouched(agreement_file, tmp_path, fake)


def test_formula_cells_come_in_as_their_text_and_are_refused_as_numbers(
    agreement_file: Path, tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kpi", "date", "value", "note"])
    sheet.append(["families", "2026-04-30", "=1+1", '=HYPERLINK("http://evil.example","x")'])
    data = io.BytesIO()
    workbook.save(data)
    path = tmp_path / "m.xlsx"
    path.write_bytes(data.getvalue())
    out = _refused_and_untouched(agreement_file, tmp_path, path)
    assert "row 2, column value: '=1+1' is not a number" in out


def test_other_suffixes_and_missing_files_are_refused(agreement_file: Path, tmp_path: Path) -> None:
    ods = tmp_path / "m.ods"
    ods.write_bytes(b"PK")
    assert "give a .csv or .xlsx file" in _refused_and_untouched(agreement_file, tmp_path, ods)
    assert "file not found" in bad_input(
        run("agreement", "import", agreement_file, "--table", "kpis", tmp_path / "gone.csv")
    )


def test_output_and_in_place_together_are_refused(agreement_file: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_text("kpi,date,value\nfamilies,2026-04-30,1\n", encoding="utf-8")
    args = ("agreement", "import", agreement_file, "--table", "measurements", sheet)
    assert run(*args, "--in-place", "--output", tmp_path / "x.yaml").exit_code == 2
    existing = tmp_path / "taken.yaml"
    existing.write_text("mine\n", encoding="utf-8")
    assert "already exists" in bad_input(run(*args, "--output", existing))
    assert existing.read_text(encoding="utf-8") == "mine\n"


def test_a_zip_that_is_not_a_workbook_is_refused(agreement_file: Path, tmp_path: Path) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    path = tmp_path / "m.xlsx"
    path.write_bytes(data.getvalue())
    assert "not an Excel workbook" in _refused_and_untouched(agreement_file, tmp_path, path)


# --- calendar ------------------------------------------------------------------------------------


def test_calendar_writes_the_deadlines_as_ics(tmp_path: Path) -> None:
    out = tmp_path / "deadlines.ics"
    result = run("agreement", "calendar", EXAMPLE, "--output", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert "Review the agreement: Healthy baskets in Eastvale" in text.replace("\r\n ", "")


def test_calendar_of_a_missing_file_exits_2() -> None:
    assert "not found" in bad_input(run("agreement", "calendar", "nowhere.yaml")).lower()
