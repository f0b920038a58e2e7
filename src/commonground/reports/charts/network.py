"""A coalition's network as a picture: who works with whom, coloured by trust or value.

Organisations are circles, sized by how many ties they have and filled by the trust (or value)
score the others give them, on a four-class purple–orange scale that stays distinguishable under
the common colour-vision deficiencies; an organisation nobody rated is grey. A tie's width is its
working level (1–4). A single point of failure gets a thick dashed ring (a shape, not a colour, so
it reads in black and white); organisations with no tie at all are set in a row below the network.

The layout is networkx's spring layout with a fixed seed on the organisations in survey order, so
the same survey always gives the same picture. Names are placed by ``placement.place_labels`` on
the outer side of their circle, nudged so no two overlap and none covers a circle, on a pale box so
ties do not strike them through; a long name is shortened with "…" and its full name is the label's
tooltip. When a crowded plot has no room left for a name, it is left off and the picture says how
many (single points of failure and the best-connected organisations are named first). Every circle
and line has a tooltip; the text and HTML reports give the same figures as tables.
"""

from __future__ import annotations

import math
from typing import Literal

import networkx as nx

from commonground.core.network.edges import other_sides
from commonground.core.network.results import OrganisationFigures, RoundAnalysis
from commonground.core.wording import counted

from ..labels import truncate
from .placement import Box, Placement, Point, label_box, place_labels
from .svg import GRID, INK, MUTED, NULL_FILL, no_data, svg, text, text_width, tooltip

Colouring = Literal["trust", "value"]

WIDTH = 820
PLOT_TOP, PLOT_HEIGHT = 16, 600
MARGIN_X = 120  # room for the names of organisations on the edges of the plot
ISOLATE_ROW = 34
LEGEND_HEIGHT = 64
SEED = 7
LABEL_SIZE = 10
LABEL_CHARS = 30  # longer names end in "…" on the picture; the full name is the label's tooltip
LEADER_AFTER = 5  # a name further than this from its circle gets a line back to it

# Five classes of a 1–4 score, weakest to strongest: ColorBrewer's 5-class PuOr, which stays
# distinguishable under deuteranopia and protanopia (the same family as svg.DIVERGING). Most
# ratings fall between 2.5 and 3.5, so the classes are half a point wide there.
CLASSES: tuple[tuple[float, str, str], ...] = (
    (2.0, "#e66101", "under 2 weak"),
    (2.5, "#fdb863", "2–2.5"),
    (3.0, "#f7f7f7", "2.5–3"),
    (3.5, "#b2abd2", "3–3.5"),
    (math.inf, "#5e3c99", "3.5–4 strong"),
)
SPOF_RING = INK


def score_fill(score: float | None) -> str:
    """The fill for a 1–4 score: its class's colour, grey when there is no score."""
    if score is None:
        return NULL_FILL
    for upper, colour, _ in CLASSES:
        if score < upper:
            return colour
    return CLASSES[-1][1]


def _positions(analysis: RoundAnalysis) -> dict[str, tuple[float, float]]:
    """Screen positions of the organisations that have ties, scaled into the plot."""
    graph = nx.Graph()
    graph.add_nodes_from(o.id for o in analysis.organisations if not o.isolate)
    graph.add_edges_from((t.a, t.b) for t in analysis.ties)
    if graph.number_of_nodes() == 0:
        return {}
    # k a little above networkx's 1/√n spreads hubs' neighbours so their names can be read.
    k = 2.4 / math.sqrt(graph.number_of_nodes())
    layout = nx.spring_layout(graph, seed=SEED, k=k, iterations=200)
    xs = [float(p[0]) for p in layout.values()]
    ys = [float(p[1]) for p in layout.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    plot_w = WIDTH - 2 * MARGIN_X
    return {
        str(node): (
            MARGIN_X + plot_w * ((float(p[0]) - min(xs)) / span_x if len(xs) > 1 else 0.5),
            PLOT_TOP + 20 + (PLOT_HEIGHT - 40) * ((float(p[1]) - min(ys)) / span_y if len(ys) > 1 else 0.5),
        )
        for node, p in layout.items()
    }


def _radius(figures: OrganisationFigures) -> float:
    return 5 + 1.6 * math.sqrt(figures.degree)


def _reach(figures: OrganisationFigures) -> float:
    """How far the circle's drawing reaches from its centre, the dashed ring included."""
    return _radius(figures) + (4 if figures.single_point_of_failure else 0)


def _describe(figures: OrganisationFigures, colour: Colouring) -> str:
    score = figures.trust if colour == "trust" else figures.value
    words = [
        figures.name,
        f"{figures.degree} tie(s)",
        f"{colour} {score:.2f} from {figures.rated_by} rating(s)"
        if score is not None
        else f"no {colour} rating",
    ]
    if figures.single_point_of_failure:
        words.append("single point of failure: the network splits without it")
    if not figures.responded:
        words.append("did not answer this round")
    return "; ".join(words)


def _node(figures: OrganisationFigures, x: float, y: float, colour: Colouring) -> list[str]:
    r = _radius(figures)
    score = figures.trust if colour == "trust" else figures.value
    out = [f'<g class="cg-node">{tooltip(_describe(figures, colour))}']
    if figures.single_point_of_failure:
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + 4:.1f}" fill="none" stroke="{SPOF_RING}" '
            f'stroke-width="2.5" stroke-dasharray="4 2"/>'
        )
    out.append(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{score_fill(score)}" stroke="{INK}" '
        f'stroke-width="0.8"/>'
    )
    out.append("</g>")
    return out


