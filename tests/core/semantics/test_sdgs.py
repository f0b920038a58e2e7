"""Behaviour of the SDG mapper: obvious texts land on their goal, unrelated texts on none."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib import resources

import numpy as np
import numpy.typing as npt
import pytest

from commonground.core.profiles import Profile
from commonground.core.semantics.sdgs import (
    FEATURE_NAMES,
    SdgPrediction,
    map_sdgs,
    profile_sdgs,
    sdg_data_sha256,
    sdg_features,
    sdg_goals,
    sdg_title,
)


def test_seventeen_goals_with_titles_and_facets() -> None:
    goals = sdg_goals()
    assert [g.number for g in goals] == list(range(1, 18))
    assert all(5 <= len(g.facets) <= 24 for g in goals)
    assert sdg_title(13) == "Climate action"
    with pytest.raises(ValueError, match="1 to 17"):
        sdg_title(18)


def test_calibration_was_fitted_on_the_shipped_facets() -> None:
    # Editing sdgs.yaml changes every feature; the calibration must then be refitted.
    raw = json.loads(resources.files("commonground.data").joinpath("sdg_calibration.json").read_text())
    assert raw["data_sha256"] == sdg_data_sha256(), "run: .venv/bin/python bench/sdg_benchmark.py --fit"
    assert "EVEN" in raw["note"]


def test_empty_input_gives_empty_output() -> None:
    assert map_sdgs([]) == []


class _CountingEngine:
    """A stand-in engine that records what it is asked to embed (vectors derived from a hash)."""

    name = "counting-test"
    dim = 8

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:8], dtype=np.uint8) for t in texts]
        matrix = np.array(rows, dtype=np.float32).reshape(len(texts), self.dim) + 1.0
        result: npt.NDArray[np.float32] = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
        return result


def test_short_texts_are_embedded_once_and_long_texts_also_whole() -> None:
    # Typing a goal in the web form maps one short sentence; it must not pay for a whole-text pass.
    engine = _CountingEngine()
    sdg_features(["Halve childhood obesity in the county by 2030."], engine)
    engine.calls.clear()
    sdg_features(["Plant trees along every river in the valley."], engine)
    assert engine.calls == [["Plant trees along every river in the valley."]]
    engine.calls.clear()
    long_text = "We restore forests on the degraded hills above the town. We train rangers to stop poachers."
    features = sdg_features([long_text], engine)
    assert engine.calls[-1] == [long_text]
    assert features.shape == (1, 17, len(FEATURE_NAMES))


OBVIOUS = [
    ("Provide clean drinking water wells and latrines to villages without sanitation.", 6),
    ("Install rooftop solar panels and bring electricity to rural households off the grid.", 7),
    ("Train primary school teachers and improve literacy of children in poor districts.", 4),
    ("Protect coral reefs and stop overfishing in coastal waters.", 14),
    ("Cut greenhouse gas emissions to reach net zero and adapt to rising temperatures.", 13),
    ("End violence against women and close the gender pay gap.", 5),
    ("Restore degraded forests and protect endangered wildlife from poaching.", 15),
    ("Fight corruption in the courts and make justice accessible to everyone.", 16),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "sdg"), OBVIOUS)
def test_obvious_text_gets_its_goal_as_primary(text: str, sdg: int) -> None:
    (prediction,) = map_sdgs([text])
    assert prediction.primary == sdg, prediction.sdgs


@pytest.mark.slow
def test_childhood_obesity_is_a_health_goal() -> None:
    (prediction,) = map_sdgs(["Halve childhood obesity in the county by 2030"])
    assert prediction.primary == 3
    assert {s.sdg for s in prediction.sdgs} <= {2, 3, 4}


@pytest.mark.slow
def test_unrelated_text_gets_no_confident_goal() -> None:
    (prediction,) = map_sdgs(["The meeting starts at nine."])
    assert all(s.confidence < 0.6 for s in prediction.sdgs)


@pytest.mark.slow
def test_confidences_are_probabilities_sorted_most_confident_first() -> None:
    predictions = map_sdgs([t for t, _ in OBVIOUS])
    for p in predictions:
        assert isinstance(p, SdgPrediction)
        confidences = [s.confidence for s in p.sdgs]
        assert confidences == sorted(confidences, reverse=True)
        assert all(0.0 <= c <= 1.0 for c in confidences)
        assert p.primary == (p.sdgs[0].sdg if p.sdgs else None)


@pytest.mark.slow
def test_input_order_is_kept_and_output_is_deterministic() -> None:
    texts = [t for t, _ in OBVIOUS]
    forward = map_sdgs(texts)
    backward = map_sdgs(list(reversed(texts)))
    assert [p.text for p in forward] == texts
    assert forward == list(reversed(backward))
    assert map_sdgs(texts) == forward


@pytest.mark.slow
def test_profile_counts_declared_goal_sdgs_with_full_confidence() -> None:
    profile = Profile.model_validate(
        {
            "name": "Harbor Health Alliance",
            "kind": "nonprofit",
            "mission": "Improve the health of families in the harbour district.",
            "goals": [
                {"text": "Halve childhood obesity in the county by 2030", "sdgs": [3]},
                {"text": "Get every school to serve fresh water instead of soda", "sdgs": [6, 2]},
            ],
            "activities": ["Runs school nutrition programmes"],
        }
    )
    scores = profile_sdgs(profile)
    declared = {s.sdg: s.confidence for s in scores if s.sdg in {2, 3, 6}}
    assert declared == {2: 1.0, 3: 1.0, 6: 1.0}
    # Ties at full confidence are ordered by goal number, so the result is stable.
    assert [s.sdg for s in scores[:3]] == [2, 3, 6]
    assert scores == profile_sdgs(profile)


@pytest.mark.slow
def test_profile_without_declared_sdgs_is_inferred_from_mission() -> None:
    profile = Profile.model_validate(
        {
            "name": "Blue Reef Trust",
            "kind": "nonprofit",
            "mission": "Protect marine life and coral reefs from pollution and overfishing.",
        }
    )
    scores = profile_sdgs(profile)
    assert scores
    assert scores[0].sdg == 14
