"""The analyst's API from the package root gives the same result objects the CLI prints."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import commonground
from commonground.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.mark.slow
def test_root_api_matches_cli_json() -> None:
    partnership = commonground.load_inputs([EXAMPLES / "partnership-strong-fit.yaml"])
    result = commonground.assess(partnership)
    assert isinstance(result, commonground.AssessmentResult)
    ran = CliRunner().invoke(
        cli, ["assess", str(EXAMPLES / "partnership-strong-fit.yaml"), "--format", "json"]
    )
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.output) == json.loads(result.model_dump_json())


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        commonground.no_such_thing  # noqa: B018


def test_the_version_is_written_once_and_the_cli_prints_it() -> None:
    # pyproject.toml reads commonground.__version__ instead of repeating the number.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "commonground.__version__"}
    ran = CliRunner().invoke(cli, ["--version"])
    assert ran.output.strip() == f"commonground, version {commonground.__version__}"
