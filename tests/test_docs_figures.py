"""docs/methods.md quotes the engine's trained thresholds and constants; a retrain must update it."""

from __future__ import annotations

from pathlib import Path

from commonground.core.interactions import STRONG_SIGN
from commonground.core.red_lines import READER_MEASURE_THRESHOLD
from commonground.core.semantics.engines import DEFAULT_ENGINE
from commonground.core.semantics.interaction_model import load_interaction_model
from commonground.core.semantics.measure_domains import DOMAIN_THRESHOLD
from commonground.core.semantics.mission_areas import READER_AREA_THRESHOLD
from commonground.core.semantics.reader_topics import READER_TOPIC_THRESHOLD
from commonground.core.semantics.stance_model import load_stance_model

METHODS = (Path(__file__).resolve().parent.parent / "docs" / "methods.md").read_text(encoding="utf-8")


def test_methods_quotes_the_shipped_stance_threshold() -> None:
    model = load_stance_model(DEFAULT_ENGINE)
    assert model is not None
    assert f"(**{model.threshold:.2f}**)" in METHODS


def test_methods_quotes_the_shipped_interaction_thresholds() -> None:
    model = load_interaction_model(DEFAULT_ENGINE)
    assert model is not None
    assert f"≥ **{model.negative_threshold:.3f}** for negative" in METHODS
    assert f"≥ **{model.positive_threshold:.3f}** for positive" in METHODS


def test_methods_quotes_the_reader_topic_threshold_and_strong_sign() -> None:
    assert f"**{READER_TOPIC_THRESHOLD:.2f}** (`READER_TOPIC_THRESHOLD`)" in METHODS
    assert f"**{READER_AREA_THRESHOLD:.2f}** (`READER_AREA_THRESHOLD`)" in METHODS
    assert (
        f"≥ {STRONG_SIGN:.2f}\n(`STRONG_SIGN`)" in METHODS
        or f"≥ {STRONG_SIGN:.2f} (`STRONG_SIGN`)" in METHODS
    )


def test_methods_quotes_the_working_against_threshold() -> None:
    model = load_stance_model(DEFAULT_ENGINE)
    assert model is not None
    assert f"Its threshold (**{model.counter_threshold:.2f}**)" in METHODS


def test_methods_quotes_the_shipped_screens_threshold() -> None:
    model = load_stance_model(DEFAULT_ENGINE, "screens")
    assert model is not None
    assert f"threshold **{model.threshold:.2f}**, cross-validated recall" in METHODS


def test_methods_quotes_the_measure_thresholds() -> None:
    assert f"**{READER_MEASURE_THRESHOLD:.2f}** (`READER_MEASURE_THRESHOLD`)" in METHODS
    assert f"**{DOMAIN_THRESHOLD:.2f}** (`DOMAIN_THRESHOLD`)" in METHODS
