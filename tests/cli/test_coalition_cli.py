"""`commonground assess` of a coalition: the partner limit, and the compact report of a large coalition."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from commonground.cli import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
OTHER_KINDS = ("partnership", "agreement", "network")
SEVEN = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.startswith(OTHER_KINDS))


def test_more_than_200_partners_is_bad_input_with_the_limit_named(tmp_path: Path) -> None:
    files = []
    for k in range(201):
        path = tmp_path / f"org-{k}.yaml"
        path.write_text(f"name: Org {k}\nkind: nonprofit\nmission: Help people in town {k}\n", "utf-8")
        files.append(str(path))
    result = CliRunner().invoke(cli, ["assess", *files])
    assert result.exit_code == 2, result.output
    assert "at most 200 partners, got 201" in result.output
    assert "Traceback" not in result.output


def test_a_coalition_of_seven_reads_as_a_whole(tmp_path: Path) -> None:
    out = tmp_path / "coalition.json"
    result = CliRunner().invoke(cli, ["assess", *map(str, SEVEN), "--format", "json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["pairs"]) == 21
    summary = data["coalition"]
    assert summary["partners"] == 7
    assert sum(summary["verdicts"].values()) == 21
    assert summary["attention"][0]["verdict"] == data["verdict"]  # the worst pair comes first
    assert [t["party"] for t in summary["ties"]] == data["parties"]

    text = CliRunner().invoke(cli, ["assess", *map(str, SEVEN)]).output
    for title in ("Pairs to look at first", "Common ground", "Groups that clash", "Each partner's ties"):
        assert title in text
    assert "Pair: " not in text  # no pair's findings one after another
    assert "Every finding of every pair is in the JSON download" in text
