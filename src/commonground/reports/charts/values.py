"""Values comparison: how strongly each partner holds each value, as grouped horizontal bars."""

from __future__ import annotations

from commonground.core.results import ValueComparison

from ..labels import truncate
from ..numbers import decimal_text
from .svg import GRID, MUTED, no_data, party_colour, svg, text, text_width, tooltip

BAR_H = 14
BAR_GAP = 3
GROUP_GAP = 16
SCALE_W = 360
MAX_WEIGHT = 5.0
LABEL_CHARS = 30


def legend(parties: list[str], x0: float, y: float, *, max_width: float) -> tuple[list[str], float]:
    """Party colour keys laid out in rows; returns the elements and the height used."""
    out: list[str] = []
    x, row_y = x0, y
    for i, party in enumerate(parties):
        label = truncate(party, 40)
        w = 18 + text_width(label, 12) + 18
        if x > x0 and x + w > max_width:
            x, row_y = x0, row_y + 20
        out.append(
            f"<g>{tooltip(party)}"
            f'<rect x="{x:.1f}" y="{row_y - 10:.1f}" width="12" height="12" fill="{party_colour(i)}"/>'
            + text(x + 18, row_y, label, size=12)
            + "</g>"
        )
        x += w
    return out, row_y - y + 20


def values_chart(values: list[ValueComparison], parties: list[str]) -> str:
    """Grouped horizontal bars: one group per value, one bar per partner on the 0–5 weight scale."""
    if not values or not parties:
        return no_data("values", "Values compared", "No values to compare")
    labels = [truncate(v.value, LABEL_CHARS) for v in values]
    left = 16 + max(text_width(s, 12) for s in labels) + 12
    width = left + SCALE_W + 120
    body, legend_h = legend(parties, 16, 24, max_width=width - 16)
    top = 24 + legend_h + 18
    group_h = len(parties) * (BAR_H + BAR_GAP) - BAR_GAP
    plot_h = len(values) * (group_h + GROUP_GAP)
    unit = SCALE_W / MAX_WEIGHT

    for tick in range(6):
        x = left + tick * unit
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + plot_h - GROUP_GAP + 6}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(text(x, top - 10, str(tick), size=11, anchor="middle", fill=MUTED))

    for g, (value, label) in enumerate(zip(values, labels, strict=True)):
        y0 = top + g * (group_h + GROUP_GAP)
        body.append(
            f"<g>{tooltip(value.value)}"
            + text(left - 12, y0 + group_h / 2 + 4, label, size=12, anchor="end")
            + "</g>"
        )
        for p, party in enumerate(parties):
            weight = max(0.0, min(value.weights.get(party, 0.0), MAX_WEIGHT))
            y = y0 + p * (BAR_H + BAR_GAP)
            closest = value.closest.get(party)
            note = f"; nearest own value: {closest}" if closest and closest != value.value else ""
            if weight == 0:
                note += "; not among its values"
            tip = f"{party} — {value.value}: {decimal_text(weight)} of 5{note}"
            bar_w = weight * unit
            body.append(
                f'<g class="bar">{tooltip(tip)}'
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{BAR_H}" '
                f'fill="{party_colour(p)}"/>'
                + text(
                    left + bar_w + 5,
                    y + BAR_H - 3,
                    decimal_text(weight) if weight else "0 (not held)",
                    size=11,
                    fill=MUTED,
                )
                + "</g>"
            )
    height = top + plot_h + 20
    body.append(text(left, height - 6, "Weight, 0 (not held) to 5 (most important)", size=11, fill=MUTED))
    desc = f"Weights from 0 to 5 that {', '.join(parties)} give to {len(values)} values."
    return svg("values", width, height + 6, "Values compared", desc, body)
