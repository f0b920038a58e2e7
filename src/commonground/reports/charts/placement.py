"""Where to put the name of each point of a chart so that no two names overlap.

No font metrics are available (charts are plain SVG strings), so each name's box is estimated from
its length (``svg.text_width``, with a little padding). Names are placed greedily in the order given
(the caller puts first the names that matter most): each tries spots on the side of its point facing
away from the middle of the chart, then the other sides, then spots pushed further off, and takes the
first that stays inside the drawing and clear of every name already placed and of every circle. A
name that finds no free spot among all of them is left out (``Placement`` None): a name drawn over
another is read as neither, one drawn over a circle hides it, and the point keeps its full name in
its tooltip.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import product

from .svg import text_width

PAD = 2.0  # around the estimated text, so boxes that only touch still read apart
GAP = 4.0  # between a circle and its name
CELL = 48.0  # the grid cell of the overlap index
SIDE_PENALTY = 14.0  # how many pixels of pushing a less preferred side costs, per rank
SHIFTS = 9  # how many half-line steps a name may be pushed along its side, each way


@dataclass(frozen=True)
class Box:
    """An axis-aligned box, x0 ≤ x1 and y0 ≤ y1."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area (touching edges do not count)."""
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, bounds: Box) -> bool:
        """Whether this box lies wholly within ``bounds``."""
        return self.x0 >= bounds.x0 and self.y0 >= bounds.y0 and self.x1 <= bounds.x1 and self.y1 <= bounds.y1

    def distance_to(self, x: float, y: float) -> float:
        """How far the point is from the box (0 inside it)."""
        dx = max(self.x0 - x, 0.0, x - self.x1)
        dy = max(self.y0 - y, 0.0, y - self.y1)
        return math.hypot(dx, dy)

    def nearest(self, x: float, y: float) -> tuple[float, float]:
        """The point of the box nearest to (x, y)."""
        return min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1)


@dataclass(frozen=True)
class Point:
    """A labelled point: a circle at (x, y) of radius r, and the name to put beside it."""

    key: str
    x: float
    y: float
    r: float
    label: str


@dataclass(frozen=True)
class Placement:
    """Where a name goes: its text position and anchor, and the box it was kept clear by."""

    x: float
    y: float
    anchor: str
    box: Box


class _Occupied:
    """Boxes already taken, bucketed on a grid so a check looks only at its neighbours."""

    def __init__(self) -> None:
        self._cells: defaultdict[tuple[int, int], list[Box]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterator[tuple[int, int]]:
        for i in range(math.floor(box.x0 / CELL), math.floor(box.x1 / CELL) + 1):
            for j in range(math.floor(box.y0 / CELL), math.floor(box.y1 / CELL) + 1):
                yield i, j

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self._cells[key].append(box)

    def hits(self, box: Box) -> bool:
        return any(other.overlaps(box) for key in self._keys(box) for other in self._cells.get(key, ()))


def label_box(x: float, y: float, label: str, size: float, anchor: str) -> Box:
    """The estimated box of ``label`` drawn at (x, y) (baseline) with ``anchor``, padded."""
    width = text_width(label, size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    # A line of sans-serif text reaches about 0.95 size above its baseline and 0.25 size below.
    return Box(left - PAD, y - 0.95 * size - PAD, left + width + PAD, y + 0.25 * size + PAD)


def _at(x: float, y: float, anchor: str, label: str, size: float) -> Placement:
    return Placement(x, y, anchor, label_box(x, y, label, size, anchor))


def _candidates(point: Point, centre: tuple[float, float], size: float) -> list[tuple[float, Placement]]:
    """Every spot tried for the point's name, with its cost (cheapest is tried first)."""
    ux, uy = point.x - centre[0], point.y - centre[1]
    length = math.hypot(ux, uy)
    ux, uy = (ux / length, uy / length) if length > 1 else (1.0, 0.0)
    # (direction, anchor): right, left, below, above; preferred the more they face outwards.
    sides = [((1.0, 0.0), "start"), ((-1.0, 0.0), "end"), ((0.0, 1.0), "middle"), ((0.0, -1.0), "middle")]
    sides.sort(key=lambda side: -(side[0][0] * ux + side[0][1] * uy))
    line = 1.2 * size
    width = text_width(point.label, size)
    out: list[tuple[float, Placement]] = []
    for rank, ((dx, dy), anchor) in enumerate(sides):
        if dx:  # beside the circle, shifted up or down by half lines, or pushed further off
            for step, push in product(range(-SHIFTS, SHIFTS + 1), range(3)):
                x = point.x + dx * (point.r + GAP + push * line)
                y = point.y + 0.35 * size + step * line / 2
                moved = abs(step) * line / 2 + push * line
                out.append((rank * SIDE_PENALTY + moved, _at(x, y, anchor, point.label, size)))
        else:  # above or below it, shifted sideways by eighths of the name: it stays over its circle
            for step, push in product(range(-3, 4), range(SHIFTS // 2 + 1)):
                x = point.x + step * width / 8
                reach = point.r + GAP + push * line
                y = point.y + reach + 0.95 * size if dy > 0 else point.y - reach - 0.25 * size
                moved = abs(step) * width / 8 + push * line
                out.append((rank * SIDE_PENALTY + moved, _at(x, y, anchor, point.label, size)))
    out.sort(key=lambda item: item[0])
    return out


def place_labels(points: Sequence[Point], bounds: Box, size: float) -> dict[str, Placement | None]:
    """Each point's name placement by key, in the order of ``points``, None where no spot is free."""
    if not points:
        return {}
    centre = (sum(p.x for p in points) / len(points), sum(p.y for p in points) / len(points))
    circles = [Box(p.x - p.r, p.y - p.r, p.x + p.r, p.y + p.r) for p in points]

    names, dots = _Occupied(), _Occupied()
    for circle in circles:
        dots.add(circle)
    placed: dict[str, Placement | None] = {}
    for point in points:
        spots = [spot for _, spot in _candidates(point, centre, size) if spot.box.inside(bounds)]
        chosen = next((s for s in spots if not names.hits(s.box) and not dots.hits(s.box)), None)
        if chosen is not None:
            names.add(chosen.box)
        placed[point.key] = chosen
    return placed
