"""The trained goal-interaction model: shipped, up to date, and reading aims rather than wording."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from commonground.core.assessment import assess
from commonground.core.interactions import Interaction, _with_model
from commonground.core.profiles import Partnership
from commonground.core.semantics.classifier_reading import CLASSIFIER_TEXT_VERSION
from commonground.core.semantics.engines import DEFAULT_ENGINE
from commonground.core.semantics.interaction_model import load_interaction_model

ROOT = Path(__file__).resolve().parents[3]


def test_the_shipped_model_was_trained_on_the_current_pairs_and_stance_classifier() -> None:
    spec = importlib.util.spec_from_file_location(
        "train_interaction", ROOT / "scripts" / "train-interaction-model.py"
    )
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    model = load_interaction_model(DEFAULT_ENGINE)
    assert model is not None
    assert model.classes == (-1, 0, 1)
    assert 0.5 <= model.negative_threshold < 1
    assert 0.5 <= model.positive_threshold < 1
    assert model.training_sha256 == script.training_sha256()
    meta = json.loads(
        str(np.load(ROOT / "src/commonground/data/interaction" / f"{DEFAULT_ENGINE}.npz")["meta"])
    )
    assert meta.get("features") == CLASSIFIER_TEXT_VERSION  # goals read as the classifiers read them


def _cell(goal_a: str, goal_b: str) -> tuple[int, str]:
    partners = [
        {"name": "A", "kind": "company", "mission": "An organisation.", "goals": [goal_a]},
        {"name": "B", "kind": "nonprofit", "mission": "An organisation.", "goals": [goal_b]},
    ]
    cell = assess(Partnership.model_validate({"name": "p", "partners": partners})).goal_matrix.cells[0][0]
    assert cell is not None
    return cell.score, cell.reason


@pytest.mark.slow
def test_goals_with_one_aim_from_opposite_ends_are_not_a_tension() -> None:
    score, _ = _cell(
        "Cut the sugar in our own-brand soft drinks by 30% by 2027",
        "Halve the share of children leaving primary school overweight",
    )
    assert score >= 0


@pytest.mark.slow
def test_a_tension_only_the_model_sees_is_at_most_constraining() -> None:
    # A pair the model alone reads as opposed is mild (−1): a false tension costs trust.
    score, reason = _cell("Open 20 new stores in the region", "Train 500 young people as electricians")
    assert score >= -1 or "model" not in reason


@pytest.mark.slow
def test_a_clear_clash_stays_a_tension() -> None:
    score, _ = _cell(
        "Grow oil and gas output by 20% by 2030", "Cut the region's emissions to net zero by 2035"
    )
    assert score <= -2


def _model_only(probs: tuple[float, float, float], by_rules: int = 0) -> int:
    """The score ``_with_model`` gives when the rules said ``by_rules`` and the model ``probs``."""
    model = SimpleNamespace(negative_threshold=0.8, positive_threshold=0.9)
    rules = Interaction(by_rules, 0.1, "the rules' reading")
    return _with_model(rules, probs, model, 0.1, 0.1).score  # type: ignore[arg-type]


def test_a_sign_only_the_model_gives_is_mild_either_way() -> None:
    # Sure of a tension or of one aim, alone: −1 or +1, never a reinforcing synergy of its own.
    assert _model_only((0.99, 0.01, 0.0)) == -1
    assert _model_only((0.0, 0.01, 0.99)) == 1
    # Where the rules also read the same aim (+1), the model's certainty makes it reinforcing.
    assert _model_only((0.0, 0.01, 0.99), by_rules=1) == 2
    # Sure of one aim, it overrules a tension the rules read from opposite wording.
    assert _model_only((0.0, 0.01, 0.99), by_rules=-2) == 1
    # Below its thresholds the rules decide.
    assert _model_only((0.5, 0.2, 0.3), by_rules=-2) == -2


@pytest.mark.slow
def test_two_unrelated_worthy_goals_are_no_synergy() -> None:
    # The example profiles' pair the model reads as "the same ends" at p = 1.00: at most enabling,
    # and not reported as a synergy between the partners.
    partners = [
        {"name": "A", "kind": "company", "mission": "An organisation.",
         "goals": ["Grow oil and gas production to 400,000 barrels a day by 2030"]},
        {"name": "B", "kind": "nonprofit", "mission": "An organisation.",
         "goals": ["Make free drinking water available in every school and park"]},
    ]  # fmt: skip
    result = assess(Partnership.model_validate({"name": "p", "partners": partners}))
    cell = result.goal_matrix.cells[0][0]
    assert cell is not None
    assert cell.score <= 1
    assert not [s for s in result.synergies if s.kind.value == "goal"]
