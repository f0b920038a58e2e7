"""What a closed check-in's page and exports show, read only from the results frozen at its close.

Nothing here touches the database: it turns ``Checkin.results`` (``PulseAnalysis.as_json()``) and
``Checkin.partner_names`` into tables, charts and sentences. A suppressed cell is shown as
"hidden: fewer than 5" (or its own reason), never as a number; exports carry released cells only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from commonground.core.alignment.items import Item, item_set
from commonground.core.alignment.models import ALL, MIN_COMMENT_RESPONDENTS, MIN_RESPONDENTS, PulseAnalysis
from commonground.reports.charts.pulse_trend import pulse_trend_chart
from commonground.web.checkins.models import Checkin
from commonground.web.fragments import fragment_key

ALL_WORDS = "All partners"
EXPORT_COLUMNS = ("checkin", "partner", "role", "item", "item_label", "n", "mean")


@dataclass(frozen=True)
class ShownCell:
    """One cell as the table shows it."""

    mean: float | None
    n: int | None
    hidden: str  # "" when released, else why it is hidden, in words


@dataclass(frozen=True)
class ItemRow:
    """One item at one check-in: a cell per partner (the pooled one first) and its trend chart."""

    item: Item
    cells: list[ShownCell]
    chart: str  # "" before the second check-in of the series


@dataclass(frozen=True)
class CheckinResults:
    """A closed check-in's results, ready for its page."""

    label: str
    columns: list[str]  # "All partners", then each partner's name
    rows: list[ItemRow]
    coorientation: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def released(self) -> int:
        """How many cells carry a figure."""
        return sum(1 for row in self.rows for cell in row.cells if cell.mean is not None)


def _name(names: dict[str, str], key: str) -> str:
    return ALL_WORDS if key == ALL else names.get(key, "A former partner")


def _hidden(cell: dict[str, Any]) -> str:
    if not cell["suppressed"]:
        return ""
    reason = cell.get("reason") or f"fewer than {MIN_RESPONDENTS} respondents"
    return f"hidden: {reason.replace('respondents', 'answered')}"


def checkin_results(checkin: Checkin) -> CheckinResults | None:
    """The frozen results of a closed check-in for its page; None while it is open or never frozen.

    Built once per closed check-in and then read from the cache: frozen results never change after
    the close, and every write of them stamps ``frozen_at``, which keys the cache (a caller may
    defer ``results``: it is read only when the cache misses)."""
    if checkin.is_open:
        return None
    if checkin.frozen_at is None:  # results not written by a freeze: nothing to key a cache by
        return _built_results(checkin)
    key = fragment_key("checkin-results", checkin.pk, checkin.frozen_at)
    built: CheckinResults | None = cache.get(key)
    if built is None:
        built = _built_results(checkin)
        if built is not None:
            cache.set(key, built)
    return built


