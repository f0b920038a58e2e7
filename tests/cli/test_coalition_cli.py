"""`commonground assess` of a coalition: the partner limit, and the compact report of a large coalition."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from commonground.cli import cli
from commonground.coalition_cli import pair_lines

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


def test_pairs_writes_every_pair_in_full_and_explain_gives_one_of_them(tmp_path: Path) -> None:
    lines = tmp_path / "pairs.jsonl"
    args = ["assess", *map(str, SEVEN), "--format", "json", "--pairs", str(lines)]
    result = CliRunner().invoke(cli, [*args, "--output", str(tmp_path / "c.json")])
    assert result.exit_code == 0, result.output
    assert "(21 pairs)" in result.output
    pairs = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    whole = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert pairs == whole["pairs"]  # up to twenty partners the JSON keeps them in full too

    worst = whole["coalition"]["attention"][0]["parties"]
    explained = CliRunner().invoke(cli, [*args[:-2], "--explain", *worst])
    assert explained.exit_code == 0, explained.output
    one = json.loads(explained.output)
    assert one["parties"] == worst
    assert one["pairs"] == [p for p in pairs if p["parties"] == worst]


def test_explain_names_an_unknown_partner_and_suggests_the_closest(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["assess", *map(str, SEVEN), "--explain", "Sunshare Energy", "Nobody"])
    assert result.exit_code == 2
    assert "no partner named 'Sunshare Energy'; did you mean 'SunShare Community Energy'?" in result.output
    assert "Traceback" not in result.output


def test_above_twenty_partners_the_json_keeps_a_summary_of_each_pair(tmp_path: Path) -> None:
    files = []
    for k in range(21):
        path = tmp_path / f"org-{k}.yaml"
        mission = f"Help families in town {k} with food, housing and jobs"
        path.write_text(f"name: Org {k}\nkind: nonprofit\nmission: {mission}\n", "utf-8")
        files.append(str(path))
    out, lines = tmp_path / "c.json", tmp_path / "pairs.jsonl"
    args = ["assess", *files, "--format", "json", "--output", str(out), "--pairs", str(lines)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    full = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert len(data["pairs"]) == len(full) == 210
    for short, whole in zip(data["pairs"], full, strict=True):
        assert short["parties"] == whole["parties"]
        assert (short["score"], short["verdict"]) == (whole["score"], whole["verdict"])
        assert "goal_matrix" not in short
        assert "goal_matrix" in whole
    contract = ("score", "verdict", "components", "conflicts", "synergies", "goal_matrix", "sdgs")
    assert all(key in data for key in contract)  # the top level's contract (DESIGN.md) is unchanged

    text = CliRunner().invoke(cli, ["assess", *files]).output
    assert "--explain NAME NAME" in text


def test_pairs_into_a_folder_that_does_not_exist_is_bad_input_and_nothing_is_left(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "pairs.jsonl"
    result = CliRunner().invoke(cli, ["assess", *map(str, SEVEN[:3]), "--pairs", str(target)])
    assert result.exit_code == 2
    assert f"--pairs: cannot write {target}" in result.output
    assert not target.parent.exists()


def test_a_run_that_fails_half_way_leaves_no_pairs_file(tmp_path: Path) -> None:
    target = tmp_path / "pairs.jsonl"

    def half_a_run() -> None:
        with pair_lines(target) as write:
            assert write is not None
            write('{"parties": ["A", "B"]}')
            raise RuntimeError("the engine failed on the second pair")

    with pytest.raises(RuntimeError, match="second pair"):
        half_a_run()
    assert not target.exists()  # half the pairs would read as a whole coalition


def test_a_run_that_fails_or_is_interrupted_keeps_the_earlier_pairs_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "pairs.jsonl"
    target.write_text('{"from": "the run before"}\n', encoding="utf-8")

    def interrupted() -> None:
        with pair_lines(target) as write:
            assert write is not None
            write('{"parties": ["A", "B"]}')
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert target.read_text(encoding="utf-8") == '{"from": "the run before"}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.jsonl"]  # no temporary file left


def test_a_finished_run_replaces_the_pairs_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "pairs.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pair_lines(target) as write:
        assert write is not None
        write('{"parties": ["A", "B"]}')
        assert target.read_text(encoding="utf-8") == "old\n"  # not touched until the run is done
    assert target.read_text(encoding="utf-8") == '{"parties": ["A", "B"]}\n'


def test_a_new_pairs_file_gets_the_usual_mode_and_a_replaced_one_keeps_its_own(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.jsonl"
    with pair_lines(fresh) as write:
        assert write is not None
        write("{}")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.jsonl"
    kept.write_text("old\n", encoding="utf-8")
    kept.chmod(0o640)
    with pair_lines(kept) as write:
        assert write is not None
        write("{}")
    assert kept.stat().st_mode & 0o777 == 0o640
