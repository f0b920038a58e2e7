"""The ``commonground`` command: exit codes, messages a person can act on, and output shapes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner, Result

from commonground.cli import ASSESS_FORMATS, cli
from commonground.core.loading import MAX_BYTES, parse_profile
from commonground.core.profiles import Profile
from commonground.core.results import AssessmentResult

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MINIMAL = "name: Test Org\nkind: nonprofit\nmission: Help children eat well\n"
OTHER = "name: Other Co\nkind: company\nmission: Sell fizzy drinks\n"


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def assert_clean_failure(result: Result, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("assess", "sdgs", "validate", "schema", "init", "demo", "serve"):
        assert command in result.output


def test_help_imports_neither_django_nor_the_model() -> None:
    code = (
        "import sys\n"
        "from commonground.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'onnxruntime', 'numpy'))\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_console_script_runs() -> None:
    script = Path(sys.executable).with_name("commonground")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_python_dash_m_commonground_runs_the_same_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "commonground", "sdgs", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "SDG" in result.stdout


def test_unknown_command_is_bad_input() -> None:
    assert run("asess").exit_code == 2


# --------------------------------------------------------------------------- validate


def test_validate_good_files_prints_ok() -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    result = run("validate", *files)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("ok  ") == len(files)
    assert "partnership: Riverside surplus food partnership" in result.stdout


def test_validate_bad_file_names_field_and_line(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", MINIMAL)
    bad = write(
        tmp_path / "bad.yaml",
        "name: Test\nkind: nonprofitt\nmission: m\n"
        "stakeholders:\n  - name: P\n    power: 9\n    interest: 3\n",
    )
    result = run("validate", str(good), str(bad))
    assert_clean_failure(result)
    assert f"ok  {good}" in result.stdout
    assert f"{bad}:2: kind: 'nonprofitt' is not allowed; did you mean 'nonprofit'?" in result.stderr
    assert f"{bad}:6: stakeholders[0].power: must be between 1 and 5 (got 9)" in result.stderr
    assert "2 problems found" in result.stderr


BAD_INPUTS: dict[str, tuple[str | bytes, str]] = {
    "malformed yaml": ("name: [Test\nkind: nonprofit\n", "YAML syntax error"),
    "wrong type": (MINIMAL + "values: just one\n", "values: must be a list"),
    "out of range": (MINIMAL + "orientation: {profit_purpose: 3}\n", "between 0 and 1"),
    "unknown kind": ("name: T\nkind: charity\nmission: m\n", "kind: 'charity' is not allowed"),
    "duplicate goal id": (
        MINIMAL + "goals:\n  - {id: g, text: One}\n  - {id: g, text: Two}\n",
        ":6: goals[1].id: goal id 'g' is already used",
    ),
    "unknown field": (MINIMAL + "missions: more\n", "did you mean 'mission'?"),
    "empty file": ("", "the file is empty"),
    "binary file": (b"\x00\x01\x02PK\x03\x04", "binary file"),
    "not utf-8": (b"name: Caf\xe9\n", "not UTF-8"),
    "escaped NUL (F11)": (
        '{"name": "T", "kind": "nonprofit", "mission": "x\\u0000y"}',
        "mission: contains a NUL",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
@pytest.mark.parametrize("command", ["validate", "assess"])
def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path, case: str, command: str) -> None:
    content, expected = BAD_INPUTS[case]
    bad = write(tmp_path / "bad.yaml", content)
    other = write(tmp_path / "other.yaml", OTHER)
    args = [str(bad)] if command == "validate" else [str(bad), str(other)]
    result = run(command, *args)
    assert_clean_failure(result)
    assert expected in result.stderr
    assert str(bad) in result.stderr


def test_missing_partner_file_is_named(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", MINIMAL)
    partnership = write(tmp_path / "p.yaml", "partners:\n  - a.yaml\n  - gone.yaml\n")
    for command in ("validate", "assess"):
        result = run(command, str(partnership))
        assert_clean_failure(result)
        assert f"{partnership}:3: partners[1]: partner file 'gone.yaml' not found" in result.stderr


def test_missing_input_file(tmp_path: Path) -> None:
    result = run("assess", str(tmp_path / "nope.yaml"), str(tmp_path / "nope2.yaml"))
    assert_clean_failure(result)
    assert "nope.yaml: file not found" in result.stderr


def test_huge_file_is_rejected(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run("validate", str(huge))
    assert_clean_failure(result)
    assert "at most 5 MB" in result.stderr


def test_assess_needs_two_partners(tmp_path: Path) -> None:
    result = run("assess", str(write(tmp_path / "a.yaml", MINIMAL)))
    assert_clean_failure(result)
    assert "at least two partners" in result.stderr


def test_unexpected_error_exits_1_without_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import commonground.core.loading as loading

    def explode(paths: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(loading, "load_inputs", explode)
    monkeypatch.delenv("COMMONGROUND_DEBUG", raising=False)
    result = run("assess", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert_clean_failure(result, code=1)
    assert "unexpected error" in result.stderr
    assert "disk on fire" in result.stderr


# --------------------------------------------------------------------------- schema and init


def test_schema_is_json_schema_of_profile_v1() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["required"]) == {"name", "kind", "mission"}
    assert result.stdout.startswith('{\n  "')  # indent 2


def test_init_writes_a_template_that_validates_after_filling(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert run("validate", str(target)).exit_code == 0
    filled = text.replace("name: Example Organisation", "name: Harbour Youth Trust").replace(
        "kind: nonprofit", "kind: community_group"
    )
    target.write_text(filled)
    checked = run("validate", str(target))
    assert checked.exit_code == 0, checked.output
    assert "Harbour Youth Trust" in checked.stdout
    assert parse_profile(filled).kind.value == "community_group"


def test_init_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    target = write(tmp_path / "profile.yaml", "keep me\n")
    result = run("init", str(target))
    assert_clean_failure(result)
    assert "already exists" in result.stderr
    assert target.read_text() == "keep me\n"
    assert run("init", str(target), "--force").exit_code == 0
    assert "keep me" not in target.read_text()


def test_init_to_stdout() -> None:
    result = run("init", "-")
    assert result.exit_code == 0
    assert isinstance(parse_profile(result.stdout), Profile)


# --------------------------------------------------------------------------- sdgs


def test_sdgs_rejects_an_unknown_csv_column(tmp_path: Path) -> None:
    table = write(tmp_path / "t.csv", "id,goal\n1,End hunger\n")
    result = run("sdgs", str(table), "--column", "text")
    assert_clean_failure(result)
    assert "no column 'text'" in result.stderr
    assert "'goal'" in result.stderr


def test_sdgs_with_no_texts_is_bad_input() -> None:
    result = run("sdgs", "-", input="\n   \n")
    assert_clean_failure(result)
    assert "no texts" in result.stderr


def test_sdgs_refuses_pipes_devices_and_oversize_input(tmp_path: Path) -> None:
    """Security finding F17 (issue 9, finding 9): a named pipe hung, /dev/zero ran out of memory."""
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    for source in (str(fifo), "/dev/zero", str(tmp_path)):
        result = run("sdgs", source)
        assert_clean_failure(result)
        assert "not a regular file" in result.stderr
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    for args, given in (((str(big),), None), (("-",), b"x\n" * (MAX_BYTES // 2 + 1))):
        result = run("sdgs", *args, input=given)
        assert_clean_failure(result)
        assert "more than 5 MB of text" in result.stderr


def test_sdgs_csv_writes_formulas_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Security finding F17: a text that a spreadsheet would run is written with an apostrophe."""

    def no_sdgs(texts: list[str]) -> list[SimpleNamespace]:
        return [SimpleNamespace(text=text, primary=None, sdgs=[]) for text in texts]

    from commonground import sdgs_cli as cli_module

    monkeypatch.setattr(cli_module, "_map_with_progress", no_sdgs)
    hostile = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "-2"]
    given = io.StringIO()
    csv.writer(given).writerows([["text"], *([text] for text in hostile)])
    table = write(tmp_path / "formula.csv", given.getvalue())
    result = run("sdgs", str(table), "--column", "text", "--format", "csv")
    assert result.exit_code == 0, result.output
    first_cells = [row[0] for row in csv.reader(io.StringIO(result.stdout))][1:]
    assert first_cells == ["'" + text for text in hostile[:4]] + ["-2"]  # a number stays a number


