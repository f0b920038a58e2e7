"""SROI after the Social Value UK method: one outcome by hand, the range and the sensitivity."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from commonground.core.agreement.models import Agreement
from commonground.core.agreement.sroi import VARIATIONS, sroi_part, sroi_result
from commonground.core.agreement.what import Sroi

OUTCOME = {
    "name": "Fewer sick days",
    "quantity": 100,
    "proxy": 50,
    "proxy_source": "Our estimate of a day's lost wages",
    "deadweight": 0.2,
    "displacement": 0.1,
    "attribution": 0.25,
    "drop_off": 0.5,
    "years": 2,
}


def sroi(**changes: Any) -> Sroi:
    """One outcome over two years and 1000 of inputs at a 10% discount rate."""
    return Sroi.model_validate(
        {
            "discount_rate": 0.1,
            "inputs": [{"partner": "mill", "value": 1000}],
            "outcomes": [{**OUTCOME, **changes}],
        }
    )


def test_one_outcome_worked_by_hand() -> None:
    # 100 × 50 = 5000; × 0.8 × 0.9 × 0.75 = 2700 in year 1; half of it (drop-off 0.5) = 1350 in year 2.
    # Discounted: 2700 / 1.1 + 1350 / 1.21 = 2454.55 + 1115.70 = 3570.25; over 1000 of inputs: 3.57.
    result = sroi_result(sroi())
    assert result.outcomes[0].per_year == pytest.approx((2700, 1350))
    assert result.present_value == pytest.approx(3570.2479, abs=1e-3)
    assert result.ratio == pytest.approx(3.5702479, abs=1e-6)


def test_the_ratio_comes_with_a_range_that_contains_it() -> None:
    result = sroi_result(sroi())
    assert result.low is not None
    assert result.high is not None
    assert result.ratio is not None
    assert result.low < result.ratio < result.high
    assert len(result.sensitivity) == len(VARIATIONS)
    deadweight = next(r for r in result.sensitivity if r.name == "deadweight")
    # More deadweight claims less of the change for the partnership, so the ratio falls.
    assert deadweight.ratio_high_assumption is not None
    assert deadweight.ratio_low_assumption is not None
    assert deadweight.ratio_high_assumption < result.ratio < deadweight.ratio_low_assumption


def test_the_assumption_that_moves_the_ratio_most_is_named() -> None:
    # With deadweight at 0.85, moving it by 0.10 changes the net outcome by two thirds: the largest swing.
    assert sroi_result(sroi(deadweight=0.85)).most_sensitive == "deadweight"
    # With no deductions, ±20% on the proxy moves it most (proxy and quantity tie; the proxy is listed first).
    plain = sroi_result(sroi(deadweight=0, displacement=0, attribution=0, drop_off=0, years=1))
    assert plain.most_sensitive == "proxy"


def test_the_part_prints_the_range_and_questions_an_outcome_without_deductions(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = make_agreement(
        what={
            "sroi": {
                "inputs": [{"partner": "mill", "value": 1000}],
                "outcomes": [{**OUTCOME, "deadweight": 0, "displacement": 0, "attribution": 0}],
            }
        }
    )
    part = sroi_part(agreement, today=today)
    ratio = next(f for f in part.findings if f.code == "sroi.ratio")
    assert ratio.message.startswith("Social return between ")
    assert "sroi.no_deductions" in {f.code for f in part.findings}
    assert part.figures["range"]["low"] < part.figures["ratio"] < part.figures["range"]["high"]


def test_no_sroi_gives_an_empty_part(make_agreement: Callable[..., Agreement], today: datetime.date) -> None:
    part = sroi_part(make_agreement(), today=today)
    assert (part.findings, part.tables, part.figures) == ((), (), {"present": False})


def test_inputs_worth_nothing_are_a_problem_not_a_division_by_zero(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = make_agreement(
        what={"sroi": {"inputs": [{"partner": "mill", "value": 0}], "outcomes": [OUTCOME]}}
    )
    part = sroi_part(agreement, today=today)
    assert [f.code for f in part.findings] == ["sroi.no_inputs"]
    assert part.figures["ratio"] is None
