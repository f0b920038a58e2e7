"""JSON output: parses, carries the contract's keys, and round-trips to the model."""

from __future__ import annotations

import json

from commonground.core.results import AssessmentResult
from commonground.reports import render

CONTRACT_KEYS = {
    "score",
    "verdict",
    "components",
    "conflicts",
    "synergies",
    "goal_matrix",
    "sdgs",
    "questions",
}


def test_json_has_the_contract_keys(two_party: AssessmentResult) -> None:
    data = json.loads(render(two_party, "json"))
    assert set(data) >= CONTRACT_KEYS
    assert data["verdict"] == "at_risk"
    assert set(data["components"]) == {"mission", "values", "culture", "stakeholders", "orientation"}
    assert data["components"]["culture"] is None
    first = data["conflicts"][0]
    assert set(first) == {"kind", "severity", "parties", "summary", "evidence"}


def test_json_round_trips(three_party: AssessmentResult) -> None:
    out = render(three_party, "json")
    assert AssessmentResult.model_validate_json(out) == three_party
    assert len(json.loads(out)["pairs"]) == 3


def test_json_keeps_hostile_text_as_data(hostile: AssessmentResult) -> None:
    data = json.loads(render(hostile, "json"))
    assert data["parties"][0] == "<script>alert(1)</script>"