@pytest.mark.slow
def test_sdgs_json_has_one_object_per_text_in_order(tmp_path: Path) -> None:
    texts = ["End hunger and improve nutrition for children", "", "Expand solar power in rural villages"]
    result = run("sdgs", "--format", "json", input="\n".join(texts) + "\n")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["text"] for row in rows] == [texts[0], texts[2]]
    for row in rows:
        assert set(row) == {"text", "primary", "sdgs"}
        assert row["primary"] is None or 1 <= row["primary"] <= 17
        for score in row["sdgs"]:
            assert set(score) == {"sdg", "score"}
            assert 1 <= score["sdg"] <= 17
            assert score["score"] == round(score["score"], 3)
    table = write(tmp_path / "t.csv", 'id,goal\n1,"End hunger, improve nutrition"\n')
    from_csv = run("sdgs", str(table), "--column", "goal", "--format", "csv")
    assert from_csv.exit_code == 0, from_csv.output
    assert from_csv.stdout.splitlines()[0] == "text,primary,primary_title,sdgs"


# --------------------------------------------------------------------------- assess and demo

CONTRACT_KEYS = {
    "score",
    "verdict",
    "components",
    "conflicts",
    "synergies",
    "goal_matrix",
    "sdgs",
    "questions",
}


@pytest.mark.slow
def test_assess_json_has_the_contract_keys() -> None:
    result = run(
        "assess",
        str(EXAMPLES / "brightstart-child-health.yaml"),
        str(EXAMPLES / "sparkbay-beverages.yaml"),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= CONTRACT_KEYS
    assert 0 <= data["score"] <= 100
    assert data["verdict"] in {"aligned", "workable", "at_risk", "blocked"}
    assert set(data["components"]) >= {"mission", "values", "culture", "stakeholders", "orientation"}


@pytest.mark.slow
def test_assess_partnership_file_text_and_html(tmp_path: Path) -> None:
    partnership = str(EXAMPLES / "partnership-strong-fit.yaml")
    text = run("assess", partnership)
    assert text.exit_code == 0, text.output
    assert "\x1b[" not in text.stdout  # no colour when not a terminal
    report = tmp_path / "report.html"
    html = run("assess", partnership, "--format", "html", "--output", str(report))
    assert html.exit_code == 0, html.output
    assert "<html" in report.read_text().lower()


@pytest.mark.slow
def test_assess_writes_a_dated_board_summary_as_html_and_pdf(tmp_path: Path) -> None:
    partnership = str(EXAMPLES / "partnership-blocked.yaml")
    page, pdf = tmp_path / "summary.html", tmp_path / "summary.pdf"
    for fmt, out in (("summary", page), ("summary-pdf", pdf)):
        result = run("assess", partnership, "--format", fmt, "--output", str(out))
        assert result.exit_code == 0, result.output
    html = page.read_text()
    assert "Board summary" in html
    assert f"Assessed on {date.today().day} {date.today():%B %Y}" in html
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_the_cli_offers_every_registered_report_format() -> None:
    from commonground.reports import formats

    assert sorted(ASSESS_FORMATS) == formats()


@pytest.mark.slow
def test_assess_unknown_engine_is_bad_input() -> None:
    result = run("assess", str(EXAMPLES / "partnership-strong-fit.yaml"), "--engine", "no-such-engine")
    assert_clean_failure(result)
    assert "unknown engine" in result.stderr


@pytest.mark.slow
def test_demo_prints_one_line_per_example_partnership() -> None:
    result = run("demo")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "score" in line]
    assert len(lines) == 3
    assert lines[2].startswith("blocked")
    assert "blocked" in lines[2].split(";")[0]


