"""The blind evaluation sets: partnerships written by people who neither read nor ran the engine.

They measure the engine. First measurements, before anyone looked: set 1, 23 of 30 verdicts within
the accepted band; set 2, 14 of 24; set 3, 17 of 24. Later changes were informed by the
*categories* sets 1 and 2 found weak (see CHANGELOG.md), so later figures on those two are
optimistic. The bars guard against regressions.
Run ``python tests/core/test_blind_partnerships.py`` for the case-by-case tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from commonground.core.assessment import assess
from commonground.core.profiles import Partnership
from commonground.core.results import AssessmentResult

DATA = Path(__file__).resolve().parent.parent / "data"
# Share of verdicts within the accepted band required of each set; when these tests were added,
# set 1 had 25 of 30, set 2 18 of 24 and set 3 17 of 24 within band; with the trained stance and
# goal-interaction models (2026-12-05) 26 of 30, 19 of 24 and 21 of 24.
BARS = {"blind_partnerships.yaml": 0.85, "blind_partnerships_2.yaml": 0.75, "blind_partnerships_3.yaml": 0.85}


def _cases(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["cases"]
    return cases


def _assess(case: dict[str, Any]) -> AssessmentResult:
    return assess(Partnership.model_validate({"name": case["id"], "partners": case["partners"]}))


def _within_band(case: dict[str, Any], result: AssessmentResult) -> bool:
    return result.verdict.value in [case["expected"], *(case.get("acceptable") or [])]


def table(name: str) -> tuple[list[str], int]:
    """One line per case of set ``name``, and how many verdicts fall in the accepted band."""
    lines, hits = [], 0
    for case in _cases(name):
        result = _assess(case)
        ok = _within_band(case, result)
        hits += ok
        lines.append(
            f"{'ok ' if ok else 'MISS'} {case['id']:48} expected {case['expected']:9} "
            f"got {result.verdict.value:9} score {result.score:5.1f}"
        )
    return lines, hits


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BARS))
def test_blind_set_verdicts_stay_within_their_bands(name: str) -> None:
    lines, hits = table(name)
    share = hits / len(lines)
    assert share >= BARS[name], "\n".join([f"{hits}/{len(lines)} within band", *lines])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BARS))
def test_blind_set_clear_blocks_are_never_called_aligned(name: str) -> None:
    # The cheapest check a person would make: an explicit red line crossed by what the other
    # partner makes or funds must never come out as a good fit.
    for case in _cases(name):
        if case["expected"] == "blocked" and "red_line" in (case.get("expect_conflicts") or []):
            assert _assess(case).verdict.value != "aligned", case["id"]


if __name__ == "__main__":
    for set_name in sorted(BARS):
        rows, within = table(set_name)
        print(set_name, *rows, sep="\n")
        print(f"{within}/{len(rows)} verdicts within the accepted band\n")
