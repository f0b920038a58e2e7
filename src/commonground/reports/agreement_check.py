"""Renderers of an agreement check: text for the terminal, JSON (the contract), one self-contained HTML page.

Every :class:`~commonground.core.agreement.findings.CheckPart` is drawn the same way: its findings
grouped by level (problems, then warnings, then notes), each with its field path, then its tables.
JSON carries the parts' ``figures`` as well. The HTML page inlines its stylesheet, has no scripts
and no links out, and escapes every piece of text from the agreement.

How to add a format: write ``render_check_<name>(check: AgreementCheck) -> str`` here (or in a
module of its own), add it to :data:`CHECK_FORMATS`, and add it to the "every format renders" test
in ``tests/reports/test_agreement_check.py``; the CLI's ``--format`` choices come from that mapping.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from commonground.core.agreement.check import AgreementCheck
from commonground.core.agreement.findings import CheckPart, Finding, Level, Table

from .charts.svg import esc
from .html import CSS

_LEVEL_HEADINGS = {Level.PROBLEM: "Problems", Level.WARNING: "Warnings", Level.INFO: "Notes"}
_LEVEL_WORDS = {Level.PROBLEM: "problem", Level.WARNING: "warning", Level.INFO: "note"}
_LEVEL_BADGES = {Level.PROBLEM: "sev-high", Level.WARNING: "sev-medium", Level.INFO: "sev-low"}


def _by_level(part: CheckPart) -> list[tuple[Level, list[Finding]]]:
    return [
        (level, found)
        for level in Level
        if (found := [finding for finding in part.findings if finding.level is level])
    ]


def counts_line(check: AgreementCheck) -> str:
    """ "2 problems, 1 warning, no notes" for the check as a whole."""
    words = []
    for level, count in check.counts().items():
        noun = _LEVEL_WORDS[level] + ("" if count == 1 else "s")
        words.append(f"{count if count else 'no'} {noun}")
    return ", ".join(words)


def _state_line(check: AgreementCheck) -> str:
    state = "a draft, not agreed" if check.state == "draft" else "agreed by every partner"
    return f"State: {state}. Checked as of {check.as_of.isoformat()}."


# --------------------------------------------------------------------------- text


def _text_table(table: Table, indent: str) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(table.columns, *table.rows, strict=True)]
    lines = [f"{indent}{table.title}"]
    for row in (table.columns, *table.rows):
        cells = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append(f"{indent}  {cells}".rstrip())
    return lines


def render_check_text(check: AgreementCheck) -> str:
    """The check as plain text: one block per part, findings grouped by level with their paths."""
    lines = [f"Agreement check: {check.title}", _state_line(check), f"Found {counts_line(check)}."]
    for part in check.parts:
        lines += ["", part.title, "=" * len(part.title)]
        if not part.findings:
            lines.append("  nothing to report")
        for level, found in _by_level(part):
            lines.append(f"  {_LEVEL_HEADINGS[level]}")
            lines += [f"    {finding.path}: {finding.message}" for finding in found]
        for table in part.tables:
            lines.append("")
            lines += _text_table(table, "  ")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- JSON


def render_check_json(check: AgreementCheck) -> str:
    """The check as indented JSON: counts, then each part's findings and figures."""
    return json.dumps(check.as_json(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- HTML

_EXTRA_CSS = (
    ".findings{list-style:none;padding-left:0}.findings li{margin:.35rem 0}"
    ".findings code{background:#f3f4f6;padding:0 .25rem;border-radius:.2rem;font-size:.85rem}"
)


def _html_table(table: Table) -> str:
    head = "".join(f'<th scope="col">{esc(column)}</th>' for column in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    return (
        f'<h3>{esc(table.title)}</h3><div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _html_part(part: CheckPart) -> str:
    out = [f'<section id="part-{esc(part.name)}"><h2>{esc(part.title)}</h2>']
    if not part.findings:
        out.append('<p class="muted">Nothing to report.</p>')
    for level, found in _by_level(part):
        items = "".join(
            f'<li><span class="badge {_LEVEL_BADGES[level]}">{esc(_LEVEL_WORDS[level])}</span> '
            f"<code>{esc(finding.path)}</code> {esc(finding.message)}</li>"
            for finding in found
        )
        out.append(f'<h3>{esc(_LEVEL_HEADINGS[level])}</h3><ul class="findings">{items}</ul>')
    out += [_html_table(table) for table in part.tables]
    out.append("</section>")
    return "".join(out)


def render_check_html(check: AgreementCheck) -> str:
    """The check as one self-contained HTML page (inline CSS, no scripts, every text escaped)."""
    nav = "".join(f'<li><a href="#part-{esc(p.name)}">{esc(p.title)}</a></li>' for p in check.parts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        f"<title>{esc(check.title)} — Common Ground agreement check</title>"
        f"<style>{CSS}{_EXTRA_CSS}</style></head>"
        f"<body><main><header><h1>{esc(check.title)}</h1>"
        f'<p class="muted">Agreement check. {esc(_state_line(check))}</p>'
        f"<p><strong>Found {esc(counts_line(check))}.</strong></p>"
        f'</header><nav aria-label="Contents"><ol>{nav}</ol></nav>'
        + "".join(_html_part(part) for part in check.parts)
        + "<footer>Findings are for the partners to discuss; they are not a verdict.</footer>"
        + "</main></body></html>\n"
    )


CHECK_FORMATS: dict[str, Callable[[AgreementCheck], str]] = {
    "text": render_check_text,
    "json": render_check_json,
    "html": render_check_html,
}


def render_check(check: AgreementCheck, fmt: str) -> str:
    """Render ``check`` in format ``fmt``; ValueError naming the formats when there is no such one."""
    renderer = CHECK_FORMATS.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown format {fmt!r}; available: {', '.join(CHECK_FORMATS)}")
    return renderer(check)