# --------------------------------------------------------------------------- serve


def test_serve_passes_options_to_the_web_server(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    fake = types.ModuleType("commonground.web.server")
    fake.run = lambda **kwargs: calls.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "commonground.web.server", fake)
    result = run("serve", "--port", "8123", "--demo")
    assert result.exit_code == 0, result.output
    assert calls == [{"host": "127.0.0.1", "port": 8123, "demo": True}]


@pytest.mark.slow
def test_sdgs_progress_bar_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # On a terminal, long inputs are mapped in chunks behind a progress bar; the answers must be
    # exactly those of one call.
    from commonground import sdgs_cli as cli_module
    from commonground.core.semantics.sdgs import map_sdgs

    texts = [f"Provide clean drinking water to {n} rural households" for n in range(7)]
    texts += ["Cut carbon emissions from lorries", "Teach adults to read", "The meeting starts at nine"]
    monkeypatch.setattr(cli_module, "PROGRESS_FROM", 3)
    monkeypatch.setattr(cli_module, "PROGRESS_CHUNK", 4)
    monkeypatch.setattr(cli_module.sys.stderr, "isatty", lambda: True)
    assert cli_module._map_with_progress(texts) == map_sdgs(texts)


STORED_RESULT = Path(__file__).resolve().parents[1] / "data" / "results" / "three_party.json"


