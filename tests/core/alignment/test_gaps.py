"""Mann-Whitney and Cliff's delta against scipy and known values."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st

from commonground.core.alignment.gaps import cliffs_delta, compare


def _permutation_p(a: list[int], b: list[int]) -> float:
    result = st.permutation_test(
        (a, b),
        lambda x, y: st.mannwhitneyu(x, y, method="asymptotic").statistic,
        permutation_type="independent",
        n_resamples=np.inf,
        alternative="two-sided",
    )
    return float(result.pvalue)


@pytest.mark.parametrize("seed", range(6))
def test_exact_p_equals_scipys_exhaustive_permutation_test_under_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = [int(x) for x in rng.integers(1, 6, 5 + seed % 3)]
    b = [int(x) for x in rng.integers(2, 6, 5 + seed % 4)]
    result = compare(a, b)
    assert result.method == "exact"
    assert result.u == st.mannwhitneyu(a, b).statistic
    assert result.p_value == pytest.approx(_permutation_p(a, b), abs=1e-9)


def test_large_groups_use_scipys_normal_approximation() -> None:
    rng = np.random.default_rng(3)
    a = [int(x) for x in rng.integers(1, 6, 60)]
    b = [int(x) for x in rng.integers(2, 6, 70)]
    result = compare(a, b)
    assert result.method == "normal"
    assert result.p_value == pytest.approx(st.mannwhitneyu(a, b, method="asymptotic").pvalue, abs=1e-12)


def test_cliffs_delta_known_values() -> None:
    assert cliffs_delta([5, 5, 5], [1, 1]) == 1.0
    assert cliffs_delta([1, 2], [3, 4]) == -1.0
    assert cliffs_delta([1, 2, 3], [1, 2, 3]) == 0.0
    # 1 vs (1, 2): tie and loss; 3 vs (1, 2): two wins -> (2 - 1) / 4
    assert cliffs_delta([1, 3], [1, 2]) == 0.25


def test_completely_separated_groups_of_five_have_the_smallest_exact_p() -> None:
    result = compare([5] * 5, [1] * 5)
    assert result.delta == 1.0
    assert result.p_value == pytest.approx(2 / 252)  # one split in C(10, 5) on each side


def test_the_bootstrap_interval_is_seeded_and_holds_the_estimate() -> None:
    a, b = [4, 5, 4, 3, 5, 4, 4], [2, 3, 3, 4, 2, 3]
    first, again = compare(a, b, seed=42), compare(a, b, seed=42)
    assert (first.delta_low, first.delta_high) == (again.delta_low, again.delta_high)
    assert first.delta_low <= first.delta <= first.delta_high
