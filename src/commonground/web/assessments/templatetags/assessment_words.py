"""Filters that show a stored snapshot's figures as every report shows them: ``score``, ``verdict``.

A page that lists snapshots (the assessments list, a partnership's latest score) reads the stored
``score`` and ``verdict`` columns; these filters give them the words and the rounding of
:mod:`commonground.reports` so the list, the page and the downloads say the same ("At risk", "27").
"""

from __future__ import annotations

from django import template

from commonground.reports.charts import verdict_word
from commonground.reports.numbers import score_text

register = template.Library()


@register.filter(name="score")
def score_filter(value: float | None) -> str:
    """A stored 0–100 score as every page shows it (whole, rounded half up)."""
    return score_text(value)


@register.filter(name="verdict")
def verdict_filter(value: str | None) -> str:
    """A stored verdict code in words, e.g. ``at_risk`` → "At risk"."""
    return verdict_word(value) if value else "not assessed"
