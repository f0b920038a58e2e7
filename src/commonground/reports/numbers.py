"""How numbers are shown: one function per kind of number, used by every renderer and page.

A score 0–100 is a whole number everywhere (the gauge, the lead sentence, the tables, the list of
assessments, the comparison), rounded half up as a person would ("26.5" is "27" on every page);
one decimal would be false precision for a board and made the same score read "26.5" on one page
and "27" on another. Weights on small scales (values 0–5, power and interest 1–5) keep one decimal;
confidences are percentages; similarities of meaning stay on their 0–1 scale with two decimals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MISSING = "—"


def _half_up(value: float, places: int) -> Decimal:
    """``value`` rounded half up (``repr`` first, so 26.45 is not read as 26.4499…); no "-0"."""
    step = Decimal(1).scaleb(-places)
    return Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP) + 0


def score_text(score: float | None) -> str:
    """A 0–100 score as a whole number rounded half up (26.5 → "27"), or an em dash when missing."""
    return MISSING if score is None else str(_half_up(score, 0))


def decimal_text(value: float | None) -> str:
    """A value on a small scale (a 0–5 weight, 1–5 power) with at most one decimal: 4.5, 2."""
    if value is None:
        return MISSING
    rounded = _half_up(value, 1)
    return str(rounded.quantize(Decimal(1))) if rounded == rounded.to_integral_value() else str(rounded)


def percent_text(fraction: float | None) -> str:
    """A 0–1 confidence as a whole percentage: 0.92 → "92%"."""
    return MISSING if fraction is None else f"{_half_up(fraction * 100, 0)}%"


def similarity_text(similarity: float | None) -> str:
    """A similarity of meaning on its 0–1 scale with two decimals: 0.5712 → "0.57"."""
    return MISSING if similarity is None else str(_half_up(similarity, 2))


def delta_text(before: float | None, after: float | None) -> str:
    """The change between two scores as the scores are shown (whole numbers): "+12", "−3", "0"."""
    if before is None or after is None:
        return MISSING
    delta = _half_up(after, 0) - _half_up(before, 0)
    if delta > 0:
        return f"+{delta}"
    return f"\u2212{-delta}" if delta < 0 else "0"
