"""The development sets under tests/data/dev/ say what they are and carry what bench/engine_eval.py reads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DEV = Path(__file__).resolve().parent / "data" / "dev"
RED_LINE_SETS = sorted(DEV.glob("*red_lines*.yaml"))
FIELDS = {"id", "red_line", "partner_text", "partner_field", "crossed", "kind", "lang"}


@pytest.mark.parametrize("path", RED_LINE_SETS, ids=lambda p: p.name)
def test_each_red_line_development_set_is_marked_as_one_and_complete(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # Its header says who wrote it and that its figures are no evidence of generalisation.
    assert "RULE: development" in text
    data = yaml.safe_load(text)
    assert "development" in data["meta"]["rule"]
    items = data["items"]
    assert items
    assert all(set(item) >= FIELDS for item in items), [i.get("id") for i in items if not set(i) >= FIELDS]
    assert len({item["id"] for item in items}) == len(items)
    assert all(isinstance(item["crossed"], bool) for item in items)
    assert {item["partner_field"] for item in items} <= {"activity", "mission", "goal", "sector"}
    # Both answers are asked: a set of only crossings could not show a false alarm.
    assert {item["crossed"] for item in items} == {True, False}


def test_the_goal_pair_development_set_is_marked_as_one_and_complete() -> None:
    text = (DEV / "goal_pairs_realistic.yaml").read_text(encoding="utf-8")
    assert "RULE: development" in text
    data = yaml.safe_load(text)
    assert data["meta"]["rule"] == "development"
    items = data["items"]
    assert len({item["id"] for item in items}) == len(items) == 160
    assert all(set(item) >= {"id", "goal_a", "goal_b", "score", "lang"} for item in items)
    assert all(isinstance(item["score"], int) and -3 <= item["score"] <= 3 for item in items)
    # The second labeller scored every pair on the same scale.
    assert all(isinstance(item["score_2"], int) and -3 <= item["score_2"] <= 3 for item in items)
    # All three signs are asked, so a matrix that calls every pair one way cannot score well.
    assert {(item["score"] > 0) - (item["score"] < 0) for item in items} == {-1, 0, 1}
