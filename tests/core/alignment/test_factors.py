"""Wilder's bands on factor means shown to one decimal, with a prompt for each concern."""

from __future__ import annotations

from commonground.core.alignment.factors import (
    BORDERLINE,
    CONCERN,
    STRENGTH,
    band,
    category_results,
    factor_results,
)
from commonground.core.alignment.models import ALL, Cell


def test_bands_follow_the_shown_decimal() -> None:
    assert band(4.0) == STRENGTH
    assert band(3.96) == STRENGTH  # shown as 4.0
    assert band(3.94) == BORDERLINE
    assert band(3.0) == BORDERLINE
    assert band(2.96) == BORDERLINE  # shown as 3.0
    assert band(2.94) == CONCERN


def test_only_released_cells_are_read_and_concerns_ask_what_would_help() -> None:
    cells = [
        Cell("1", ALL, "history", 12, 4.25, False),
        Cell("1", ALL, "legitimacy", 12, 2.5, False),
        Cell("1", ALL, "climate", None, None, True, "fewer than 5 respondents"),
        Cell("1", ALL, "not_a_factor", 12, 1.0, False),
    ]
    rows = factor_results(cells)
    assert [(r.item, r.mean, r.band) for r in rows] == [
        ("history", 4.2, STRENGTH),
        ("legitimacy", 2.5, CONCERN),
    ]
    assert "What would help?" in rows[1].prompt
    assert rows[0].prompt == ""
    environment = next(c for c in category_results(rows) if c.category == "Environment")
    assert (environment.mean, environment.factors_shown, environment.factors_total) == (3.4, 2, 3)
