"""Two 2×2 grids on 1–5 scales: Mendelow's power–interest grid and the shared-value matrix."""

from __future__ import annotations

import math
from collections.abc import Sequence

from commonground.core.results import InitiativeView, StakeholderView

from ..labels import truncate
from ..numbers import decimal_text
from .svg import (
    INK,
    MUTED,
    esc,
    no_data,
    party_colour,
    svg,
    text,
    text_width,
    tooltip,
)

PLOT = 440
LEFT = 70
TOP = 40
LABEL_CHARS = 24
# Points on the same spot are spread on a small ring so each stays visible and hoverable.
NUDGE = 11.0


def _pos(value: float, *, vertical: bool) -> float:
    # 1–5 mapped onto 0.5–5.5 so points on the scale ends do not sit on the frame.
    frac = (min(max(value, 1.0), 5.0) - 0.5) / 5.0
    return TOP + PLOT - frac * PLOT if vertical else LEFT + frac * PLOT


def _spread(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Nudge coincident points apart, keeping input order deterministic."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(points):
        groups.setdefault((round(x / 4), round(y / 4)), []).append(i)
    out = list(points)
    for members in groups.values():
        if len(members) < 2:
            continue
        # A wider ring for a bigger group, so the markers (about 13 px across) do not cover each other.
        radius = max(NUDGE, 14 * len(members) / (2 * math.pi))
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members) - math.pi / 2
            x, y = points[i]
            out[i] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    return out


def _title_y(corner_y: float) -> float:
    # Top titles under the top edge, bottom titles above the bottom edge: away from the middle line,
    # where every point rated 3 sits.
    return corner_y + 20 if corner_y == TOP else corner_y + PLOT / 2 - 10


def _frame(quadrants: tuple[str, str, str, str], x_label: str, y_label: str) -> list[str]:
    """Plot frame with tinted quadrants (top-left, top-right, bottom-left, bottom-right)."""
    half = PLOT / 2
    tints = ("#f3f6fa", "#e3ecf7", "#fafafa", "#f3f6fa")
    corners = ((LEFT, TOP), (LEFT + half, TOP), (LEFT, TOP + half), (LEFT + half, TOP + half))
    out: list[str] = []
    for (x, y), tint in zip(corners, tints, strict=True):
        out.append(f'<rect x="{x}" y="{y}" width="{half}" height="{half}" fill="{tint}"/>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{PLOT}" height="{PLOT}" fill="none" stroke="{MUTED}"/>')
    out.append(
        f'<line x1="{LEFT + half}" y1="{TOP}" x2="{LEFT + half}" y2="{TOP + PLOT}" stroke="{MUTED}" '
        f'stroke-dasharray="4 3"/>'
        f'<line x1="{LEFT}" y1="{TOP + half}" x2="{LEFT + PLOT}" y2="{TOP + half}" stroke="{MUTED}" '
        f'stroke-dasharray="4 3"/>'
    )
    for (x, y), label in zip(corners, quadrants, strict=True):
        out.append(
            text(
                x + half / 2, _title_y(y), label.upper(), size=11, anchor="middle", fill=MUTED, weight="bold"
            )
        )
    for v in range(1, 6):
        x = _pos(v, vertical=False)
        out.append(text(x, TOP + PLOT + 16, str(v), size=11, anchor="middle", fill=MUTED))
        out.append(text(LEFT - 8, _pos(v, vertical=True) + 4, str(v), size=11, anchor="end", fill=MUTED))
    out.append(text(LEFT + half, TOP + PLOT + 36, x_label, size=12, anchor="middle"))
    cy = TOP + half
    out.append(text(24, cy, y_label, size=12, anchor="middle", extra=f'transform="rotate(-90 24 {cy})"'))
    return out


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _title_boxes(quadrants: tuple[str, str, str, str]) -> list[Box]:
    """Where ``_frame`` writes the quadrant titles, so no label is placed over them."""
    half = PLOT / 2
    corners = ((LEFT, TOP), (LEFT + half, TOP), (LEFT, TOP + half), (LEFT + half, TOP + half))
    boxes: list[Box] = []
    for (x, y), label in zip(corners, quadrants, strict=True):
        w = text_width(label.upper(), 11) * 1.1  # bold
        cx = x + half / 2
        boxes.append((cx - w / 2, _title_y(y) - 11, cx + w / 2, _title_y(y) + 3))
    return boxes


