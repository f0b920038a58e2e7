"""Filters that show a stored snapshot's figures as every report shows them: ``score``, ``verdict``,
``verdict_badge``.

A page that lists snapshots (the assessments list, a partnership's latest score) reads the stored
``score`` and ``verdict`` columns; these filters give them the words and the rounding of
:mod:`commonground.reports` so the list, the page and the downloads say the same ("At risk", "27").
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from commonground.reports.charts import verdict_word
from commonground.reports.charts.gauge import VERDICT_WORDS
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


@register.filter(name="verdict_badge")
def verdict_badge_filter(value: str | None) -> SafeString:
    """A stored verdict code as the site's label: its words in a ``.verdict-<code>`` badge (site.css, at
    WCAG AA contrast), ``.verdict-none`` when there is none."""
    code = value if value in VERDICT_WORDS else "none"
    return format_html('<span class="verdict verdict-{}">{}</span>', code, verdict_filter(value))
