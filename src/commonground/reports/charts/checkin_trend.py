"""One check-in item's released means over the check-ins, one line per partner (and all pooled).

The scale is the items' 1–5. A suppressed cell is a gap in its line, never a guessed point: the
chart draws only what the frozen results release. Every point carries a tooltip; the page gives the
same numbers as a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..labels import truncate
from .svg import GRID, INK, MUTED, no_data, party_colour, svg, text, tooltip

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 56
POOLED = "#1f2328"


def checkin_trend_chart(
    item: str, checkins: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]
) -> str:
    """``series``: (name, one mean or None per check-in) for each line; the first is drawn as the pool."""
    title = f"{truncate(item, 60)} over the check-ins"
    if not checkins or not any(v is not None for _, values in series for v in values):
        return no_data("checkin-trend", title, "No figure released yet")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(checkins) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (step * i if len(checkins) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h * (5 - value) / 4

    body: list[str] = []
    for level in range(1, 6):
        body.append(
            f'<line x1="{LEFT}" y1="{y(level):.1f}" x2="{WIDTH - RIGHT}" y2="{y(level):.1f}" '
            f'stroke="{GRID}"/>'
        )
        body.append(text(LEFT - 6, y(level) + 4, str(level), size=11, anchor="end", fill=MUTED))
    described = []
    for index, (name, values) in enumerate(series):
        colour = POOLED if index == 0 else party_colour(index - 1)
        dash = "" if index == 0 else ' stroke-dasharray="5 3"'
        run: list[str] = []
        for i, value in enumerate([*values, None]):
            if value is None:
                if len(run) > 1:
                    body.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                        f'stroke-width="2"{dash}/>'
                    )
                run = []
                continue
            run.append(f"{x(i):.1f},{y(value):.1f}")
        for i, value in enumerate(values):
            if value is not None:
                body.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" fill="{colour}">'
                    f"{tooltip(f'{name}, {checkins[i]}: {value:.2f}')}</circle>"
                )
        shown = [f"{checkins[i]} {v:.1f}" for i, v in enumerate(values) if v is not None]
        described.append(f"{name}: {', '.join(shown) if shown else 'nothing released'}")
        body.append(
            text(LEFT + 150 * index, HEIGHT - 10, truncate(name, 22), size=11, fill=colour if index else INK)
        )
    last_x = -100.0
    for i, label in enumerate(checkins):
        if x(i) - last_x >= 80:
            body.append(text(x(i), HEIGHT - BOTTOM + 18, label, size=11, anchor="middle", fill=MUTED))
            last_x = x(i)
    return svg(
        "checkin-trend", WIDTH, HEIGHT, title, "; ".join(described) + ". Gaps: fewer than 5 answered.", body
    )