class _Labels:
    """Greedy label placement: right of the point, then left, then stepping up and down; never
    over a marker, a quadrant title or another label (a label that fits nowhere is not placed)."""

    def __init__(self, reserved: Sequence[Box] = (), *, right: float = LEFT + PLOT - 2) -> None:
        self.boxes: list[Box] = list(reserved)
        self.right = right  # labels may run past the frame on the right, where nothing else is drawn

    @property
    def rightmost(self) -> float:
        """The right edge of the widest placed label (or reserved box)."""
        return max((box[2] for box in self.boxes), default=0.0)

    def _candidates(self, x: float, y: float, first_dy: float) -> list[tuple[float, float, str]]:
        candidates: list[tuple[float, float, str]] = []
        for dy in (first_dy, 0.0, -13.0, 13.0, -26.0, 26.0, -39.0, 39.0):
            candidates.append((x + 9, y + 4 + dy, "start"))
            candidates.append((x - 9, y + 4 + dy, "end"))
        return candidates

    @staticmethod
    def _box(tx: float, ty: float, anchor: str, w: float, size: float) -> Box:
        x0 = tx if anchor == "start" else tx - w
        return (x0, ty - size, x0 + w, ty + 2)

    def place(
        self, x: float, y: float, label: str, size: float = 11, *, first_dy: float = 0.0, max_dy: float = 39.0
    ) -> tuple[float, float, str] | None:
        """Where to write ``label`` next to the point (x, y), at most ``max_dy`` above or below it, or
        None when it fits nowhere."""
        w = text_width(label, size)
        for tx, ty, anchor in self._candidates(x, y, first_dy):
            if abs(ty - (y + 4)) > max_dy:
                continue
            box = self._box(tx, ty, anchor, w, size)
            inside = box[0] >= LEFT + 2 and box[2] <= self.right and box[1] >= TOP + 2
            inside = inside and box[3] <= TOP + PLOT - 2
            if inside and not any(_overlap(box, other) for other in self.boxes):
                self.boxes.append(box)
                return tx, ty, anchor
        return None

    def force(
        self, x: float, y: float, label: str, size: float = 11, *, first_dy: float = 0.0
    ) -> tuple[float, float, str]:
        """Like ``place``, but when nothing is free use the first position anyway."""
        spot = self.place(x, y, label, size, first_dy=first_dy)
        if spot is not None:
            return spot
        tx, ty, anchor = self._candidates(x, y, first_dy)[0]
        self.boxes.append(self._box(tx, ty, anchor, text_width(label, size), size))
        return tx, ty, anchor


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _party_order(parties: list[str] | None, found: list[str]) -> list[str]:
    order = list(parties or [])
    for party in found:
        if party not in order:
            order.append(party)
    return order


def power_interest_grid(stakeholders: list[StakeholderView], parties: list[str] | None = None) -> str:
    """Mendelow's power–interest grid with every stakeholder plotted and labelled.

    A name goes beside its marker (right, else left, else a line or more up or down with a thin
    leader line back to the marker), never over a marker, a quadrant title or another name. Where
    the grid is too crowded for a name, the marker gets a number and the name is listed below.
    """
    if not stakeholders:
        return no_data("power-interest", "Stakeholders: power and interest", "No stakeholders named")
    order = _party_order(parties, [p for s in stakeholders for p in s.parties])
    quadrants = ("Keep satisfied", "Manage closely", "Monitor", "Keep informed")
    body = _frame(quadrants, "Interest in the partnership (1–5)", "Power over the partnership (1–5)")
    raw = [(_pos(s.interest, vertical=False), _pos(s.power, vertical=True)) for s in stakeholders]
    points = _spread(raw)
    # Reserve every marker (with a small margin) first so no label is placed over a later point.
    labels = _Labels(
        [*_title_boxes(quadrants), *((x - 7, y - 7, x + 7, y + 7) for x, y in points)],
        right=LEFT + PLOT + 170,
    )
    numbered: list[tuple[int, str]] = []  # (number, full name) of markers too crowded for a name
    for (x, y), st in zip(points, stakeholders, strict=True):
        shared = len(st.parties) > 1
        fill = INK if shared or not st.parties else party_colour(order.index(st.parties[0]))
        stances = "; ".join(f"{p}: {v}" for p, v in sorted(st.stances.items()))
        tip = (
            f"{st.name} — power {decimal_text(st.power)}, interest {decimal_text(st.interest)}; "
            f"{st.quadrant.replace('_', ' ')}: {st.strategy}; {st.salience_class.replace('_', ' ')} "
            f"(salience {st.salience}); named by {', '.join(st.parties) or 'nobody'}"
            + (f"; stances: {stances}" if stances else "")
        )
        label = truncate(st.name, LABEL_CHARS)
        # A name only beside its marker or one line off; further away a number reads better.
        spot = labels.place(x, y, label, max_dy=13.0)
        weight = "normal"
        if spot is None:
            numbered.append((len(numbered) + 1, st.name))
            label, weight = str(len(numbered)), "bold"
            spot = labels.force(x, y, label)
        tx, ty, anchor = spot
        leader = ""
        if abs(ty - (y + 4)) > 1:  # moved off the marker's line: join name and marker
            end_x = tx - 2 if anchor == "start" else tx + 2
            leader = (
                f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{end_x:.1f}" y2="{ty - 4:.1f}" stroke="{MUTED}" '
                f'stroke-width="0.8"/>'
            )
        body.append(
            f'<g class="stakeholder" data-quadrant="{esc(st.quadrant)}">{tooltip(tip)}{leader}'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{fill}" stroke="#ffffff" stroke-width="1.5"/>'
            + text(tx, ty, label, size=11, anchor=anchor, weight=weight)
            + "</g>"
        )
    legend_y = TOP + PLOT + 60
    keys = [(party_colour(i), p) for i, p in enumerate(order)] + [(INK, "named by several partners")]
    x = 16.0
    for colour, name in keys:
        label = truncate(name, 32)
        body.append(
            f'<circle cx="{x + 6}" cy="{legend_y - 4}" r="6" fill="{colour}"/>'
            + text(x + 16, legend_y, label, size=11, fill=MUTED)
        )
        x += 16 + text_width(label, 11) + 20
    width = max(LEFT + PLOT + 24, x, labels.rightmost + 8)
    y = legend_y
    for number, name in numbered:
        y += 18
        body.append(text(16, y, f"{number}. {truncate(name, 70)}", size=12))
    desc = f"{len(stakeholders)} stakeholders placed by power and interest: " + "; ".join(
        f"{s.name} ({s.quadrant.replace('_', ' ')})" for s in stakeholders
    )
    return svg("power-interest", width, y + 14, "Stakeholders: power and interest", desc, body)