def _label(name: str, short: str, spot: Placement, node: Point) -> list[str]:
    """A name on a pale box that keeps the ties under it from striking it through; the full name
    is its tooltip. A name pushed away from its circle gets a thin line back to it."""
    box = spot.box
    out = [f'<g class="cg-label">{tooltip(name)}']
    if box.distance_to(node.x, node.y) > node.r + LEADER_AFTER:
        to_x, to_y = box.nearest(node.x, node.y)
        angle = math.atan2(to_y - node.y, to_x - node.x)
        from_x, from_y = node.x + node.r * math.cos(angle), node.y + node.r * math.sin(angle)
        out.append(
            f'<line x1="{from_x:.1f}" y1="{from_y:.1f}" '
            f'x2="{to_x:.1f}" y2="{to_y:.1f}" stroke="{MUTED}" stroke-width="0.6"/>'
        )
    out.append(
        f'<rect x="{box.x0:.1f}" y="{box.y0:.1f}" width="{box.x1 - box.x0:.1f}" '
        f'height="{box.y1 - box.y0:.1f}" rx="2" fill="#ffffff" fill-opacity="0.8"/>'
    )
    out.append(text(spot.x, spot.y, short, size=LABEL_SIZE, anchor=spot.anchor))
    out.append("</g>")
    return out


def _legend(top: float, colour: Colouring) -> list[str]:
    body = [text(MARGIN_X - 100, top + 14, f"{colour.capitalize()} score (others' ratings):", size=11)]
    x = float(MARGIN_X + 110)
    for fill, label in [*((c[1], c[2]) for c in CLASSES), (NULL_FILL, "not rated")]:
        body.append(
            f'<circle cx="{x:.1f}" cy="{top + 10:.1f}" r="6" fill="{fill}" stroke="{INK}" '
            'stroke-width="0.8"/>'
        )
        body.append(text(x + 10, top + 14, label, size=10, fill=MUTED))
        x += 24 + text_width(label, 10)
    second = top + 38
    body.append(
        f'<circle cx="{MARGIN_X - 92:.1f}" cy="{second - 4:.1f}" r="8" fill="none" stroke="{SPOF_RING}" '
        f'stroke-width="2.5" stroke-dasharray="4 2"/>'
    )
    body.append(text(MARGIN_X - 78, second, "single point of failure", size=10, fill=MUTED))
    for i, level in enumerate((1, 2, 3, 4)):
        x0 = MARGIN_X + 110 + i * 70
        body.append(
            f'<line x1="{x0}" y1="{second - 4}" x2="{x0 + 24}" y2="{second - 4}" stroke="{MUTED}" '
            f'stroke-width="{_edge_width(level):.1f}"/>'
        )
        body.append(text(x0 + 28, second, f"level {level}", size=10, fill=MUTED))
    body.append(text(MARGIN_X + 400, second, "circle size: number of ties", size=10, fill=MUTED))
    return body


def _edge_width(level: float) -> float:
    return 0.8 + (level - 1) * 1.3


