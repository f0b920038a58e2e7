"""A KPI's trend: its readings against the straight line from the baseline to the targets, with bands.

The line and the bands are those of :mod:`commonground.core.agreement.kpis`: the expected value runs
from the baseline through the targets in date order; a reading is on track when its progress is at
least ``kpi.on_track_at`` of the expected progress, at risk from ``kpi.at_risk_at``. Shown as: the
on-track band (from the on-track share of the expected progress to the line) in green, the at-risk
band below it in orange, the line dashed, the baseline as a square, targets as diamonds, readings as
dots joined in date order. Every mark carries a tooltip; the page gives the same numbers as a table.
"""

from __future__ import annotations

import datetime

from commonground.core.agreement.kpis import STATUS_WORDS, KpiResult, expected_value
from commonground.core.agreement.what import Kpi
from commonground.core.agreement.wording import number_text

from ..labels import truncate
from .svg import GRID, INK, MUTED, no_data, svg, text, tooltip

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 24, 64
ON_TRACK_FILL = "#cdebdf"  # light green of the site's "aligned" badge family
AT_RISK_FILL = "#ffe3a3"  # light orange of the "at risk" family
READING = "#0072B2"
TARGET = "#D55E00"


def _points(kpi: Kpi, end: datetime.date) -> list[datetime.date]:
    """The dates where the expected line bends: the baseline, each target, and the chart's end."""
    dates = sorted({kpi.baseline.date, *(t.date for t in kpi.targets), end})
    return [d for d in dates if d <= end]


def kpi_trend_chart(result: KpiResult) -> str:
    """The KPI's readings against its line and bands, as an accessible SVG."""
    kpi = result.kpi
    name = truncate(kpi.name, 80)
    readings = sorted((m for m in kpi.measurements if m.date >= kpi.baseline.date), key=lambda m: m.date)
    targets = sorted(kpi.targets, key=lambda t: t.date)
    start = kpi.baseline.date
    end = max([targets[-1].date, *(m.date for m in readings)])
    if end <= start:
        return no_data("kpi-trend", f"Trend of {name}", "No dates to draw")
    bends = _points(kpi, end)
    base = kpi.baseline.value

    def band(share: float, on: datetime.date) -> float:
        return base + share * (expected_value(kpi, on) - base)

    values = [base, *(t.value for t in targets), *(m.value for m in readings)]
    values += [band(kpi.at_risk_at, d) for d in bends]
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    days = (end - start).days

    def x(on: datetime.date) -> float:
        return LEFT + plot_w * (on - start).days / days

    def y(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    body: list[str] = []
    for i in range(5):
        value = low + (high - low) * i / 4
        body.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" '
            f'stroke="{GRID}"/>'
        )
        body.append(text(LEFT - 6, y(value) + 4, number_text(value), size=11, anchor="end", fill=MUTED))

    def area(lower: float, upper: float, fill: str, label: str) -> str:
        top_edge = [f"{x(d):.1f},{y(band(upper, d)):.1f}" for d in bends]
        bottom_edge = [f"{x(d):.1f},{y(band(lower, d)):.1f}" for d in reversed(bends)]
        return (
            f'<polygon points="{" ".join(top_edge + bottom_edge)}" fill="{fill}">{tooltip(label)}</polygon>'
        )

    on_pct, risk_pct = round(kpi.on_track_at * 100), round(kpi.at_risk_at * 100)
    body.append(
        area(kpi.on_track_at, 1.0, ON_TRACK_FILL, f"On track: at least {on_pct}% of the expected progress")
    )
    body.append(area(kpi.at_risk_at, kpi.on_track_at, AT_RISK_FILL, f"At risk: {risk_pct}% to {on_pct}%"))
    line = " ".join(f"{x(d):.1f},{y(expected_value(kpi, d)):.1f}" for d in bends)
    body.append(
        f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 4">'
        f"{tooltip('The straight line from the baseline to the targets')}</polyline>"
    )
    bx, by = x(start), y(base)
    body.append(
        f'<rect x="{bx - 5:.1f}" y="{by - 5:.1f}" width="10" height="10" fill="{INK}">'
        f"{tooltip(f'Baseline: {number_text(base)} {kpi.unit} on {start.isoformat()}')}</rect>"
    )
    for t in targets:
        tx, ty = x(t.date), y(t.value)
        diamond = f"{tx:.1f},{ty - 7:.1f} {tx + 7:.1f},{ty:.1f} {tx:.1f},{ty + 7:.1f} {tx - 7:.1f},{ty:.1f}"
        words = f"Target: {number_text(t.value)} {kpi.unit} by {t.date.isoformat()}"
        body.append(f'<polygon points="{diamond}" fill="{TARGET}">{tooltip(words)}</polygon>')
    if len(readings) > 1:
        path = " ".join(f"{x(m.date):.1f},{y(m.value):.1f}" for m in readings)
        body.append(f'<polyline points="{path}" fill="none" stroke="{READING}" stroke-width="2"/>')
    for m in readings:
        body.append(
            f'<circle cx="{x(m.date):.1f}" cy="{y(m.value):.1f}" r="4.5" fill="{READING}">'
            f"{tooltip(f'{m.date.isoformat()}: {number_text(m.value)} {kpi.unit}')}</circle>"
        )
    labelled = sorted({start, *(t.date for t in targets)})
    last_x = -100.0
    for d in labelled:
        if x(d) - last_x >= 70:
            body.append(text(x(d), HEIGHT - BOTTOM + 18, d.isoformat(), size=11, anchor="middle", fill=MUTED))
            last_x = x(d)
    body.append(
        text(LEFT, HEIGHT - 14, f"Green: on track (≥ {on_pct}%), orange: at risk ({risk_pct}–{on_pct}%), "
             "dashed: expected; ■ baseline, ◆ target, ● reading", size=11, fill=MUTED)
    )  # fmt: skip
    latest = (
        f"latest reading {number_text(result.latest.value)} on {result.latest.date.isoformat()}"
        if result.latest
        else "no reading yet"
    )
    target_words = "; ".join(f"{number_text(t.value)} by {t.date.isoformat()}" for t in targets)
    desc = (
        f"Baseline {number_text(base)} {kpi.unit} on {start.isoformat()}; targets {target_words}; "
        f"{len(readings)} reading{'s' if len(readings) != 1 else ''}, {latest}: "
        f"{STATUS_WORDS[result.status]}."
    )
    return svg("kpi-trend", WIDTH, HEIGHT, f"Trend of {name}", desc, body)
