"""Renderers of a network analysis: text for the terminal, JSON (the contract), one HTML page, the SVG,
and the HTML page as a PDF.

Each reads a :class:`~commonground.core.network.results.RoundAnalysis` (and a
:class:`~commonground.core.network.results.RoundChange` when two rounds are compared). The text and
HTML forms show the same tables, built once by :func:`network_tables`, so the workspace can render
them too. The HTML page inlines its stylesheet and the picture (``charts/network.py``), has no
scripts and no links out, and escapes every name.

How to add a format: write ``render_network_<name>(analysis, change, colour) -> str`` and add it to
:data:`NETWORK_FORMATS`; the CLI's ``--format`` choices are checked against that mapping. The PDF
is bytes, not text, so it is its own function (:func:`render_network_pdf`), like the board summary.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from commonground.core.network.results import RoundAnalysis, RoundChange, analysis_json
from commonground.core.network.survey import DIMENSION_LABELS
from commonground.core.wording import counted

from .board import pdf_from_html
from .charts.network import Colouring, network_chart
from .charts.svg import esc
from .html import CSS
from .numbers import MISSING, percent_text


@dataclasses.dataclass(frozen=True)
class NetworkTable:
    """One table of the report: a title, a sentence saying how to read it, a head and rows of text."""

    title: str
    note: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def figure(value: float | None) -> str:
    """A figure with two decimals, or a dash when there is none."""
    return MISSING if value is None else f"{value:.2f}"


def change_text(value: float | None) -> str:
    """A change with its sign and two decimals (a true minus sign), or a dash."""
    if value is None:
        return MISSING
    if round(value, 2) == 0:
        return "0.00"
    return f"+{value:.2f}" if value > 0 else f"\u2212{-value:.2f}"


def _names(analysis: RoundAnalysis, ids: Sequence[str]) -> str:
    return ", ".join(analysis.names[i] for i in ids) or "none"


def headline(analysis: RoundAnalysis) -> str:
    """One line naming the coalition, the round and its size."""
    answered = sum(o.responded for o in analysis.organisations)
    return (
        f"{analysis.coalition}: network survey, round {analysis.label} ({analysis.date.isoformat()}); "
        f"{counted(len(analysis.organisations), 'organisation')} ({answered} answered), "
        f"{counted(len(analysis.ties), 'tie')}"
    )


def weak_points(analysis: RoundAnalysis) -> list[tuple[str, str]]:
    """The structural findings in words: single points of failure, bridges, organisations without ties."""
    names = analysis.names
    bridges = "; ".join(f"{names[a]} – {names[b]}" for a, b in analysis.bridges) or "none"
    return [
        (
            "Single points of failure (the network splits without them)",
            _names(analysis, analysis.single_points_of_failure),
        ),
        ("Bridges (ties the network splits without)", bridges),
        ("No ties this round", _names(analysis, analysis.isolates)),
    ]


def _whole(analysis: RoundAnalysis, change: RoundChange | None) -> NetworkTable:
    c = change
    rows: list[tuple[str, str, str]] = [
        ("density", figure(analysis.density), change_text(c.density_change) if c else ""),
        (
            "degree centralization",
            figure(analysis.degree_centralization),
            change_text(c.degree_centralization_change) if c else "",
        ),
        (
            "betweenness centralization",
            figure(analysis.betweenness_centralization),
            change_text(c.betweenness_centralization_change) if c else "",
        ),
        ("trust (1–4)", figure(analysis.trust), change_text(c.trust_change) if c else ""),
        ("value (1–4)", figure(analysis.value), change_text(c.value_change) if c else ""),
        ("ties reported by both sides", percent_text(analysis.reciprocity), ""),
        ("not answered by one side", str(len(analysis.not_answered)), ""),
        ("connected parts", str(analysis.components), ""),
    ]
    head = ("measure", "figure", f"change since {c.before.label}") if c else ("measure", "figure")
    return NetworkTable(
        "Whole network",
        "Density: share of possible ties that exist. Centralization: 1 when everything runs through one "
        "organisation, 0 when all are alike (Freeman). Ties reported by both sides: the share of the ties "
        "both sides answered about.",
        head,
        tuple(row if c else row[:2] for row in rows),
    )


def _organisations(analysis: RoundAnalysis) -> NetworkTable:
    ranked = sorted(analysis.organisations, key=lambda o: (-o.degree, -o.betweenness, o.name))
    rows = tuple(
        (
            o.name + (" (did not answer)" if not o.responded else ""),
            str(o.degree),
            figure(o.betweenness),
            figure(o.closeness),
            figure(o.trust),
            figure(o.value),
            str(o.rated_by),
            "yes" if o.single_point_of_failure else "",
        )
        for o in ranked
    )
    return NetworkTable(
        "Organisations",
        "By number of ties. Trust and value: the mean score the others give it (1–4).",
        (
            "organisation",
            "ties",
            "betweenness",
            "closeness",
            "trust",
            "value",
            "rated by",
            "single point of failure",
        ),
        rows,
    )


def _gaps(analysis: RoundAnalysis) -> NetworkTable:
    names = analysis.names
    rows = tuple(
        (
            names[g.a],
            names[g.b],
            DIMENSION_LABELS.get(g.dimension, g.dimension) if g.dimension else "the tie itself",
            str(g.a_says) if g.dimension else f"works with them (level {g.a_says})",
            str(g.b_says) if g.b_says is not None else "does not work with them",
        )
        for g in analysis.gaps
    )
    return NetworkTable(
        "Perception gaps",
        f"Where two organisations rate each other {analysis.gap_threshold} or more points apart, or one "
        "reports the tie and the other answered that it does not work with them.",
        ("organisation A", "organisation B", "on", "A says", "B says"),
        rows,
    )


def _not_answered(analysis: RoundAnalysis) -> NetworkTable:
    names = analysis.names
    rows = tuple(
        (
            names[a],
            names[b],
            "did not answer about A" if analysis.organisation(b).responded else "did not answer this round",
        )
        for a, b in analysis.not_answered
    )
    return NetworkTable(
        "Ties not answered by the other side",
        "A reports the tie; B gave no answer about A, so the tie is A's view alone (not a gap).",
        ("organisation A", "organisation B", "B"),
        rows,
    )


def _changes(change: RoundChange) -> NetworkTable:
    names = change.after.names
    moved = [
        o
        for o in change.organisations
        if o.new_ties
        or o.lost_ties
        or (
            o.trust_before is not None
            and o.trust_after is not None
            and abs(o.trust_after - o.trust_before) >= 0.5
        )
    ]
    rows = tuple(
        (
            o.name,
            f"{o.degree_before} → {o.degree_after}",
            f"{figure(o.trust_before)} → {figure(o.trust_after)}",
            f"{figure(o.value_before)} → {figure(o.value_after)}",
            ", ".join(names[i] for i in o.new_ties),
            ", ".join(names[i] for i in o.lost_ties),
        )
        for o in moved
    )
    return NetworkTable(
        f"Change since {change.before.label}",
        f"{len(change.new_ties)} new and {len(change.lost_ties)} lost ties; organisations whose ties changed "
        "or whose trust moved by half a point or more.",
        ("organisation", "ties", "trust", "value", "new ties with", "lost ties with"),
        rows,
    )


def network_tables(analysis: RoundAnalysis, change: RoundChange | None = None) -> list[NetworkTable]:
    """The report's tables in order: the whole network, the organisations, gaps, ties not answered by
    the other side, and the change."""
    tables = [_whole(analysis, change), _organisations(analysis), _gaps(analysis), _not_answered(analysis)]
    if change is not None:
        tables.append(_changes(change))
    return tables


def _text_table(table: NetworkTable) -> list[str]:
    if not table.rows:
        return [table.title, "  None.", ""]
    widths = [max(len(r[i]) for r in (table.head, *table.rows)) for i in range(len(table.head))]
    lines = [table.title, f"  {table.note}"]
    lines += [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in (table.head, *table.rows)
    ]
    return [*lines, ""]


def render_network_text(analysis: RoundAnalysis, change: RoundChange | None, colour: Colouring) -> str:
    """The analysis for a terminal: the headline, the weak points, then every table."""
    out = [headline(analysis), ""]
    out += [f"{label}: {names}" for label, names in weak_points(analysis)]
    out.append("")
    for table in network_tables(analysis, change):
        out += _text_table(table)
    return "\n".join(out)


def render_network_json(analysis: RoundAnalysis, change: RoundChange | None, colour: Colouring) -> str:
    """The analysis as JSON (``core/network/results.analysis_json``)."""
    return analysis_json(analysis, change)


def render_network_svg(analysis: RoundAnalysis, change: RoundChange | None, colour: Colouring) -> str:
    """The network picture on its own, as a standalone SVG file."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + network_chart(analysis, colour) + "\n"