def _other_side(said: tuple[str, str], names: dict[str, str]) -> str:
    """What the side that does not report a tie said about it, for the tie's tooltip."""
    other, answer = said
    if answer == "no tie":
        return f" ({names[other]} says they do not work together)"
    return f" ({names[other]} did not answer about it)"


def network_chart(analysis: RoundAnalysis, colour: Colouring = "trust") -> str:
    """The round's network as an accessible, self-contained SVG, filled by ``colour`` scores."""
    title = f"{analysis.coalition}: network, round {analysis.label}"
    if not analysis.organisations:
        return no_data("network", title, "No organisations in this survey")
    where = _positions(analysis)
    isolates = [o for o in analysis.organisations if o.isolate]
    rows = math.ceil(len(isolates) / 4)
    height = PLOT_TOP + PLOT_HEIGHT + (ISOLATE_ROW * rows + 24 if isolates else 0) + LEGEND_HEIGHT
    body: list[str] = []
    names = analysis.names
    said = other_sides(analysis)
    for tie in analysis.ties:
        (x1, y1), (x2, y2) = where[tie.a], where[tie.b]
        words = f"{names[tie.a]} – {names[tie.b]}: level {tie.level:.1f}, " + (
            "reported by both"
            if len(tie.reported_by) == 2
            else f"reported by {names[tie.reported_by[0]]} only" + _other_side(said[(tie.a, tie.b)], names)
        )
        body.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{MUTED}" '
            f'stroke-opacity="0.55" stroke-width="{_edge_width(tie.level):.1f}">{tooltip(words)}</line>'
        )
    # Names are placed in this order until the plot is full: single points of failure, then the
    # organisations with the most ties, the ones a reader looks for first.
    ranked = sorted(
        (o for o in analysis.organisations if not o.isolate),
        key=lambda o: (not o.single_point_of_failure, -o.degree),
    )
    points = [Point(o.id, *where[o.id], _reach(o), truncate(o.name, LABEL_CHARS)) for o in ranked]
    for figures in analysis.organisations:
        if not figures.isolate:
            body += _node(figures, *where[figures.id], colour)
    # Names after every circle and tie, so that none is drawn over a name.
    plot = Box(2, PLOT_TOP - 12, WIDTH - 2, PLOT_TOP + PLOT_HEIGHT - 2)
    spots = place_labels(points, plot, LABEL_SIZE)
    for point in points:
        spot = spots[point.key]
        if spot is not None:
            body += _label(names[point.key], point.label, spot, point)
    left_out = sum(spot is None for spot in spots.values())
    top = PLOT_TOP + PLOT_HEIGHT
    if left_out:
        body.append(
            text(
                WIDTH - 20,
                top - 4,
                f"{left_out} name(s) without room: hover a circle",
                size=10,
                fill=MUTED,
                anchor="end",
            )
        )
    if isolates:
        body.append(f'<line x1="20" y1="{top:.1f}" x2="{WIDTH - 20}" y2="{top:.1f}" stroke="{GRID}"/>')
        body.append(text(20, top + 16, "No ties this round:", size=11, fill=MUTED))
        for i, figures in enumerate(isolates):
            x = 40 + (i % 4) * ((WIDTH - 60) / 4)
            y = top + 16 + ISOLATE_ROW * (i // 4 + 1) - 8
            body += _node(figures, x, y, colour)
            # In a row of four, a name fits beside its circle: at most LABEL_CHARS, under a quarter.
            point = Point(figures.id, x, y, _reach(figures), truncate(figures.name, LABEL_CHARS))
            at = (x + point.r + 4, y + 0.35 * LABEL_SIZE)
            spot = Placement(*at, "start", label_box(*at, point.label, LABEL_SIZE, "start"))
            body += _label(figures.name, point.label, spot, point)
        top += ISOLATE_ROW * rows + 24
    body += _legend(top + 8, colour)
    spof = ", ".join(names[o] for o in analysis.single_points_of_failure) or "none"
    desc = (
        f"{counted(len(analysis.organisations), 'organisation')} and {counted(len(analysis.ties), 'tie')}, "
        f"coloured by the {colour} score others give each one; density {analysis.density:.2f}; "
        f"single points of failure: {spof}; {counted(len(isolates), 'organisation')} without ties."
        + (
            f" {counted(left_out, 'name')} {'is' if left_out == 1 else 'are'} left off the picture for "
            "want of room."
            if left_out
            else ""
        )
    )
    return svg("network", WIDTH, height, title, desc, body)
