"""The blind holdout sets of 2026-12-05: written by people who neither read nor ran the engine.

They measure the engine; they are never tuned on (see each file's header, and CHANGELOG.md for the
figures before and after the change that introduced them). The bars below are the figures
measured when they were added, rounded down: they guard against regressions and are not targets.
Run ``.venv/bin/python bench/engine_eval.py`` for the full table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from commonground.core.evaluation import (
    goal_pair_figures,
    partnership_figures,
    red_line_figures,
    sector_figures,
)
from commonground.core.semantics.sector_map import load_sector_map

HOLDOUT = Path(__file__).resolve().parent.parent / "data" / "holdout"
# Measured with engine 2026.3 (2026-12-05): sector precision 0.961, recall 0.831; red lines missed
# 30.5%, false crossings 4.3%; the second red-line set missed 51.9%, false 4.5%; goal pairs with
# the right sign 69.4%; multilingual 10 of 15 within band. Goal pairs, interaction model 2026.2:
# 68.9%. The 69.4% came from a model whose training pairs restated 65 evaluation texts; trained
# without them it gave 65.0%, and with the new same-aim pairs (training/goal_pairs_b.yaml) 68.9%.
# Sector map 2026.4 (session 6): the screens classifier learned from the red-line training pairs and
# asks about the screen a red line names at its own cross-validated threshold (0.98, at most 1% of
# the training texts about a screen without doing it pass, against 0.5 before). False crossings on
# the first set went from 4.3% to 3.2%; the second set missed 58.0% instead of 51.9%. Chosen by that
# rule before the holdouts were run, and kept: a false "you cross our red line" costs more trust
# than a miss (docs/methods.md has the trade). Stance models 2026.4 with interaction model 2026.3
# (2026-12-06): red lines missed 27.4% / 53.1%, false 3.2% / 4.5%; goal pairs 70.5%. Stance models
# 2026.5 with interaction model 2026.4 (same day): 27.4% / 38.3%, false 3.2% / 4.5%; goals 73.2%.
SECTOR_PRECISION = 0.95
# 0.82 until the stance models 2026.5 (2026-12-06): read without closing punctuation, retrained,
# sector recall went from 0.831 to 0.809 while the second red-line set's misses went from 53.1% to
# 38.3% with no more false crossings (docs/methods.md has the trade).
SECTOR_RECALL = 0.80
RED_LINE_MISS_RATE = 0.31
RED_LINE_FALSE_RATE = 0.04
RED_LINE_2_MISS_RATE = 0.40  # 0.59 until the stance models 2026.5
RED_LINE_2_FALSE_RATE = 0.05
GOAL_SIGN = 0.72  # 0.68 until the stance models 2026.5
# 10 until the SDG reader path (2026-12-05, session 5): SDGs found went from 13 to 29 of 32 and one
# partnership moved out of its band; the trade is reported in CHANGELOG.md and docs/methods.md.
MULTILINGUAL_WITHIN_BAND = 9


def _load(name: str, key: str) -> list[dict[str, Any]]:
    document = yaml.safe_load((HOLDOUT / name).read_text(encoding="utf-8"))
    assert document["meta"]["rule"].startswith("holdout")
    items: list[dict[str, Any]] = document[key]
    return items


def test_every_holdout_file_says_it_was_written_blind_and_labels_known_values() -> None:
    sectors = {s.id for s in load_sector_map().sectors} | {"none"}
    assert {i["sector"] for i in _load("sector_sentences.yaml", "items")} <= sectors
    for name in ("red_line_pairs.yaml", "red_line_pairs_2.yaml"):
        assert all(isinstance(i["crossed"], bool) for i in _load(name, "items"))
    assert all(-3 <= int(i["score"]) <= 3 for i in _load("goal_pairs.yaml", "items"))
    cases = _load("multilingual_partnerships.yaml", "cases")
    assert {c["lang"] for c in cases} == {"fr", "es", "de"}
    for path in HOLDOUT.glob("*.yaml"):
        header = path.read_text(encoding="utf-8").split("\n", 12)
        assert any("blind" in line.lower() or "neither read nor ran" in line.lower() for line in header), path


@pytest.mark.slow
def test_sector_attribution_precision_and_recall() -> None:
    figures = sector_figures(_load("sector_sentences.yaml", "items"))
    assert figures.precision >= SECTOR_PRECISION, figures.errors
    assert figures.recall >= SECTOR_RECALL, figures.errors


@pytest.mark.slow
def test_red_line_misses_and_false_crossings() -> None:
    figures = red_line_figures(_load("red_line_pairs.yaml", "items"))
    assert figures.miss_rate <= RED_LINE_MISS_RATE, figures.errors
    assert figures.false_crossing_rate <= RED_LINE_FALSE_RATE, figures.errors


@pytest.mark.slow
def test_second_red_line_set_written_after_the_first_round_of_fixes() -> None:
    # Written blind after the 2026.1 engine, to measure what the first set could no longer: the
    # 2026.2 screens were chosen knowing the first set's misses, so only this set is unbiased for them.
    figures = red_line_figures(_load("red_line_pairs_2.yaml", "items"))
    assert figures.miss_rate <= RED_LINE_2_MISS_RATE, figures.errors
    assert figures.false_crossing_rate <= RED_LINE_2_FALSE_RATE, figures.errors


@pytest.mark.slow
def test_goal_pairs_get_the_right_sign() -> None:
    figures = goal_pair_figures(_load("goal_pairs.yaml", "items"))
    assert figures.sign_accuracy >= GOAL_SIGN, figures.errors


@pytest.mark.slow
def test_french_spanish_and_german_partnerships() -> None:
    figures = partnership_figures(_load("multilingual_partnerships.yaml", "cases"))
    assert figures.within_band >= MULTILINGUAL_WITHIN_BAND, figures.errors
