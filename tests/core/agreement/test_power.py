"""Banzhaf power: known values, and properties every power index must have (hypothesis)."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from commonground.core.agreement.how import DecisionRule, RuleKind
from commonground.core.agreement.power import (
    MAX_PARTNERS,
    TooManyPartnersError,
    banzhaf,
    rule_power,
    swing_counts,
)


def brute_force_swings(weights: list[int], quota: float | None) -> list[int]:
    """Swings by listing every coalition, the textbook way, to check the counting against."""
    total = sum(weights)
    # The quota as the decimal it was written as: in binary floats 0.34 × 300 is
    # 102.00000000000001, so a coalition of exactly 34% would wrongly lose (found by hypothesis).
    share = None if quota is None else Fraction(repr(quota))

    def wins(weight: float) -> bool:
        return weight > total / 2 if share is None else weight >= share * total

    n = len(weights)
    swings = [0] * n
    for size in range(1, n + 1):
        for coalition in combinations(range(n), size):
            weight = sum(weights[i] for i in coalition)
            if wins(weight):
                for i in coalition:
                    if not wins(weight - weights[i]):
                        swings[i] += 1
    return swings


def test_49_49_2_gives_three_equal_powers() -> None:
    assert banzhaf([49, 49, 2]) == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_50_30_20_with_a_51_percent_quota() -> None:
    # The issue expected the 50 partner to hold all the power. Counting says otherwise: the 30 and
    # 20 partners together weigh 50, exactly what the 50 partner weighs alone, so no quota can let
    # the 50 partner win alone while keeping the two others from winning together. With 51 needed,
    # the 50 partner swings {50,30}, {50,20} and {50,30,20}; the others one coalition each: 3/5, 1/5, 1/5.
    assert swing_counts([50, 30, 20], quota=0.51) == (3, 1, 1)
    assert banzhaf([50, 30, 20], quota=0.51) == pytest.approx((0.6, 0.2, 0.2))


def test_a_partner_over_the_quota_alone_holds_all_the_power() -> None:
    # The case the issue meant: 51/30/19 with a 51% quota makes the first partner a dictator.
    assert banzhaf([51, 30, 19], quota=0.51) == (1.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "kind", [RuleKind.UNANIMITY, RuleKind.CONSENSUS, RuleKind.CONSENT, RuleKind.SIMPLE_MAJORITY]
)
def test_one_partner_one_vote_rules_give_equal_power(kind: RuleKind) -> None:
    partners = ["a", "b", "c", "d", "e"]
    assert rule_power(DecisionRule(kind=kind), partners) == pytest.approx((0.2,) * 5)


def test_decimal_weights_reach_a_quota_as_on_paper() -> None:
    # In binary floats 0.7 + 0.1 is 0.7999999999999999, short of a quota of 0.8 of 1.0; read as
    # written it is exactly 0.8 and wins, as the same game in whole numbers (1, 2, 7 of 10) does.
    assert 0.7 + 0.1 < 0.8
    assert swing_counts([0.1, 0.2, 0.7], quota=0.8) == (1, 1, 3)
    assert swing_counts([0.1, 0.2, 0.7], quota=0.8) == tuple(brute_force_swings([1, 2, 7], 0.8))


def test_more_partners_than_the_exact_count_handles_is_refused() -> None:
    with pytest.raises(TooManyPartnersError, match=f"up to {MAX_PARTNERS} partners"):
        banzhaf([1.0] * (MAX_PARTNERS + 1))


def test_weights_of_zero_cannot_decide_anything() -> None:
    with pytest.raises(ValueError, match="add up to zero"):
        banzhaf([0, 0, 0])


weights = st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=7).filter(
    lambda w: sum(w) > 0
)
quotas = st.one_of(st.none(), st.sampled_from([0.34, 0.5, 0.51, 0.6, 2 / 3, 0.75, 0.9, 1.0]))


@given(weights, quotas)
@example([18, 42, 60, 60, 60, 60], 0.34)
def test_counting_matches_listing_every_coalition(w: list[int], quota: float | None) -> None:
    assert list(swing_counts(w, quota=quota)) == brute_force_swings(w, quota)


@given(weights, quotas)
def test_indices_sum_to_one(w: list[int], quota: float | None) -> None:
    assert sum(banzhaf(w, quota=quota)) == pytest.approx(1.0)


@given(st.integers(min_value=1, max_value=100), st.integers(min_value=1, max_value=10), quotas)
def test_equal_weights_give_equal_power(weight: int, n: int, quota: float | None) -> None:
    assert banzhaf([weight] * n, quota=quota) == pytest.approx((1 / n,) * n)


@given(weights, quotas)
def test_a_partner_with_no_weight_has_no_power(w: list[int], quota: float | None) -> None:
    assert banzhaf([*w, 0], quota=quota)[-1] == 0.0


@given(weights, quotas)
def test_more_weight_never_means_less_power(w: list[int], quota: float | None) -> None:
    power = banzhaf(w, quota=quota)
    for i in range(len(w)):
        for j in range(len(w)):
            if w[i] >= w[j]:
                assert power[i] >= power[j] - 1e-12


def test_twenty_partners_with_finely_divided_weights_are_counted() -> None:
    # Every coalition weighs something different here: the case that used to take seconds.
    weights = [1000 + index * 7.0001 + index**3 * 0.0013 for index in range(MAX_PARTNERS)]
    power = banzhaf([round(w, 4) for w in weights], quota=0.6)
    assert sum(power) == pytest.approx(1.0)
    assert power == tuple(sorted(power))  # more weight, never less power


def test_weights_with_more_than_four_decimals_are_refused() -> None:
    with pytest.raises(ValueError, match=r"weights may have at most 4 decimal places \(b has more\)"):
        DecisionRule(kind=RuleKind.WEIGHTED, weights={"a": 1.5, "b": 0.123456})
