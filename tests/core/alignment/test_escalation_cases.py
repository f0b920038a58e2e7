"""The labelled escalation cases (tests/data/escalation_cases.yaml): stage and ladder move for each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from commonground.core.agreement.how import DisputeStep, LadderStep
from commonground.core.alignment.escalation import (
    DEFAULT_LADDER,
    Approach,
    ConflictFacts,
    Severity,
    escalation_step,
    estimate_stage,
    triggers_from,
)

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[2] / "data" / "escalation_cases.yaml").read_text(encoding="utf-8")
)["cases"]


def _facts(raw: dict[str, Any]) -> ConflictFacts:
    return ConflictFacts(
        severity=Severity(raw["severity"]),
        days_overdue=raw.get("days_overdue", 0),
        rejected_resolutions=raw.get("rejected", 0),
        related_repeats=raw.get("repeats", 0),
        rung=LadderStep(raw.get("rung", "leads")),
        approaches=tuple(Approach(a) for a in raw.get("approaches", [])),
        exit_threatened=raw.get("exit_threatened", False),
    )


def test_enough_cases_each_with_its_reason() -> None:
    assert len(CASES) >= 15
    assert all(case["why"].strip() for case in CASES)
    assert {estimate_stage(_facts(c["facts"])).level for c in CASES} == {1, 2, 3}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_labelled_case(case: dict[str, Any]) -> None:
    facts = _facts(case["facts"])
    ladder = (
        tuple(DisputeStep(step=LadderStep(step), days=days) for step, days in case["ladder"].items())
        if "ladder" in case
        else DEFAULT_LADDER
    )
    estimate = estimate_stage(facts)
    assert estimate.stage.number == case["stage"], estimate.reasons
    moved = escalation_step(ladder=ladder, rung=facts.rung, triggers=triggers_from(facts))
    assert (moved.to.step.value if moved else None) == case["escalates_to"]
