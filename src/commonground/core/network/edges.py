"""The ties of a round as a table: one row per tie, written as CSV or XLSX.

Cells go through the writers every table of ours uses (``core/agreement/spreadsheets.py``), which
pass each one through :func:`~commonground.core.spreadsheet_cells.formula_safe`, so an organisation
named ``=HYPERLINK(...)`` stays text in a spreadsheet.
"""

from __future__ import annotations

from commonground.core.agreement.spreadsheets import write_csv, write_xlsx
from commonground.core.network.results import Pair, RoundAnalysis

EDGE_COLUMNS = (
    "round",
    "organisation_a",
    "organisation_b",
    "id_a",
    "id_b",
    "reported_by",
    "level",
    "frequency",
    "value",
    "trust",
    "bridge",
    "other_side",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def other_sides(analysis: RoundAnalysis) -> dict[Pair, tuple[str, str]]:
    """For each tie only one side reports, by its ``(a, b)``: the other side's id and what it said,
    ``no tie`` (a one-sided tie) or ``not answered``."""
    position = {o.id: i for i, o in enumerate(analysis.organisations)}

    def tie(reporter: str, other: str) -> Pair:
        return (reporter, other) if position[reporter] <= position[other] else (other, reporter)

    said = {tie(g.a, g.b): (g.b, "no tie") for g in analysis.gaps if g.kind == "one-sided"}
    said.update({tie(a, b): (b, "not answered") for a, b in analysis.not_answered})
    return said


def edge_rows(analysis: RoundAnalysis) -> list[dict[str, str]]:
    """One row per tie, in survey order, every cell as text (numbers with two decimals).

    ``other_side``: ``reports it`` when both sides report the tie; otherwise whether the side that
    does not answered ``no tie`` (a one-sided tie) or gave no answer about it (``not answered``).
    """
    bridges = set(analysis.bridges)
    names = analysis.names
    said = other_sides(analysis)
    return [
        {
            "round": analysis.label,
            "organisation_a": names[tie.a],
            "organisation_b": names[tie.b],
            "id_a": tie.a,
            "id_b": tie.b,
            "reported_by": "both" if len(tie.reported_by) == 2 else tie.reported_by[0],
            "level": _number(tie.level),
            "frequency": _number(tie.frequency),
            "value": _number(tie.value),
            "trust": _number(tie.trust),
            "bridge": "yes" if (tie.a, tie.b) in bridges else "no",
            "other_side": "reports it" if len(tie.reported_by) == 2 else said[(tie.a, tie.b)][1],
        }
        for tie in analysis.ties
    ]


def edges_csv(analysis: RoundAnalysis) -> bytes:
    """The ties as UTF-8 CSV (with a byte-order mark for Excel)."""
    return write_csv(EDGE_COLUMNS, edge_rows(analysis))


def edges_xlsx(analysis: RoundAnalysis) -> bytes:
    """The ties as an Excel workbook of one sheet; figures are stored as numbers."""
    return write_xlsx(EDGE_COLUMNS, edge_rows(analysis))