def _built_results(checkin: Checkin) -> CheckinResults | None:
    frozen = checkin.results
    if not frozen:
        return None
    names = dict(checkin.partner_names)
    label = checkin.label
    partners = [ALL, *sorted(frozen["partners"], key=lambda key: (_name(names, key), key))]
    order = [c for c in frozen["checkins"] if c <= label]
    cells = {(c["checkin"], c["partner"], c["item"]): c for c in frozen["cells"] if c.get("role", ALL) == ALL}
    shown_checkins = set(order)
    analysis = PulseAnalysis.from_json(
        {**frozen, "checkins": order, "cells": [c for c in frozen["cells"] if c["checkin"] in shown_checkins]}
    )
    shown_names = {partner: _name(names, partner) for partner in partners}
    charts = _trend_charts(checkin, analysis, shown_names) if len(order) > 1 else {}
    rows = []
    for item in item_set(checkin.item_set).items:
        shown = []
        for partner in partners:
            cell = cells.get((label, partner, item.id))
            if cell is None:
                shown.append(ShownCell(mean=None, n=None, hidden="no answers"))
            else:
                shown.append(ShownCell(mean=cell["mean"], n=cell["n"], hidden=_hidden(cell)))
        # A trend needs two check-ins; a lone point would only repeat the table. The same chart as
        # `commonground pulse analyse --format html` draws, from the same frozen analysis.
        chart = charts.get(item.id, "")
        rows.append(ItemRow(item=item, cells=shown, chart=chart))
    return CheckinResults(
        label=label,
        columns=[_name(names, partner) for partner in partners],
        rows=rows,
        coorientation=[
            {
                **row,
                "partner_name": _name(names, row["partner"]),
                "about_name": _name(names, row["about"]),
                "label": item_set(checkin.item_set).item(row["item"]).label,
            }
            for row in frozen.get("coorientation", [])
            if row["checkin"] == label
        ],
        gaps=[
            {
                **gap,
                "a_name": _name(names, gap["partner_a"]),
                "b_name": _name(names, gap["partner_b"]),
                "label": item_set(checkin.item_set).item(gap["item"]).label,
            }
            for gap in frozen.get("gaps", [])
            if gap["checkin"] == label
        ],
        comments=[
            {**comment, "partner_name": _name(names, comment["partner"])}
            for comment in frozen.get("comments", [])
            if comment["checkin"] == label
        ],
        alerts=[
            {
                **alert,
                "partner_name": _name(names, alert["partner"]),
                "label": item_set(checkin.item_set).item(alert["item"]).label,
            }
            for alert in frozen.get("alerts", [])
            if alert["checkin"] == label
        ],
        notes=[*frozen.get("notes", []), *_small_group_notes(rows, partners, names)],
    )


def _trend_charts(checkin: Checkin, analysis: PulseAnalysis, names: dict[str, str]) -> dict[str, str]:
    """Each item's trend chart over the check-ins up to this one."""
    return {
        item.id: pulse_trend_chart(analysis, item.id, item.label, names=names)
        for item in item_set(checkin.item_set).items
    }


def _small_group_notes(rows: list[ItemRow], partners: list[str], names: dict[str, str]) -> list[str]:
    """What could not be shown for a small partnership, and what was shown instead, in words."""
    notes = []
    if rows and all(row.cells[0].mean is None for row in rows):
        notes.append(
            f"Fewer than {MIN_RESPONDENTS} people answered in all, so no figure can be shown for this "
            "check-in. Invite more people of each partner to answer next time: figures appear from "
            f"{MIN_RESPONDENTS} answers, pooled across the partners."
        )
        return notes
    hidden = [
        _name(names, partner)
        for index, partner in enumerate(partners)
        if index and rows and all(row.cells[index].mean is None for row in rows)
    ]
    if hidden:
        notes.append(
            f"{' and '.join(hidden)}: fewer than {MIN_RESPONDENTS} answered, so no figure is shown for "
            f"{'them' if len(hidden) > 1 else 'it'} alone. Their answers count in the figure for all "
            "partners, and the trend charts show how that pooled figure moves across check-ins."
        )
    notes.append(
        f"Comments are shown only from a group of at least {MIN_COMMENT_RESPONDENTS} people, so that "
        "nobody can be recognised by how they write."
    )
    return notes


def export_rows(checkin: Checkin) -> list[dict[str, str]]:
    """The released cells of a closed check-in's frozen results, one row each, for CSV and XLSX."""
    frozen = checkin.results or {}
    names = dict(checkin.partner_names)
    asked = item_set(checkin.item_set)
    rows = []
    for cell in frozen.get("cells", []):
        if cell["suppressed"] or cell["mean"] is None:
            continue
        rows.append(
            {
                "checkin": cell["checkin"],
                "partner": _name(names, cell["partner"]),
                "role": cell.get("role", ALL),
                "item": cell["item"],
                "item_label": asked.item(cell["item"]).label if cell["item"] in asked.ids else cell["item"],
                "n": "" if cell["n"] is None else str(cell["n"]),
                "mean": f"{cell['mean']:.2f}",
            }
        )
    return rows
