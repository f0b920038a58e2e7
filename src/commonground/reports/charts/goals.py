"""The goal heat map: each partner's goals against the other's on the −3…+3 interaction scale."""

from __future__ import annotations

from commonground.core.results import INTERACTION_LABELS, GoalMatrix, GoalRef

from ..labels import truncate
from .svg import (
    DIVERGING,
    GRID,
    MUTED,
    NULL_FILL,
    no_data,
    party_colour,
    score_class,
    signed,
    svg,
    text,
    text_on,
    text_width,
    tooltip,
)

CELL = 44
LABEL_CHARS = 36
FONT_SIZE = 12
# sin(45°): column labels are rotated so long goals do not force very wide cells.
_DIAG = 0.7071


def _parties(refs: list[GoalRef]) -> list[str]:
    seen: list[str] = []
    for ref in refs:
        if ref.party not in seen:
            seen.append(ref.party)
    return seen


def goal_heatmap(matrix: GoalMatrix) -> str:
    """Goals × goals heat map; cells coloured and labelled with the −3…+3 score, null cells grey."""
    if not matrix.rows or not matrix.columns:
        return _empty()
    parties = _parties(matrix.rows + matrix.columns)
    colour = {party: party_colour(i) for i, party in enumerate(parties)}

    row_labels = [truncate(r.text, LABEL_CHARS) for r in matrix.rows]
    col_labels = [truncate(c.text, LABEL_CHARS) for c in matrix.columns]
    left = max(16 + max(text_width(s, FONT_SIZE) for s in row_labels) + 14, 200)
    col_extent = max(text_width(s, FONT_SIZE) for s in col_labels) * _DIAG
    top = 24 + col_extent + 12
    grid_w = CELL * len(matrix.columns)
    grid_h = CELL * len(matrix.rows)
    width = max(left + grid_w + col_extent + 16, 7 * 86 + 32)

    body: list[str] = []
    # The key sits in the empty corner above the row labels, clear of the rotated column labels.
    if len(_parties(matrix.rows)) == 1 and len(_parties(matrix.columns)) == 1:
        keys = [
            (matrix.rows[0].party, f"Rows: {matrix.rows[0].party}’s goals"),
            (matrix.columns[0].party, f"Columns: {matrix.columns[0].party}’s goals"),
        ]
    else:
        keys = [(party, party) for party in parties]
    top = max(top, 20 + len(keys) * 18 + 16)
    for k, (party, caption) in enumerate(keys):
        y: float = 20 + k * 18
        # The first column label rises at 45° from the grid's top-left corner; stop short of it.
        room_px = left + CELL / 2 + (top - 14 - y) - 12 - 32
        room = max(int(room_px / (FONT_SIZE * 0.56)), 8)
        body.append(
            f"<g>{tooltip(caption)}"
            f'<rect x="16" y="{y - 10}" width="10" height="10" fill="{colour[party]}"/>'
            + text(32, y, truncate(caption, room), size=12, fill=MUTED)
            + "</g>"
        )
    for i, (ref, label) in enumerate(zip(matrix.rows, row_labels, strict=True)):
        y = top + i * CELL
        body.append(
            f"<g>{tooltip(f'{ref.party}: {ref.text} (priority {ref.priority})')}"
            f'<rect x="{left - 8:.1f}" y="{y + 4}" width="4" height="{CELL - 8}" fill="{colour[ref.party]}"/>'
            + text(left - 14, y + CELL / 2 + 4, label, size=FONT_SIZE, anchor="end")
            + "</g>"
        )
    for j, (ref, label) in enumerate(zip(matrix.columns, col_labels, strict=True)):
        x = left + j * CELL + CELL / 2
        body.append(
            f"<g>{tooltip(f'{ref.party}: {ref.text} (priority {ref.priority})')}"
            f'<rect x="{x - CELL / 2 + 4:.1f}" y="{top - 8:.1f}" width="{CELL - 8}" height="4" '
            f'fill="{colour[ref.party]}"/>'
            + text(
                x,
                top - 14,
                label,
                size=FONT_SIZE,
                extra=f'transform="rotate(-45 {x:.1f} {top - 14:.1f})"',
            )
            + "</g>"
        )

    counts = {"synergy": 0, "neutral": 0, "tension": 0}
    for i, row in enumerate(matrix.cells):
        for j, cell in enumerate(row):
            x = left + j * CELL
            y = top + i * CELL
            pair = f"{matrix.rows[i].text} × {matrix.columns[j].text}"
            if cell is None:
                body.append(
                    f'<g class="cell cell-null">{tooltip(pair + ": same partner, not compared")}'
                    f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{NULL_FILL}" '
                    f'stroke="#ffffff" stroke-width="2"/></g>'
                )
                continue
            counts[cell.relation] += 1
            fill = DIVERGING[cell.score]
            tip = f"{pair}: {signed(cell.score)} {cell.label} ({cell.relation}). {cell.reason}"
            body.append(
                f'<g class="cell {score_class(cell.score)}" data-score="{cell.score}">{tooltip(tip)}'
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" '
                f'stroke="#ffffff" stroke-width="2"/>'
                + text(
                    x + CELL / 2,
                    y + CELL / 2 + 5,
                    signed(cell.score),
                    size=14,
                    anchor="middle",
                    fill=text_on(fill),
                    weight="bold",
                )
                + "</g>"
            )

    body.append(
        f'<rect x="{left}" y="{top}" width="{grid_w}" height="{grid_h}" fill="none" stroke="{GRID}"/>'
    )
    legend_y = top + grid_h + 28
    body.extend(_legend(16, legend_y))
    height = legend_y + 54

    desc = (
        f"{len(matrix.rows)} by {len(matrix.columns)} goals: {counts['synergy']} synergies, "
        f"{counts['neutral']} neutral pairs and {counts['tension']} tensions, "
        "scored from −3 (cancelling) to +3 (indivisible)."
    )
    return svg("goal-heatmap", width, height, "Goal interactions", desc, body)


def _legend(x0: float, y: float) -> list[str]:
    out = [text(x0, y - 6, "Interaction (Nilsson, Griggs & Visbeck 2016)", size=11, fill=MUTED)]
    for k, score in enumerate(range(-3, 4)):
        x = x0 + k * 86
        fill = DIVERGING[score]
        out.append(
            f'<rect x="{x}" y="{y}" width="80" height="20" fill="{fill}" stroke="{GRID}"/>'
            + text(x + 40, y + 14, signed(score), size=11, anchor="middle", fill=text_on(fill))
            + text(x + 40, y + 34, INTERACTION_LABELS[score], size=10, anchor="middle", fill=MUTED)
        )
    return out


def _empty() -> str:
    return no_data("goal-heatmap", "Goal interactions", "No goals to compare")
