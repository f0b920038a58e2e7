"""How the agreement methods write numbers in table cells and findings: money, shares, plain numbers.

Core cannot use ``commonground.reports.numbers`` (reports depend on core, not the other way), so the
few kinds of number the agreement checks print are written here, rounded half up as a person would.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MISSING = "—"


def _half_up(value: float, places: int) -> Decimal:
    """``value`` rounded half up (``repr`` first, so 2.675 is not read as 2.67499…); no "-0"."""
    step = Decimal(1).scaleb(-places)
    return Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP) + 0


def money_text(value: float | None, currency: str) -> str:
    """An amount in whole units with thousands separators: ``EUR 12,500``."""
    return MISSING if value is None else f"{currency} {_half_up(value, 0):,}"


def share_text(fraction: float | None) -> str:
    """A 0–1 share as a whole percentage: 0.333 → "33%"."""
    return MISSING if fraction is None else f"{_half_up(fraction * 100, 0)}%"


def number_text(value: float | None) -> str:
    """A measured value with at most two decimals and no trailing zeros: 12.50 → "12.5"."""
    if value is None:
        return MISSING
    text = f"{_half_up(value, 2):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ratio_text(value: float | None) -> str:
    """A ratio such as an SROI with two decimals: 2.456 → "2.46"."""
    return MISSING if value is None else str(_half_up(value, 2))
