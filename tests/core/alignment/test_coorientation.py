"""Coorientation in the four states McLeod and Chaffee name."""

from __future__ import annotations

import pytest

from commonground.core.alignment.coorientation import classify, coorientation


@pytest.mark.parametrize(
    ("own", "predicted", "actual", "kind"),
    [
        (4.0, 4.2, 3.9, "true consensus"),  # we think they agree, and they do
        (4.0, 4.1, 2.5, "false consensus"),  # we think they agree; they do not
        (4.0, 2.0, 2.4, "true dissensus"),
        (4.0, 2.5, 4.3, "false dissensus"),  # we expect disagreement that is not there
    ],
)
def test_the_four_states(own: float, predicted: float, actual: float, kind: str) -> None:
    assert classify(own, predicted, actual) == kind


def test_pairs_need_both_own_means_released() -> None:
    rows = coorientation(
        checkin="1",
        item="voice",
        own_means={"A": 4.0, "B": 2.6},
        predictions={("A", "B"): 4.1, ("B", "A"): 3.9, ("A", "C"): 3.0},
    )
    assert [(r.partner, r.about, r.kind) for r in rows] == [
        ("A", "B", "false consensus"),
        ("B", "A", "true dissensus"),
    ]
