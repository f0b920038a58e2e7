"""The evaluation figures themselves: a ranking figure that is wrong would mislead every reader."""

from __future__ import annotations

import pytest

from commonground.core.evaluation import ranking_auc


def test_auc_is_one_when_every_good_case_outscores_every_bad_one() -> None:
    assert ranking_auc([80.0, 70.0], [20.0, 10.0]) == 1.0


def test_auc_counts_ties_as_half_and_inversions_against_the_engine() -> None:
    # Pairs: (60>40) win, (60=60) half, (50>40) win, (50<60) loss → 2.5 of 4.
    assert ranking_auc([60.0, 50.0], [40.0, 60.0]) == pytest.approx(0.625)


def test_auc_is_undefined_without_both_kinds_of_case() -> None:
    assert ranking_auc([], [10.0]) is None
    assert ranking_auc([10.0], []) is None
