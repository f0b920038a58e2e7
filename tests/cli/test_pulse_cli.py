"""``commonground pulse analyse``: formats, suppression in every format, bad input named by row and column."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commonground.cli import cli
from commonground.core.alignment import responses
from commonground.pulse_cli import PULSE_FORMATS
from commonground.reports.pulse import PULSE_FORMATS as RENDERERS

HEADER = "checkin,respondent,partner,item,score,about,role,comment\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def bad_input(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def write(tmp_path: Path, text: str, name: str = "responses.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def partnership(tmp_path: Path, sizes: dict[str, int], checkins: int = 2) -> str:
    rng = random.Random(4)
    rows = [
        f"2026-{c:02d}-01,{p}{i},{p},voice,{rng.randint(2, 5)},,,"
        for c in range(1, checkins + 1)
        for p, size in sizes.items()
        for i in range(size)
    ]
    return write(tmp_path, HEADER + "\n".join(rows) + "\n")


def test_the_format_choices_are_the_registered_renderers() -> None:
    assert set(PULSE_FORMATS) == set(RENDERERS)


def test_json_cells_hide_a_small_partner_and_its_protector(tmp_path: Path) -> None:
    result = run(
        "pulse", "analyse", partnership(tmp_path, {"North": 12, "South": 6, "East": 2}), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    cells = {(c["checkin"], c["partner"]): c for c in data["cells"]}
    assert cells[("2026-01-01", "all")]["n"] == 20
    assert cells[("2026-01-01", "East")] == {
        **cells[("2026-01-01", "East")],
        "n": None,
        "mean": None,
        "suppressed": True,
    }
    assert cells[("2026-01-01", "South")]["suppressed"] is True
    assert cells[("2026-01-01", "North")]["n"] == 12
    assert {"alerts", "gaps", "comments", "notes"} <= set(data)


def test_text_names_what_is_hidden_and_why(tmp_path: Path) -> None:
    result = run("pulse", "analyse", partnership(tmp_path, {"A": 3, "B": 3}))
    assert result.exit_code == 0, result.output
    assert "fewer than 5 of its people answered" in result.output
    assert "Pooling several check-ins does not make the same people anonymous" in result.output


def test_html_is_one_escaped_page_with_a_chart(tmp_path: Path) -> None:
    rows = [f'1,r{i},<script>x</script>,voice,4,,,"<b>hi</b>"' for i in range(12)]
    out = tmp_path / "pulse.html"
    result = run(
        "pulse", "analyse", write(tmp_path, HEADER + "\n".join(rows)), "--format", "html", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;b&gt;hi&lt;/b&gt;" in page
    assert "<svg" in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("checkin,respondent,partner,score\n1,a,A,4\n", "missing column item"),
        (HEADER + "1,a,A,voice,7,,,\n", ":2: column score: '7' is not a whole number from 1 to 5"),
        (HEADER + "1,a,A,voice,x,,,\n", ":2: column score: 'x'"),
        (HEADER + "1,,A,voice,4,,,\n", ":2: column respondent: is empty"),
        (
            HEADER + "1,a,A,voice,4,,,\n1,a,A,voice,5,,,\n",
            ":3: column respondent: 'a' already answered 'voice'",
        ),
        ("", "the file is empty"),
    ],
)
def test_bad_input_names_row_and_column(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in bad_input(run("pulse", "analyse", write(tmp_path, text)))


def test_a_second_about_answer_is_not_a_repeat(tmp_path: Path) -> None:
    text = HEADER + "1,a,A,voice,4,,,\n1,a,A,voice,2,B,,\n"
    assert run("pulse", "analyse", write(tmp_path, text)).exit_code == 0


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "1,a,Zürich,voice,4,,,\n").encode("latin-1"))
    assert "not UTF-8" in bad_input(run("pulse", "analyse", str(path)))


def test_too_many_rows_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(responses, "MAX_ROWS", 3)
    text = HEADER + "".join(f"1,r{i},A,voice,4,,,\n" for i in range(5))
    assert "more than 3 rows" in bad_input(run("pulse", "analyse", write(tmp_path, text)))


def test_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    assert "file not found" in bad_input(run("pulse", "analyse", str(tmp_path / "nope.csv")))


def test_pool_counts_each_person_once_across_the_window(tmp_path: Path) -> None:
    # Partner B has 3 people per check-in but different people each month: 6 over two check-ins.
    rows = [f"{c},a{i},A,voice,4,,," for c in (1, 2) for i in range(8)]
    rows += [f"{c},b{c}-{i},B,voice,2,,," for c in (1, 2) for i in range(3)]
    result = run(
        "pulse", "analyse", write(tmp_path, HEADER + "\n".join(rows)), "--format", "json", "--pool", "2"
    )
    assert result.exit_code == 0, result.output
    pooled = {c["partner"]: c for c in json.loads(result.output)["pooled"]}
    assert pooled["B"]["n"] == 6
    assert pooled["B"]["mean"] == 2.0


def test_pipes_devices_and_folders_are_refused_without_reading_them(tmp_path: Path) -> None:
    """A named pipe would block for ever and /dev/zero never ends: refused before any read."""
    fifo = tmp_path / "answers.csv"
    os.mkfifo(fifo)
    for source in (str(fifo), "/dev/zero"):
        assert "not a regular file" in bad_input(run("pulse", "analyse", source))
    assert "is a directory" in bad_input(run("pulse", "analyse", str(tmp_path)))


def test_the_example_year_shows_its_drift_and_its_gap() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "pulse-answers.csv"
    result = run("pulse", "analyse", str(example), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    drifts = {(a["item"], a["partner"]) for a in data["alerts"]}
    assert ("voice", "Meadowgate Supermarkets") in drifts
    assert all(item == "voice" for item, _ in drifts)  # nothing else moved
    fairness = [g for g in data["gaps"] if g["item"] == "fairness"]
    assert len(fairness) == 12
    assert all(g["difference"] > 0.7 and g["p_value"] < 0.05 for g in fairness)