@pytest.fixture
def stored_assess(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[AssessmentResult, list[str]]:
    """``assess`` answers with a stored three-partner result (the writing is tested, not the engine)."""
    from commonground import cli as cli_module

    result = AssessmentResult.model_validate_json(STORED_RESULT.read_text(encoding="utf-8"))
    monkeypatch.setattr(cli_module, "_assess", lambda *_: (result, []))
    files = [str(write(tmp_path / "a.yaml", MINIMAL)), str(write(tmp_path / "b.yaml", OTHER))]
    return result, files


def test_assess_json_writes_the_model_dump_byte_for_byte(
    stored_assess: tuple[AssessmentResult, list[str]], tmp_path: Path
) -> None:
    result, files = stored_assess
    expected = (result.model_dump_json(indent=2) + "\n").encode("utf-8")
    out = write(tmp_path / "out.json", "an earlier report\n")
    written = run("assess", *files, "--format", "json", "--output", str(out))
    assert written.exit_code == 0, written.output
    assert out.read_bytes() == expected
    assert written.stderr == f"wrote {out}\n"
    assert run("assess", *files, "--format", "json").stdout_bytes == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "out.json"]  # no temporary


def test_an_interrupted_json_write_leaves_the_earlier_file_whole(
    stored_assess: tuple[AssessmentResult, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonground.reports import json_format

    _, files = stored_assess
    streamed = json_format.json_chunks

    def interrupted(result: AssessmentResult) -> Iterator[str]:
        yield from list(streamed(result))[:50]
        raise KeyboardInterrupt  # Ctrl-C halfway through the writing

    monkeypatch.setattr(json_format, "json_chunks", interrupted)
    out = write(tmp_path / "out.json", "an earlier report\n")
    aborted = run("assess", *files, "--format", "json", "--output", str(out))
    assert aborted.exit_code == 1
    assert out.read_text(encoding="utf-8") == "an earlier report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "out.json"]
    fresh = tmp_path / "fresh.json"
    assert run("assess", *files, "--format", "json", "--output", str(fresh)).exit_code == 1
    assert not fresh.exists()


@pytest.mark.parametrize(
    ("where", "reason"),
    [("missing/out.json", "No such file or directory"), ("a.yaml/out.json", "Not a directory")],
)
def test_assess_json_to_an_unwritable_path_says_why(
    stored_assess: tuple[AssessmentResult, list[str]], tmp_path: Path, where: str, reason: str
) -> None:
    _, files = stored_assess
    out = tmp_path / where
    failed = run("assess", *files, "--format", "json", "--output", str(out))
    assert_clean_failure(failed)
    assert failed.stderr == f"commonground: error: cannot write {out}: {reason}\n"
