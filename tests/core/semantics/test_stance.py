"""Stance backstop: labelled short texts in tests/data/stance_texts.yaml.

Run as a script to print accuracy per split, with and without the embedding backstop:
    .venv/bin/python tests/core/semantics/test_stance.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.prototypes import anchor_texts
from commonground.core.semantics.sector_map import load_sector_map
from commonground.core.semantics.sectors import TextReading, read_texts

TEXTS_PATH = Path(__file__).resolve().parents[2] / "data" / "stance_texts.yaml"
TEXTS: list[dict[str, Any]] = yaml.safe_load(TEXTS_PATH.read_text(encoding="utf-8"))["texts"]
# Holdout texts were never looked at while tuning. Word rules alone got the holdout share printed
# by the script (see CHANGELOG.md, engine 2025.5); the bar guards the backstop's gain, not a target.
HOLDOUT_BAR = 0.75

pytestmark = pytest.mark.slow


def agrees(label: str, reading: TextReading) -> bool:
    """A for/against label needs that role; a neutral text must join no sector and not be against."""
    if label in ("for", "against"):
        return reading.polarity.role == label
    return not reading.sectors and reading.polarity.role != "against"


def accuracy(split: str, *, backstop: bool = True) -> tuple[int, int, list[str]]:
    """(agreeing, total, one line per disagreement) over one split."""
    cases = [t for t in TEXTS if t["split"] == split]
    engine = get_engine()
    texts = [c["text"] for c in cases]
    readings = read_texts(texts, engine.embed(texts), engine=engine, backstop=backstop)
    misses = [
        f"  {c['stance']:>7} read {r.polarity.role} ({r.polarity.stance_margin}): {c['text']}"
        for c, r in zip(cases, readings, strict=True)
        if not agrees(c["stance"], r)
    ]
    return len(cases) - len(misses), len(cases), misses


def test_texts_file_is_well_formed() -> None:
    assert len(TEXTS) >= 60
    assert len({t["text"] for t in TEXTS}) == len(TEXTS)
    assert {t["split"] for t in TEXTS} == {"calibration", "holdout"}
    assert {t["stance"] for t in TEXTS} == {"for", "against", "neutral"}
    assert all(t["reason"].strip() for t in TEXTS)
    # Test texts are not stance prototypes, or the test would only check a lookup.
    assert not {t["text"].lower() for t in TEXTS} & {a.lower() for a in anchor_texts()}


def test_every_sector_has_both_stances() -> None:
    for sector in load_sector_map().sectors:
        assert sector.stance_for, sector.id
        assert sector.stance_against, sector.id


def test_holdout_stance_accuracy_is_above_the_bar() -> None:
    agree, total, misses = accuracy("holdout")
    assert agree / total >= HOLDOUT_BAR, misses


def test_backstop_beats_word_rules_on_calibration() -> None:
    with_backstop, total, _ = accuracy("calibration")
    words_only, _, _ = accuracy("calibration", backstop=False)
    assert with_backstop > words_only
    assert with_backstop / total >= 0.75


if __name__ == "__main__":
    for name in ("calibration", "holdout"):
        for flag in (False, True):
            ok, n, lines = accuracy(name, backstop=flag)
            label = "backstop" if flag else "words only"
            print(f"{name} ({label}): {ok}/{n} agree ({ok / n:.0%})")
            if flag:
                print("\n".join(lines))