MARKERS = ("circle", "square", "triangle", "diamond")


def _marker(shape: str, x: float, y: float, fill: str) -> str:
    stroke = 'stroke="#ffffff" stroke-width="1.5"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{fill}" {stroke}/>'
    if shape == "square":
        return f'<rect x="{x - 6.5:.1f}" y="{y - 6.5:.1f}" width="13" height="13" fill="{fill}" {stroke}/>'
    if shape == "triangle":
        pts = f"{x:.1f},{y - 8:.1f} {x + 8:.1f},{y + 6:.1f} {x - 8:.1f},{y + 6:.1f}"
        return f'<polygon points="{pts}" fill="{fill}" {stroke}/>'
    pts = f"{x:.1f},{y - 8:.1f} {x + 8:.1f},{y:.1f} {x:.1f},{y + 8:.1f} {x - 8:.1f},{y:.1f}"
    return f'<polygon points="{pts}" fill="{fill}" {stroke}/>'


def shared_value_matrix(initiatives: list[InitiativeView], parties: list[str]) -> str:
    """Social × economic value 2×2 with one numbered marker per initiative per partner."""
    if not initiatives:
        return no_data("shared-value", "Shared value of joint initiatives", "No joint initiatives proposed")
    order = _party_order(parties, [p for ini in initiatives for p in ini.economic_value])
    quadrants = ("Social value only", "Shared value", "Low value", "Economic value only")
    body = _frame(quadrants, "Economic value to the partner (1–5)", "Social value (1–5)")
    entries: list[tuple[int, int, str]] = []  # (initiative index, party index, party)
    raw: list[tuple[float, float]] = []
    for i, ini in enumerate(initiatives):
        for p, party in enumerate(order):
            if party in ini.economic_value:
                entries.append((i, p, party))
                raw.append(
                    (_pos(ini.economic_value[party], vertical=False), _pos(ini.social_value, vertical=True))
                )
    points = _spread(raw)
    # A faint line joins one initiative's markers: a long line means a one-sided deal.
    for i in range(len(initiatives)):
        mine = [pt for pt, (ii, _, _) in zip(points, entries, strict=True) if ii == i]
        if len(mine) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in mine)
            body.append(f'<polyline points="{path}" fill="none" stroke="{MUTED}" stroke-width="1.2"/>')
    labels = _Labels([*_title_boxes(quadrants), *((x - 7, y - 7, x + 7, y + 7) for x, y in points)])
    for (x, y), (i, p, party) in zip(points, entries, strict=True):
        ini = initiatives[i]
        tip = (
            f"{i + 1}. {ini.name} — for {party}: social value {ini.social_value}, economic value "
            f"{ini.economic_value[party]} ({ini.quadrant.get(party, '').replace('_', ' ')})"
            + ("; one-sided" if ini.one_sided else "")
        )
        # Above the marker first: the joining line runs through the marker's sides.
        tx, ty, anchor = labels.force(x, y, str(i + 1), first_dy=-11.0)
        body.append(
            f'<g class="initiative">{tooltip(tip)}{_marker(MARKERS[p % len(MARKERS)], x, y, party_colour(p))}'
            + text(tx, ty, str(i + 1), size=11, anchor=anchor, weight="bold")
            + "</g>"
        )
    y = TOP + PLOT + 60
    x = 16.0
    for p, party in enumerate(order):
        label = truncate(party, 32)
        body.append(_marker(MARKERS[p % len(MARKERS)], x + 7, y - 4, party_colour(p)))
        body.append(text(x + 18, y, label, size=11, fill=MUTED))
        x += 18 + text_width(label, 11) + 22
    width = max(LEFT + PLOT + 24, x)
    y += 8
    for i, ini in enumerate(initiatives):
        y += 18
        flag = " (one-sided)" if ini.one_sided else ""
        body.append(text(16, y, f"{i + 1}. {truncate(ini.name, 70)}{flag}", size=12))
    desc = "Joint initiatives by social value and each partner's economic value: " + "; ".join(
        ini.name + " (" + ", ".join(p + ": " + q.replace("_", " ") for p, q in ini.quadrant.items()) + ")"
        for ini in initiatives
    )
    return svg("shared-value", width, y + 14, "Shared value of joint initiatives", desc, body)
