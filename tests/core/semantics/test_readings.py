"""Statements read once per process read exactly as when read afresh, in a bounded cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.core.assessment import assess_profiles
from commonground.core.loading import load_inputs
from commonground.core.semantics import readings
from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.readings import read_statements
from commonground.core.semantics.sectors import read_texts

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TEXTS = [
    "Manufactures and sells cigarettes in twelve countries",
    "Runs stop-smoking clinics in the city's GP surgeries",
    "Keeps its warehouse pickers on the legal minimum, far below a living wage",
]


@pytest.mark.parametrize("screens", [True, False])
def test_a_remembered_reading_is_the_reading_read_afresh(screens: bool) -> None:
    engine = get_engine()
    vectors = engine.embed(TEXTS)
    afresh = read_texts(TEXTS, vectors, engine=engine, screens=screens)
    read_statements(TEXTS, vectors, engine=engine, screens=screens)  # fills the cache
    remembered = read_statements(TEXTS, vectors, engine=engine, screens=screens)
    for new, old in zip(remembered, afresh, strict=True):
        assert (new.sectors, new.topics, new.areas, new.screens) == (
            old.sectors,
            old.topics,
            old.areas,
            old.screens,
        )
        assert new.polarity == old.polarity
        assert new.screen_scores == old.screen_scores


def test_a_coalition_assesses_the_same_with_a_cold_or_a_warm_cache() -> None:
    files = ("brightstart-child-health.yaml", "sparkbay-beverages.yaml", "meadowgate-supermarkets.yaml")
    profiles = load_inputs([EXAMPLES / name for name in files]).partners
    readings.forget()
    cold = assess_profiles(profiles, engine=get_engine()).model_dump_json()
    warm = assess_profiles(profiles, engine=get_engine()).model_dump_json()
    assert cold == warm


def test_the_cache_forgets_the_oldest_readings_beyond_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readings, "MAX_READINGS", 2)
    readings.forget()
    engine = get_engine()
    read_statements(TEXTS, engine.embed(TEXTS), engine=engine, screens=False)
    assert len(readings._READINGS) == 2
    assert [key[1] for key in readings._READINGS] == TEXTS[1:]