def _html_table(table: NetworkTable) -> str:
    if not table.rows:
        return f"<section><h2>{esc(table.title)}</h2><p>None.</p></section>"
    th = "".join(f'<th scope="col">{esc(h)}</th>' for h in table.head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    return (
        f'<section><h2>{esc(table.title)}</h2><p class="muted">{esc(table.note)}</p>'
        f'<div class="scroll"><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>'
        "</section>"
    )


# Printed on A4 turned sideways: the organisations' table is wide. On paper nothing scrolls, so the
# tables wrap and shrink instead, and a table's rows may break across pages but a row may not. The
# picture comes first on paper, as large as the first page allows, so its names can be read.
_PRINT_CSS = (
    "@page{size:A4 landscape;margin:12mm}"
    "body{font-size:9pt}.scroll{overflow:visible}table{font-size:7.5pt;width:100%}"
    "th,td{padding:1.5pt 6pt}tr{break-inside:avoid}"
    "figure.chart{break-inside:avoid;margin:0}figure.chart svg{height:140mm;width:auto;max-width:100%}"
)


def render_network_html(analysis: RoundAnalysis, change: RoundChange | None, colour: Colouring) -> str:
    """The analysis as one self-contained HTML page (inline CSS and SVG, no scripts, every name escaped)."""
    return _network_page(analysis, change, colour, css=CSS, picture_first=False)


def render_network_pdf(analysis: RoundAnalysis, change: RoundChange | None, colour: Colouring) -> bytes:
    """The HTML page, picture and tables, as an A4 landscape PDF laid out by WeasyPrint."""
    html = _network_page(analysis, change, colour, css=CSS + _PRINT_CSS, picture_first=True)
    return pdf_from_html(html, html_form="the HTML network report")


def _network_page(
    analysis: RoundAnalysis, change: RoundChange | None, colour: Colouring, *, css: str, picture_first: bool
) -> str:
    weak = "".join(
        f"<li><strong>{esc(label)}:</strong> {esc(names)}</li>" for label, names in weak_points(analysis)
    )
    weak_points_section = f"<section><h2>Weak points</h2><ul>{weak}</ul></section>"
    picture = (
        f'<section><h2>Picture</h2><figure class="chart">{network_chart(analysis, colour)}</figure></section>'
    )
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        f"<title>{esc(analysis.coalition)}: network — Common Ground</title>"
        f"<style>{css}</style></head><body><main><header><h1>{esc(analysis.coalition)}: network</h1>"
        f'<p class="muted">{esc(headline(analysis))}</p></header>',
        *((picture, weak_points_section) if picture_first else (weak_points_section, picture)),
    ]
    parts += [_html_table(t) for t in network_tables(analysis, change)]
    parts.append(
        "<footer>Ratings are organisations' answers about each other, not individual people's. "
        "Measures after the PARTNER tool (Varda et al.); methods in docs/methods.md.</footer>"
    )
    return "".join(parts) + "</main></body></html>\n"


Renderer = Callable[[RoundAnalysis, "RoundChange | None", Colouring], str]

NETWORK_FORMATS: dict[str, Renderer] = {
    "text": render_network_text,
    "json": render_network_json,
    "html": render_network_html,
    "svg": render_network_svg,
}


def render_network(
    analysis: RoundAnalysis, fmt: str, *, change: RoundChange | None = None, colour: Colouring = "trust"
) -> str:
    """Render ``analysis`` in format ``fmt``; ValueError naming the formats when there is no such one."""
    if fmt not in NETWORK_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(NETWORK_FORMATS)}")
    return NETWORK_FORMATS[fmt](analysis, change, colour)
