"""Renderers of a pulse analysis: text for the terminal, JSON (the contract), one self-contained HTML page.

They read a :class:`~commonground.core.alignment.models.PulseAnalysis`, which holds only
anonymity-safe figures, and show hidden cells as a dash with the reason in the notes. The HTML page
inlines its stylesheet, has no scripts and no links out, escapes every piece of text from the
answers (partner names, item ids, comments) and draws one trend chart per item
(``charts/pulse_trend.py``, the chart the workspace's trend view uses too).

How to add a format: write ``render_pulse_<name>(analysis) -> str`` and add it to
:data:`PULSE_FORMATS`; the CLI's ``--format`` choices are checked against that mapping.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from commonground.core.alignment.items import item_set, item_set_names
from commonground.core.alignment.models import ALL, Alert, Cell, PulseAnalysis

from .charts.pulse_trend import pulse_trend_chart
from .charts.svg import esc
from .html import CSS

HIDDEN = "–"  # an en dash where a figure is hidden


def item_label(item_id: str) -> str:
    """The short label of a registered item, or the id itself for items from other tools."""
    for name in item_set_names():
        try:
            return item_set(name).item(item_id).label
        except KeyError:
            continue
    return item_id


def _group(partner: str) -> str:
    return "all partners" if partner == ALL else partner


def _figure(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return HIDDEN if cell.mean is None else f"{cell.mean:.2f} ({cell.n})"


def _grid(analysis: PulseAnalysis, checkin: str) -> tuple[list[str], list[list[str]]]:
    """One check-in as rows of items and columns of groups (role totals only)."""
    groups = [ALL, *analysis.partners]
    by_key = {(c.item, c.partner): c for c in analysis.cells if c.checkin == checkin and c.role == ALL}
    head = ["item", *(_group(g) for g in groups)]
    rows = [[item_label(item), *(_figure(by_key.get((item, g))) for g in groups)] for item in analysis.items]
    return head, rows


def _text_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    return [
        "  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *rows]
    ]


def _alert_line(alert: Alert) -> str:
    return (
        f"{item_label(alert.item)}, {_group(alert.partner)}: down {abs(alert.size):.2f} points since "
        f"check-in {alert.since}, raised at {alert.checkin} ({alert.method})"
    )


def render_pulse_text(analysis: PulseAnalysis) -> str:
    """The analysis for a terminal: alerts first, then each check-in's table, gaps, comments, notes."""
    checkins = analysis.checkins
    out = [
        f"Pulse analysis: {len(checkins)} check-in(s)"
        + (f" ({checkins[0]} to {checkins[-1]})" if checkins else "")
        + f", {len(analysis.partners)} partner(s), {len(analysis.items)} item(s)",
        "Figures are mean (people); – is hidden to keep answers anonymous (see the notes).",
        "",
        "Drift alerts" if analysis.alerts else "Drift alerts: none",
    ]
    out += [f"  {_alert_line(a)}" for a in analysis.alerts]
    for checkin in checkins:
        out += ["", f"Check-in {checkin}"]
        out += _text_table(*_grid(analysis, checkin))
    if analysis.pooled:
        out += ["", f"Pooled over check-ins {analysis.pooled[0].checkin} (each person once)"]
        groups = [ALL, *analysis.partners]
        by_key = {(c.item, c.partner): c for c in analysis.pooled}
        out += _text_table(
            ["item", *(_group(g) for g in groups)],
            [[item_label(i), *(_figure(by_key.get((i, g))) for g in groups)] for i in analysis.items],
        )
    if analysis.gaps:
        out += ["", "Perception gaps (p < 0.05)"]
        for gap in analysis.gaps:
            if gap.p_value < 0.05:
                out.append(
                    f"  {gap.checkin} {item_label(gap.item)}: {gap.partner_a} − {gap.partner_b} "
                    f"{gap.difference:+.2f}, Cliff's δ {gap.cliffs_delta:+.2f} "
                    f"[{gap.delta_low:+.2f}, {gap.delta_high:+.2f}], p = {gap.p_value:.3f} ({gap.method})"
                )
    if analysis.coorientation:
        out += ["", "Coorientation"]
        out += [
            f"  {r.checkin} {item_label(r.item)}: {r.partner} about {r.about}: {r.kind} "
            f"(own {r.own_mean:.2f}, "
            f"expected {r.predicted_mean:.2f}, actual {r.actual_mean:.2f})"
            for r in analysis.coorientation
        ]
    if analysis.comments:
        out += ["", "Comments (from groups of 10 or more)"]
        out += [
            f"  {c.checkin} {item_label(c.item)} [{_group(c.partner)}]: {c.text}" for c in analysis.comments
        ]
    if analysis.notes:
        out += ["", "Notes"]
        out += [f"  - {note}" for note in analysis.notes]
    return "\n".join(out) + "\n"


