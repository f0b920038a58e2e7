"""The collaboration-factors assessment: factor means, Wilder's bands and category means.

Mattessich & Johnson (2018) read a factor's mean on the 1–5 scale in three bands: 4.0 and above
a strength, 3.0 to 3.9 borderline, below 3.0 a concern. Means are shown to one decimal and the band
is read from that shown value, so what a person sees and the band always agree. Only released
cells (5 or more people, not hidden to protect another group) are read; a concern carries a
"what would help?" prompt that the workspace turns into an action item.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from commonground.core.alignment.items import FACTORS, ItemSet
from commonground.core.alignment.models import ALL, Cell

STRENGTH = "strength"
BORDERLINE = "borderline"
CONCERN = "concern"
STRENGTH_FROM = 4.0
BORDERLINE_FROM = 3.0


@dataclasses.dataclass(frozen=True)
class FactorResult:
    """One factor's released mean for one group at one check-in, with its band."""

    checkin: str
    partner: str
    item: str
    label: str
    category: str
    n: int
    mean: float  # to one decimal
    band: str
    prompt: str  # "" unless a concern


@dataclasses.dataclass(frozen=True)
class CategoryResult:
    """The mean of a category's released factor means (None when none is released)."""

    checkin: str
    partner: str
    category: str
    mean: float | None
    factors_shown: int
    factors_total: int


def band(mean: float) -> str:
    """Wilder's band of a factor mean shown to one decimal."""
    shown = round(mean, 1)
    if shown >= STRENGTH_FROM:
        return STRENGTH
    if shown >= BORDERLINE_FROM:
        return BORDERLINE
    return CONCERN


def prompt(label: str) -> str:
    """The question a concern asks, for the partners to answer with an action."""
    return (
        f"{label} is a concern. What would help? Name one thing a partner could do before the next check-in."
    )


def factor_results(cells: Iterable[Cell], item_set: ItemSet = FACTORS) -> list[FactorResult]:
    """Each released cell of the set's items, by check-in, partner and item, with its band."""
    rows = []
    for cell in cells:
        if cell.suppressed or cell.mean is None or cell.n is None or cell.role != ALL:
            continue
        try:
            item = item_set.item(cell.item)
        except KeyError:
            continue
        shown = round(cell.mean, 1)
        which = band(shown)
        rows.append(
            FactorResult(
                checkin=cell.checkin,
                partner=cell.partner,
                item=item.id,
                label=item.label,
                category=item.category or "",
                n=cell.n,
                mean=shown,
                band=which,
                prompt=prompt(item.label) if which == CONCERN else "",
            )
        )
    return rows


def category_results(results: Iterable[FactorResult], item_set: ItemSet = FACTORS) -> list[CategoryResult]:
    """Category means from released factor means, per check-in and partner, in the set's order."""
    grouped: dict[tuple[str, str], dict[str, list[float]]] = {}
    for row in results:
        grouped.setdefault((row.checkin, row.partner), {}).setdefault(row.category, []).append(row.mean)
    out = []
    for (checkin, partner), by_category in grouped.items():
        for category in item_set.categories:
            means = by_category.get(category, [])
            total = sum(1 for item in item_set.items if item.category == category)
            out.append(
                CategoryResult(
                    checkin=checkin,
                    partner=partner,
                    category=category,
                    mean=round(sum(means) / len(means), 1) if means else None,
                    factors_shown=len(means),
                    factors_total=total,
                )
            )
    return out
