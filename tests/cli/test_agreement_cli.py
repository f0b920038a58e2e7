"""``commonground agreement draft/check``, ``schema agreement`` and ``validate`` on agreements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commonground.agreement_cli import CHECK_FORMATS
from commonground.cli import cli
from commonground.core.agreement.loading import load_agreement
from commonground.core.loading import MAX_BYTES
from commonground.reports.agreement_check import CHECK_FORMATS as RENDERERS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = "2026-03-31"
HEAD = (
    "kind: agreement\ntitle: T\nwho:\n  partners:\n  - {id: north, name: North}\n"
    "  - {id: south, name: South}\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def bad_input(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def test_the_format_choices_are_the_registered_renderers() -> None:
    assert set(CHECK_FORMATS) == set(RENDERERS)


def test_help_lists_the_agreement_commands() -> None:
    assert "agreement" in run("--help").output
    out = run("agreement", "--help").output
    assert "draft" in out
    assert "check" in out


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_check_exits_0_with_findings_in_every_format(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"check.{fmt}"
    result = run(
        "agreement",
        "check",
        str(EXAMPLES / "agreement-flawed.yaml"),
        "--format",
        fmt,
        "--as-of",
        AS_OF,
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "structure.no_review_date" in text if fmt == "json" else "no review date" in text


def test_check_text_names_the_date_counts_and_paths() -> None:
    result = run("agreement", "check", str(EXAMPLES / "agreement-flawed.yaml"), "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "as of 2026-03-31" in result.output
    assert "how.review.date: no review date" in result.output


def test_check_json_is_the_contract() -> None:
    result = run(
        "agreement",
        "check",
        str(EXAMPLES / "agreement-strong-fit.yaml"),
        "--format",
        "json",
        "--as-of",
        AS_OF,
    )
    data = json.loads(result.output)
    assert data["as_of"] == AS_OF
    assert data["state"] == "agreed"
    assert data["counts"]["problem"] == 0
    assert data["parts"][0]["name"] == "structure"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("kind: agreement\ntitle: T\nwho:\n\tpartners: []\n", "bad.yaml:4: YAML syntax error"),
        (
            HEAD + "benefit: {north: 1}\n",
            "bad.yaml:7: benefit: unknown field 'benefit'; did you mean 'benefits'?",
        ),
        (HEAD + "benefits: many\n", "bad.yaml:7: benefits: must be a mapping, not text"),
        (
            HEAD + "benefits: {north: 1, nort: 2}\n",
            "bad.yaml:7: benefits.nort: unknown partner id 'nort'; did you mean 'north'?",
        ),
        (
            HEAD + "how:\n  review: {date: someday}\n",
            "bad.yaml:8: how.review.date: must be a date written YYYY-MM-DD",
        ),
        ("kind: agreement\nx:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), "nested too deeply"),
    ],
)
def test_bad_agreements_exit_2_with_a_message_naming_the_place(
    content: str, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    for args in (("agreement", "check", str(path)), ("validate", str(path))):
        out = bad_input(run(*args))
        assert expected in out.replace(str(tmp_path) + "/", "")


def test_huge_missing_and_misdated_inputs_exit_2(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"kind: agreement\n" + b"# padding\n" * (MAX_BYTES // 10 + 1))
    assert "may be at most 5 MB" in bad_input(run("agreement", "check", str(huge)))
    assert "file not found" in bad_input(run("agreement", "check", str(tmp_path / "nope.yaml")))
    example = str(EXAMPLES / "agreement-strong-fit.yaml")
    assert "--as-of" in bad_input(run("agreement", "check", example, "--as-of", "31/03/2026"))


def test_validate_recognises_agreements() -> None:
    result = run("validate", str(EXAMPLES / "agreement-workable.yaml"))
    assert result.exit_code == 0
    assert "agreement (draft): Healthy baskets in Eastvale, 2 partners" in result.output


def test_schema_prints_the_profile_by_default_and_the_agreement_on_request() -> None:
    assert "organisation profile" in json.loads(run("schema").output)["title"]
    agreement = json.loads(run("schema", "agreement").output)
    assert agreement["title"] == "Common Ground partnership agreement, format version 1"
    assert run("schema", "contract").exit_code == 2


@pytest.mark.slow
def test_draft_writes_a_draft_that_loads_and_checks(tmp_path: Path) -> None:
    out = tmp_path / "agreement.yaml"
    result = run("agreement", "draft", str(EXAMPLES / "partnership-strong-fit.yaml"), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# DRAFT partnership agreement")
    assert load_agreement(out).state == "draft"
    # A file people edit is never overwritten by accident.
    assert "already exists" in bad_input(
        run("agreement", "draft", str(EXAMPLES / "partnership-strong-fit.yaml"), "--output", str(out))
    )
    check = run("agreement", "check", str(out), "--as-of", AS_OF)
    assert check.exit_code == 0
    assert "red line" in check.output


def test_draft_on_bad_input_exits_2_before_loading_the_model(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: X\npartners: [missing.yaml, other.yaml]\n", encoding="utf-8")
    assert "not found" in bad_input(run("agreement", "draft", str(path)))
    assert "unknown engine" in bad_input(
        run("agreement", "draft", str(EXAMPLES / "partnership-strong-fit.yaml"), "--engine", "nope")
    )
