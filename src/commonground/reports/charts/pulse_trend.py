"""One check-in item over time: the released mean of all partners and of each partner, on 1–5.

Only released cells are drawn; a hidden check-in breaks the line (nothing is interpolated across
it, so the chart shows no more than the table). A drift alert is a downward triangle at the
check-in where it was raised. Every mark has a tooltip; the page gives the same numbers as a table.
"""

from __future__ import annotations

from collections.abc import Mapping

from commonground.core.alignment.models import ALL, PulseAnalysis

from ..labels import truncate
from .svg import GRID, INK, MUTED, no_data, party_colour, svg, text, tooltip

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 130, 16, 40
ALERT = "#D55E00"


def pulse_trend_chart(
    analysis: PulseAnalysis, item: str, label: str | None = None, names: Mapping[str, str] | None = None
) -> str:
    """The item's released means over the check-ins, one line per group, as an accessible SVG.

    ``names`` maps a partner key to the name shown (the workspace keys partners by id); partners
    are drawn in the order of their names."""
    name = truncate(label or item, 80)
    shown_names = names or {}

    def _group_name(partner: str) -> str:
        return "All partners" if partner == ALL else shown_names.get(partner, partner)

    checkins = analysis.checkins
    cells = [c for c in analysis.cells if c.item == item and c.role == ALL and not c.suppressed]
    if not cells:
        return no_data("pulse-trend", f"Trend of {name}", "Nothing can be shown yet")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(checkins) - 1)
    position = {checkin: i for i, checkin in enumerate(checkins)}

    def x(checkin: str) -> float:
        return LEFT + (step * position[checkin] if len(checkins) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h * (5 - value) / 4

    body: list[str] = []
    for value in range(1, 6):
        body.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{LEFT + plot_w}" y2="{y(value):.1f}" '
            f'stroke="{GRID}"/>'
        )
        body.append(text(LEFT - 6, y(value) + 4, str(value), size=11, anchor="end", fill=MUTED))
    partners = sorted((p for p in analysis.partners if any(c.partner == p for c in cells)), key=_group_name)
    groups = [ALL, *partners]
    for index, group in enumerate(groups):
        colour = INK if group == ALL else party_colour(index - 1)
        mine = {c.checkin: c for c in cells if c.partner == group}
        run: list[str] = []
        for checkin in [*checkins, None]:
            cell = mine.get(checkin) if checkin is not None else None
            if cell is not None and cell.mean is not None:
                run.append(f"{x(cell.checkin):.1f},{y(cell.mean):.1f}")
                continue
            if len(run) > 1:
                width = 2.5 if group == ALL else 1.8
                body.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="{width}"/>'
                )
            run = []
        for cell in mine.values():
            if cell.mean is None:
                continue
            words = f"{_group_name(group)}, check-in {cell.checkin}: {cell.mean:.2f} ({cell.n} people)"
            body.append(
                f'<circle cx="{x(cell.checkin):.1f}" cy="{y(cell.mean):.1f}" r="3.5" fill="{colour}">'
                f"{tooltip(words)}</circle>"
            )
        body.append(
            text(
                LEFT + plot_w + 10,
                TOP + 14 + 16 * index,
                truncate(_group_name(group), 18),
                size=11,
                fill=colour,
            )
        )
    for alert in analysis.alerts:
        if alert.item != item or alert.checkin not in position:
            continue
        ax, ay = x(alert.checkin), TOP + plot_h + 4
        words = (
            f"Drift alert ({alert.method}): {_group_name(alert.partner)} down {abs(alert.size):.2f} "
            f"since check-in {alert.since}"
        )
        body.append(
            f'<polygon points="{ax - 6:.1f},{ay:.1f} {ax + 6:.1f},{ay:.1f} {ax:.1f},{ay + 9:.1f}" '
            f'fill="{ALERT}">'
            f"{tooltip(words)}</polygon>"
        )
    body.append(
        text(
            LEFT, HEIGHT - 8, f"Check-ins {checkins[0]} to {checkins[-1]}; ▼ drift alert", size=11, fill=MUTED
        )
    )
    shown = sum(1 for c in cells if c.partner == ALL)
    desc = (
        f"Mean answer on 1 to 5 for {name} at {len(checkins)} check-in(s); all partners shown at {shown}; "
        f"{sum(1 for a in analysis.alerts if a.item == item)} drift alert(s). Hidden figures are left out."
    )
    return svg("pulse-trend", WIDTH, HEIGHT, f"Trend of {name}", desc, body)