def render_pulse_json(analysis: PulseAnalysis) -> str:
    """The analysis as indented JSON: the contract of ``pulse analyse --format json``."""
    return json.dumps(analysis.as_json(), indent=2, ensure_ascii=False) + "\n"


def _html_table(head: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    th = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table>{cap}<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>'


def _item_section(analysis: PulseAnalysis, item: str) -> str:
    groups = [ALL, *analysis.partners]
    by_key = {(c.checkin, c.partner): c for c in analysis.cells if c.item == item and c.role == ALL}
    rows = [[checkin, *(_figure(by_key.get((checkin, g))) for g in groups)] for checkin in analysis.checkins]
    label = item_label(item)
    return (
        f'<section id="item-{esc(item)}"><h2>{esc(label)}</h2>'
        f'<figure class="chart">{pulse_trend_chart(analysis, item, label)}</figure>'
        + _html_table(["check-in", *(_group(g) for g in groups)], rows, f"{label}: mean (people) by check-in")
        + "</section>"
    )


def render_pulse_html(analysis: PulseAnalysis) -> str:
    """The analysis as one self-contained HTML page (inline CSS, no scripts, every text escaped)."""
    alerts = "".join(f"<li>{esc(_alert_line(a))}</li>" for a in analysis.alerts) or "<li>None.</li>"
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        "<title>Pulse analysis — Common Ground</title>"
        f"<style>{CSS}</style></head><body><main><header><h1>Pulse analysis</h1>"
        f'<p class="muted">{len(analysis.checkins)} check-in(s), {len(analysis.partners)} partner(s), '
        f"{len(analysis.items)} item(s). Figures are mean (people); – is hidden to keep answers "
        "anonymous.</p></header>",
        f"<section><h2>Drift alerts</h2><ul>{alerts}</ul></section>",
    ]
    parts += [_item_section(analysis, item) for item in analysis.items]
    if analysis.gaps:
        rows = [
            [g.checkin, item_label(g.item), f"{g.partner_a} − {g.partner_b}", f"{g.difference:+.2f}",
             f"{g.cliffs_delta:+.2f} [{g.delta_low:+.2f}, {g.delta_high:+.2f}]",
             f"{g.p_value:.3f} ({g.method})"]
            for g in analysis.gaps
        ]  # fmt: skip
        parts.append(
            "<section><h2>Perception gaps</h2>"
            + _html_table(["check-in", "item", "partners", "difference", "Cliff's δ [95%]", "p"], rows)
            + "</section>"
        )
    if analysis.coorientation:
        rows = [
            [r.checkin, item_label(r.item), f"{r.partner} about {r.about}", r.kind,
             f"{r.own_mean:.2f}", f"{r.predicted_mean:.2f}", f"{r.actual_mean:.2f}"]
            for r in analysis.coorientation
        ]  # fmt: skip
        parts.append(
            "<section><h2>Coorientation</h2>"
            + _html_table(["check-in", "item", "who", "state", "own", "expected", "actual"], rows)
            + "</section>"
        )
    if analysis.comments:
        items = "".join(
            f"<li><span class='muted'>{esc(c.checkin)} · {esc(item_label(c.item))} · {esc(_group(c.partner))}"
            f"</span> {esc(c.text)}</li>"
            for c in analysis.comments
        )
        parts.append(f"<section><h2>Comments</h2><ul>{items}</ul></section>")
    if analysis.notes:
        notes = "".join(f"<li>{esc(n)}</li>" for n in analysis.notes)
        parts.append(f"<section><h2>What could not be shown, and why</h2><ul>{notes}</ul></section>")
    parts.append("<footer>No figure comes from fewer than 5 people, no comment from fewer than 10.</footer>")
    return "".join(parts) + "</main></body></html>\n"


PULSE_FORMATS: dict[str, Callable[[PulseAnalysis], str]] = {
    "text": render_pulse_text,
    "json": render_pulse_json,
    "html": render_pulse_html,
}


def render_pulse(analysis: PulseAnalysis, fmt: str) -> str:
    """Render ``analysis`` in format ``fmt``; ValueError naming the formats when there is no such one."""
    renderer = PULSE_FORMATS.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown format {fmt!r}; available: {', '.join(PULSE_FORMATS)}")
    return renderer(analysis)
