"""Cells of the tables we write (CSV, XLSX): text that a spreadsheet would run as a formula is kept text.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as a formula by
Excel, LibreOffice and Google Sheets (CSV or formula injection: ``=HYPERLINK(...)``, ``+cmd|...``), and
the texts we write come from people: profile goals, agreement rows, texts given to ``commonground
sdgs``. Every writer of a table passes each cell through :func:`formula_safe`, which puts an apostrophe
in front (spreadsheets then show the text as typed); :func:`formula_unsafe` takes it off again when we
read such a file back. Numbers such as ``-2`` or ``+3.5`` are left alone: they are data, not formulas.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_number(cell: str) -> bool:
    """Whether ``cell`` reads as a number (``-2``, ``+3.5``, ``1e3``)."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def formula_safe(cell: str) -> str:
    """``cell`` with an apostrophe in front when a spreadsheet would take it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_START) and not is_number(cell) else cell


def formula_unsafe(cell: str) -> str:
    """``cell`` as it was before :func:`formula_safe` (its apostrophe taken off)."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_START else cell
