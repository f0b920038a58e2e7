"""Overall verdicts on labelled whole partnerships in tests/data/partnership_verdicts.yaml.

Run as a script to print agreement per split, with each case's score and verdict:
    .venv/bin/python tests/core/test_partnership_verdicts.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from commonground.core.assessment import assess_profiles
from commonground.core.profiles import Initiative, Profile
from commonground.core.results import AssessmentResult, Verdict
from commonground.core.scoring import VERDICT_CEILING
from commonground.core.semantics.engines import get_engine

CASES_PATH = Path(__file__).resolve().parents[1] / "data" / "partnership_verdicts.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))["cases"]
# Holdout cases were never looked at while tuning. Before the 2025.2 calibration 6/10 agreed, after
# it 7/10, after the general 2025.3 rules 10/10: the bar guards against regression; it is not a
# target to tune toward.
HOLDOUT_BAR = 0.7
CALIBRATION_BAR = 0.9
# Holdout good fits the engine still gets wrong, with the general cause (see docs/methods.md);
# strict, so fixing the cause turns them into failures that ask for this list to shrink.
KNOWN_MISSES: dict[str, str] = {}

pytestmark = pytest.mark.slow


def run_case(case: dict[str, Any]) -> AssessmentResult:
    """Assess one labelled partnership."""
    profiles = [Profile.model_validate(case["a"]), Profile.model_validate(case["b"])]
    initiatives = [Initiative.model_validate(i) for i in case.get("initiatives", [])]
    return assess_profiles(profiles, initiatives=initiatives, engine=get_engine())


def agrees(case: dict[str, Any], verdict: Verdict) -> bool:
    """True when the verdict is the expected band or an allowed adjacent one."""
    return verdict.value in {case["expect"], *case.get("allow", [])}


def agreement(split: str) -> tuple[int, int, list[str]]:
    """(agreeing, total, one line per case) over one split."""
    lines: list[str] = []
    agree = total = 0
    for case in CASES:
        if case["split"] != split:
            continue
        total += 1
        result = run_case(case)
        ok = agrees(case, result.verdict)
        agree += ok
        wanted = "/".join([case["expect"], *case.get("allow", [])])
        mark = "ok " if ok else "BAD"
        lines.append(f"  {mark} {case['id']}: {result.score:g} {result.verdict.value} (want {wanted})")
    return agree, total, lines


def test_cases_file_is_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 16
    splits = [c["split"] for c in CASES]
    assert set(splits) == {"calibration", "holdout"}
    assert abs(splits.count("calibration") - splits.count("holdout")) <= 2
    bands = {v.value for v in Verdict}
    for case in CASES:
        assert case["reason"].strip()
        assert case["expect"] in bands
        assert set(case.get("allow", [])) <= bands


def test_holdout_agreement_is_above_the_bar() -> None:
    agree, total, lines = agreement("holdout")
    assert agree / total >= HOLDOUT_BAR, "\n".join(lines)


def test_calibration_agreement_is_above_the_bar() -> None:
    agree, total, lines = agreement("calibration")
    assert agree / total >= CALIBRATION_BAR, "\n".join(lines)


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"] == "blocked"], ids=lambda c: c["id"])
def test_blocked_cases_are_blocked(case: dict[str, Any]) -> None:
    assert run_case(case).verdict is Verdict.BLOCKED


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[c["id"]]))
        if c["id"] in KNOWN_MISSES
        else c
        for c in CASES
        if c["group"] == "good_fit"
    ],
    ids=lambda c: c["id"],
)
def test_no_good_fit_is_at_risk_or_blocked(case: dict[str, Any]) -> None:
    result = run_case(case)
    assert result.verdict in (Verdict.ALIGNED, Verdict.WORKABLE), result.reasons


if __name__ == "__main__":
    for split in ("calibration", "holdout"):
        agree, total, lines = agreement(split)
        print(f"{split}: {agree}/{total} agree ({agree / total:.0%})")
        print("\n".join(lines))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_score_sits_in_the_verdicts_band(case: dict[str, Any]) -> None:
    # A blocked partnership never shows a score that reads as fine (see core/scoring.py).
    result = run_case(case)
    ceiling = VERDICT_CEILING.get(result.verdict)
    if ceiling is not None:
        assert result.score <= ceiling
