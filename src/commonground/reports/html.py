"""HTML renderer: one self-contained, printable page that opens offline.

It renders the sections :func:`~commonground.reports.sections.assessment_report` defines (the web
workspace renders the same ones), with the stylesheet in ``report.css`` inlined. Everything is
inline (CSS, SVG charts); there are no scripts, fonts, stylesheets or images to fetch, and no link
points outside the file, so the report can be mailed or archived as is. Every piece of user text
goes through :func:`esc`.
"""

from __future__ import annotations

from importlib.resources import files
from typing import assert_never

from commonground.core.results import AssessmentResult

from .about import About
from .blocks import Cell, Chart, FactList, Finding, FindingList, QuestionList, ScoreTable, Table
from .charts.svg import esc
from .coalition import shown_partners
from .sections import Block, Lead, PairList, Section, assessment_report
from .summary import Summary

CSS = files(__package__).joinpath("report.css").read_text(encoding="utf-8")


def _table(head: list[str], rows: list[list[str]], *, numeric: frozenset[int] = frozenset()) -> str:
    """A table whose cells are already-escaped HTML; ``numeric`` columns align right."""
    thead = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table></div>'


def _cell(cell: Cell) -> str:
    return esc(cell.text) + (f" <strong>({esc(cell.emphasis)})</strong>" if cell.emphasis else "")


def _evidence(finding: Finding) -> str:
    items: list[str] = []
    if finding.quotes:
        quotes = "".join(
            f"<li><strong>{esc(q.party)}</strong>, {esc(q.where)}: <q>{esc(q.text)}</q></li>"
            for q in finding.quotes
        )
        items.append(f"<dt>Texts</dt><dd><ul>{quotes}</ul></dd>")
    for fact in finding.facts:
        items.append(f"<dt>{esc(fact.label)}</dt><dd>{esc(fact.text)}</dd>")
    return f'<dl class="evidence">{"".join(items)}</dl>'


def _finding(finding: Finding) -> str:
    if finding.severity_code:
        sev = esc(finding.severity_code)
        opening = (
            f'<details class="conflict edge-{sev}"><summary>'
            f'<span class="badge sev-{sev}">{esc(finding.severity)}</span> '
            f'<span class="badge kind">{esc(finding.kind)}</span> '
        )
    else:
        opening = f'<details class="synergy"><summary><span class="badge syn">{esc(finding.kind)}</span> '
    return (
        f'{opening}{esc(finding.summary)} <span class="parties">({esc(finding.parties)})</span>'
        f'</summary><div class="inner">{_evidence(finding)}</div></details>'
    )


def _questions(block: QuestionList) -> str:
    items = "".join(
        f'<li>{esc(q.text)}<span class="why">Why: {esc(q.reason)} '
        f'<span class="badge kind">{esc(q.about)}</span></span></li>'
        for q in block.items
    )
    return f'<ol class="questions">{items}</ol>'


def _scores(block: ScoreTable) -> str:
    rows: list[list[str]] = []
    for row in block.rows:
        if row.value is None:
            rows.append([esc(row.label), esc(row.text), f'<span class="muted">{esc(row.note)}</span>'])
            continue
        width = max(min(row.value, 100.0), 0.0) * 1.6
        bar = f'<span class="bar" style="width:{width:.0f}px" aria-hidden="true"></span>'
        rows.append([esc(row.label), esc(row.text), bar])
    head = [*(esc(h) for h in block.head), '<span class="sr">Bar</span>']
    return _table(head, rows, numeric=frozenset({1}))


def _block(block: Block, section: Section, level: int) -> str:
    match block:
        case QuestionList():
            return _questions(block)
        case ScoreTable():
            return _scores(block)
        case FindingList():
            return "".join(_finding(f) for f in block.items)
        case Chart():
            # Wide charts scroll sideways on phones instead of shrinking below legibility.
            return (
                f'<figure><div class="scroll">{block.svg}</div>'
                f"<figcaption>{esc(section.caption)}</figcaption></figure>"
            )
        case Table():
            rows = [[_cell(c) for c in row] for row in block.rows]
            return _table([esc(h) for h in block.head], rows, numeric=block.numeric)
        case FactList():
            items = "".join(f"<li><strong>{esc(f.label)}:</strong> {esc(f.text)}</li>" for f in block.items)
            return f"<ul>{items}</ul>"
        case PairList():
            return "".join(
                f'<article class="pair" id="{esc(pair.id)}"><h{level + 1}>{esc(pair.title)}</h{level + 1}>'
                + _lead(pair.lead)
                + "".join(_section(s, level + 2) for s in pair.sections)
                + "</article>"
                for pair in block.items
            )
        case _:
            assert_never(block)


def _section(section: Section, level: int = 2) -> str:
    parts = [f'<section id="{esc(section.id)}"><h{level}>{esc(section.heading)}</h{level}>']
    if not section.blocks:
        parts.append(f'<p class="muted">{esc(section.empty)}</p>')
    else:
        if section.caption and not section.has_chart:
            parts.append(f'<p class="muted">{esc(section.caption)}</p>')
        parts.extend(_block(block, section, level) for block in section.blocks)
    parts.append("</section>")
    return "".join(parts)


def _lead(lead: Lead) -> str:
    items = "".join(f"<li>{esc(r)}</li>" for r in lead.reasons)
    reasons_html = f"<div><strong>Why this score</strong><ul>{items}</ul></div>" if items else ""
    return (
        f'<div class="lead">{lead.gauge}'
        f"<div><p><strong>{esc(lead.headline)}</strong></p>{reasons_html}</div></div>"
    )


def verdict_html(summary: Summary) -> str:
    """The verdict sentence and, next to it, the findings that are missing and why."""
    missing = ""
    if summary.missing:
        notes = "".join(f'<p class="note" role="note">{esc(m)}</p>' for m in summary.missing)
        missing = f'<div class="missing"><p><strong>Missing from this assessment</strong></p>{notes}</div>'
    return f'<div class="verdict-lead"><p class="sentence">{esc(summary.sentence)}</p>{missing}</div>'


def profiles_used_html(about: About) -> str:
    """Every profile with its version or hash, folded under the line that gives only their count and one
    hash; "" when the line names them all."""
    if about.listed_in_full:
        return ""
    items = "".join(f"<li>{esc(p.label)}</li>" for p in about.profiles)
    return (
        f'<details class="profiles-used"><summary>The {len(about.profiles)} profiles used</summary>'
        f"<ul>{items}</ul></details>"
    )


def render_html(result: AssessmentResult, *, color: bool = False, about: About | None = None) -> str:
    """The whole assessment as one self-contained HTML page (``color`` is ignored)."""
    report = assessment_report(result, about)
    dated = (
        f'<p class="about">{esc(report.about.line)}</p>{profiles_used_html(report.about)}'
        if report.about
        else ""
    )
    partners = esc(shown_partners(report.parties))
    nav = "".join(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>' for s in report.sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        f"<title>{esc(report.title)} — Common Ground assessment</title><style>{CSS}</style></head>"
        f"<body><main><header><h1>{esc(report.title)}</h1>"
        f'<p class="muted">Partnership assessment for {partners}</p>{dated}</header>'
        + verdict_html(report.summary)
        + _lead(report.lead)
        + f'<nav aria-label="Contents"><ol>{nav}</ol></nav>'
        + "".join(_section(s) for s in report.sections)
        + f"<footer>{esc(report.engine)}. {esc(report.disclaimer)}</footer>"
        + "</main></body></html>\n"
    )
