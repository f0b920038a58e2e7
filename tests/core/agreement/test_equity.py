"""Equity: shares of contribution, power and benefit, their distance, and the question it raises."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonground.core.agreement.equity import EQUITY_FLAG, equity_part, equity_shares, total_variation
from commonground.core.agreement.models import Agreement

shares = st.lists(st.floats(min_value=0, max_value=100), min_size=2, max_size=8).filter(lambda v: sum(v) > 0)


def _norm(values: list[float]) -> list[float]:
    return [v / sum(values) for v in values]


@given(shares, shares)
def test_distance_is_between_zero_and_one_and_symmetric(p: list[float], q: list[float]) -> None:
    n = min(len(p), len(q))
    if sum(p[:n]) == 0 or sum(q[:n]) == 0:
        return
    a, b = _norm(p[:n]), _norm(q[:n])
    d = total_variation(a, b)
    assert -1e-12 <= d <= 1 + 1e-12
    assert d == pytest.approx(total_variation(b, a))
    assert total_variation(a, a) == 0


def test_distance_known_values() -> None:
    assert total_variation([1, 0], [0, 1]) == 1
    assert total_variation([0.5, 0.3, 0.2], [1 / 3, 1 / 3, 1 / 3]) == pytest.approx(1 / 6)
    assert total_variation([0.6, 0.4], [0.4, 0.6]) == pytest.approx(0.2)


def _funded_by_the_mill(make_agreement: Callable[..., Agreement], **extra: object) -> Agreement:
    return make_agreement(
        what={
            "commitments": [
                {
                    "id": "c1",
                    "by": "mill",
                    "kind": "money",
                    "description": "Kits",
                    "value": 8000,
                    "due": "2026-01-01",
                    "met": True,
                },
                {
                    "id": "c2",
                    "by": "river",
                    "kind": "staff_time",
                    "description": "Days",
                    "value": 2000,
                    "due": "2026-01-01",
                    "met": True,
                },
            ]
        },
        **extra,
    )


def test_shares_of_contribution_power_and_rated_benefit(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = _funded_by_the_mill(make_agreement, benefits={"river": 2, "mill": 1, "town": 1})
    result = equity_shares(agreement, today=today)
    assert result.contribution == pytest.approx((0.2, 0.8, 0.0))
    assert result.power == pytest.approx((1 / 3,) * 3)  # consensus: every partner can stop a proposal
    assert result.benefit == pytest.approx((0.5, 0.25, 0.25))
    assert result.benefit_source == "ratings"


def test_an_imbalance_above_the_threshold_is_a_question_not_a_verdict(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    part = equity_part(_funded_by_the_mill(make_agreement), today=today)
    flagged = [f for f in part.findings if f.code == "equity.contribution_vs_power"]
    assert len(flagged) == 1
    assert flagged[0].message.endswith("Is that the balance the partners intend?")
    assert "Millbrook Paper has 80% of the contribution and 33% of the decision power" in flagged[0].message
    distance = next(
        d for d in part.figures["distances"] if (d["between"], d["and"]) == ("contribution", "power")
    )
    assert distance["distance"] == pytest.approx(0.4667, abs=1e-4)
    assert distance["distance"] > EQUITY_FLAG


def test_equal_shares_everywhere_raise_nothing(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = make_agreement(
        what={
            "commitments": [
                {
                    "id": f"c{p}",
                    "by": p,
                    "kind": "money",
                    "description": "Share",
                    "value": 100,
                    "due": "2026-01-01",
                    "met": True,
                }
                for p in ("river", "mill", "town")
            ]
        },
        benefits={"river": 1, "mill": 1, "town": 1},
    )
    assert [f for f in equity_part(agreement, today=today).findings if f.level.value == "warning"] == []


def test_benefit_from_kpis_when_nobody_rated(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    line = {
        "unit": "n",
        "baseline": {"value": 0, "date": "2026-01-01"},
        "targets": [{"value": 100, "date": "2027-01-01"}],
    }
    agreement = make_agreement(
        what={
            "kpis": [
                {
                    "id": "a",
                    "name": "River KPI",
                    "category": "social",
                    "partner": "river",
                    **line,
                    "measurements": [{"date": "2026-07-02", "value": 60}],
                },
                {
                    "id": "b",
                    "name": "Mill KPI",
                    "category": "financial",
                    "owner": "mill",
                    **line,
                    "measurements": [{"date": "2026-07-02", "value": 40}],
                },
            ]
        }
    )
    result = equity_shares(agreement, today=today)
    assert result.benefit_source == "kpis"
    assert result.benefit == pytest.approx((2 / 3, 1 / 3, 0.0))  # on track 1, at risk 0.5, none 0


def test_weighted_power_and_the_log_are_shown(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = make_agreement(
        how={
            "decisions": {
                "rule": {"kind": "weighted", "weights": {"river": 50, "mill": 30, "town": 20}, "quota": 0.51},
                "log": [
                    {
                        "id": "d1",
                        "title": "Boat",
                        "proposed_by": "mill",
                        "opened": "2026-01-01",
                        "votes": [{"partner": "town", "position": "block"}],
                    }
                ],
            }
        }
    )
    part = equity_part(agreement, today=today)
    river, mill, town = part.figures["partners"]
    assert (river["power"], mill["power"], town["power"]) == pytest.approx((0.6, 0.2, 0.2))
    assert (mill["proposed"], town["blocked"]) == (1, 1)


def test_recognition_passes_each_partner_s_own_words(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    recognition = equity_part(make_agreement(), today=today).figures["recognition"]
    assert recognition[0] == {
        "partner": "river",
        "name": "River Trust",
        "contribution": "Volunteers and twenty years of water-quality records.",
    }
    assert recognition[1]["contribution"] is None
