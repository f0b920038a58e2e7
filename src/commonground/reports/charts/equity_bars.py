"""Equity: each partner's shares of contribution, decision power and benefit against an equal share.

One group of three horizontal bars per partner on a 0–100% scale, with the equal share (one over the
number of partners) as a dashed line across every group, so a partner far from it shows at a glance.
A share that cannot be known yet (nothing delivered, no ratings) is said in words instead of a bar.
The shares are :func:`commonground.core.agreement.equity.equity_shares`.
"""

from __future__ import annotations

from commonground.core.agreement.equity import DIMENSION_WORDS, Shares
from commonground.core.agreement.wording import share_text

from ..labels import truncate
from .svg import GRID, INK, MUTED, no_data, svg, text, text_width, tooltip

DIMENSIONS = ("contribution", "power", "benefit")
# Okabe & Ito colours for the three dimensions (not the partners: the partners are the groups).
COLOURS = {"contribution": "#0072B2", "power": "#D55E00", "benefit": "#009E73"}
BAR_H, BAR_GAP, GROUP_GAP, SCALE_W = 14, 3, 18, 360


def equity_chart(shares: Shares, names: dict[str, str]) -> str:
    """Grouped bars of the three shares per partner with the equal share marked (``names``: id → name)."""
    if not shares.partners:
        return no_data("equity", "Shares per partner", "No partners")
    labels = [truncate(names.get(p, p), 32) for p in shares.partners]
    left = 16 + max(text_width(label, 12) for label in labels) + 12
    width = left + SCALE_W + 130
    top = 44
    group_h = len(DIMENSIONS) * (BAR_H + BAR_GAP) - BAR_GAP
    height = top + len(shares.partners) * (group_h + GROUP_GAP) + 24
    body: list[str] = []
    x = 16.0
    for dimension in DIMENSIONS:
        words = DIMENSION_WORDS[dimension].capitalize()
        body.append(f'<rect x="{x:.1f}" y="12" width="12" height="12" fill="{COLOURS[dimension]}"/>')
        body.append(text(x + 18, 22, words, size=12))
        x += 18 + text_width(words, 12) + 22
    body.append(
        f'<line x1="{x:.1f}" y1="18" x2="{x + 18:.1f}" y2="18" stroke="{INK}" stroke-dasharray="4 3"/>'
        + text(x + 24, 22, "Equal share", size=12)
    )
    plot_bottom = height - 24
    for tick in range(0, 101, 25):
        tx = left + SCALE_W * tick / 100
        body.append(
            f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{plot_bottom:.1f}" stroke="{GRID}"/>'
        )
        body.append(text(tx, plot_bottom + 16, f"{tick}%", size=11, anchor="middle", fill=MUTED))
    equal = 1 / len(shares.partners)
    ex = left + SCALE_W * equal
    body.append(
        f'<line x1="{ex:.1f}" y1="{top - 6}" x2="{ex:.1f}" y2="{plot_bottom:.1f}" stroke="{INK}" '
        f'stroke-dasharray="4 3">{tooltip(f"Equal share: {share_text(equal)}")}</line>'
    )
    described = []
    for i, (partner, label) in enumerate(zip(shares.partners, labels, strict=True)):
        y0 = top + i * (group_h + GROUP_GAP)
        name = names.get(partner, partner)
        body.append(
            f"<g>{tooltip(name)}" + text(left - 8, y0 + group_h / 2 + 4, label, anchor="end") + "</g>"
        )
        parts = []
        for j, dimension in enumerate(DIMENSIONS):
            values = shares.dimension(dimension)
            y = y0 + j * (BAR_H + BAR_GAP)
            words = DIMENSION_WORDS[dimension]
            if values is None:
                body.append(text(left + 4, y + BAR_H - 3, f"{words}: not known yet", size=11, fill=MUTED))
                parts.append(f"{words} not known")
                continue
            w = SCALE_W * values[i]
            share = share_text(values[i])
            body.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(w, 1):.1f}" height="{BAR_H}" '
                f'fill="{COLOURS[dimension]}">{tooltip(f"{name}: {share} of the {words}")}</rect>'
            )
            body.append(text(left + max(w, 1) + 6, y + BAR_H - 3, share, size=11))
            parts.append(f"{words} {share}")
        described.append(f"{name}: {', '.join(parts)}")
    desc = f"Equal share {share_text(equal)}. " + "; ".join(described) + "."
    return svg("equity", width, height, "Shares of contribution, decision power and benefit", desc, body)
