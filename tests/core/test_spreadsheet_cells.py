"""Cells that a spreadsheet would run as formulas are written as text and read back unchanged (F17)."""

from __future__ import annotations

import pytest

from commonground.core.spreadsheet_cells import FORMULA_START, formula_safe, formula_unsafe


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1", "\r=1"],
)
def test_every_formula_start_is_neutralised_and_read_back(cell: str) -> None:
    assert cell.startswith(FORMULA_START)
    written = formula_safe(cell)
    assert written == "'" + cell
    assert formula_unsafe(written) == cell


@pytest.mark.parametrize("cell", ["-2", "+3.5", "1e3", "Halve obesity", "", "'quoted"])
def test_numbers_and_plain_text_are_left_alone(cell: str) -> None:
    assert formula_safe(cell) == cell
    assert formula_unsafe(cell) == cell
