"""``commonground network``: the example's figures, every output format, and bad files with exit 2."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from commonground.cli import cli
from commonground.network_cli import NETWORK_FORMATS
from commonground.reports.network import NETWORK_FORMATS as RENDERERS

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "network-riverside.yaml")
HEAD = """\
kind: network-survey
coalition: Test
organisations:
  - {id: a, name: "=cmd|' /C calc'!A0"}
  - {id: b, name: Beta}
rounds:
  - label: r1
    date: 2025-01-01
    ratings:
"""
VALUES = "value: {power: 3, involvement: 3, resources: 3}, trust: {reliable: 4, mission: 4, open: 4}"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def bad_input(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def survey(tmp_path: Path, *ratings: str) -> str:
    path = tmp_path / "survey.yaml"
    path.write_text(HEAD + "".join(f"      - {{{r}}}\n" for r in ratings), encoding="utf-8")
    return str(path)


def test_the_formats_listed_for_help_are_the_renderers_and_the_tables() -> None:
    assert set(NETWORK_FORMATS) == {*RENDERERS, "pdf", "csv", "xlsx"}


def test_the_example_prints_its_figures() -> None:
    result = run("network", EXAMPLE, "--compare", "2025-spring")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(
        "Riverside Together: network survey, round 2026-spring (2026-04-20); 30 organisations"
    )
    assert "density                      0.12    0.00" in out
    assert "degree centralization        0.61    −0.04" in out
    assert "Upper Valley Rural Network" in out
    assert "Change since 2025-spring" in out


def test_an_earlier_round_by_label() -> None:
    result = run("network", EXAMPLE, "--round", "2025-spring", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["label"] == "2025-spring"
    assert document["single_points_of_failure"] == ["valley-network"]
    assert document["isolates"] == ["arts-centre", "credit-union", "refugee-welcome"]
    assert "change" not in document


def test_json_with_the_change() -> None:
    document = json.loads(run("network", EXAMPLE, "--compare", "2025-spring", "--format", "json").stdout)
    assert ["hub", "refugee-welcome"] in document["change"]["new_ties"]
    assert ["hub", "employers"] in document["change"]["lost_ties"]


def test_svg_and_html_are_written_to_files(tmp_path: Path) -> None:
    picture, page = tmp_path / "n.svg", tmp_path / "n.html"
    assert run("network", EXAMPLE, "--format", "svg", "--colour", "value", "-o", str(picture)).exit_code == 0
    root = ET.fromstring(picture.read_text(encoding="utf-8"))  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert run("network", EXAMPLE, "--format", "html", "-o", str(page)).exit_code == 0
    assert "<svg" in page.read_text(encoding="utf-8")


def test_the_pdf_is_written_to_a_file_and_refused_on_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "network.pdf"
    result = run("network", EXAMPLE, "--compare", "2025-spring", "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")


def test_csv_keeps_a_formula_in_a_name_as_text(tmp_path: Path) -> None:
    result = run("network", survey(tmp_path, f"by: b, about: a, level: 2, {VALUES}"), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0]["organisation_a"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["reported_by"] == "b"


def test_xlsx_holds_one_row_per_tie(tmp_path: Path) -> None:
    out = tmp_path / "ties.xlsx"
    assert run("network", EXAMPLE, "--format", "xlsx", "-o", str(out)).exit_code == 0
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert len(rows) == 1 + 54
    assert rows[1][1] == "Riverside Together (backbone)"


@pytest.mark.parametrize(
    ("rating", "message"),
    [
        (f"by: a, about: c, level: 2, {VALUES}", "rounds[0].ratings[0].about: unknown organisation 'c'"),
        (
            f"by: a, about: b, level: 7, {VALUES}",
            "rounds[0].ratings[0].level: must be between 1 and 4 (got 7)",
        ),
        (f"by: a, about: a, level: 2, {VALUES}", "rounds[0].ratings[0].about: 'a' rates itself"),
        (
            f"by: a, about: b, level: 2, {VALUES.replace('open: 4', 'open: 0')}",
            "rounds[0].ratings[0].trust.open: must be between 1 and 4 (got 0)",
        ),
    ],
    ids=["missing organisation", "out of range", "self-rating", "trust out of range"],
)
def test_a_bad_rating_is_named_with_its_line(tmp_path: Path, rating: str, message: str) -> None:
    out = bad_input(run("network", survey(tmp_path, rating)))
    assert f"survey.yaml:10: {message}" in out


def test_a_duplicate_rating_points_at_the_first(tmp_path: Path) -> None:
    rating = f"by: a, about: b, level: 2, {VALUES}"
    out = bad_input(run("network", survey(tmp_path, rating, rating)))
    assert (
        "survey.yaml:11: rounds[0].ratings[1]: 'a' already rates 'b' in this round at rounds[0].ratings[0]"
        in out
    )


def test_an_unknown_round_names_the_rounds() -> None:
    out = bad_input(run("network", EXAMPLE, "--round", "2026"))
    assert "no round labelled '2026'; the rounds are 2025-spring, 2026-spring" in out
    out = bad_input(run("network", EXAMPLE, "--compare", "2024"))
    assert "no round labelled '2024'" in out


def test_comparing_with_a_later_round_is_refused() -> None:
    out = bad_input(run("network", EXAMPLE, "--round", "2025-spring", "--compare", "2026-spring"))
    assert "compare with an earlier round" in out


def test_a_missing_file_and_a_profile_are_bad_input(tmp_path: Path) -> None:
    assert "file not found" in bad_input(run("network", str(tmp_path / "none.yaml")))
    profile = Path(EXAMPLE).with_name("riverside-food-bank.yaml")
    assert "required field 'organisations' is missing" in bad_input(run("network", str(profile)))


def test_validate_reads_a_survey() -> None:
    result = run("validate", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "network survey: Riverside Together, 30 organisations, 2 round(s)" in result.stdout


def test_the_schema_of_a_survey_file() -> None:
    result = run("schema", "network-survey")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["title"] == "Common Ground network survey, format version 1"
    assert set(schema["required"]) == {"coalition", "organisations", "rounds"}
