"""The partnership health report: a page a board reads in two minutes, as HTML and as A4 PDF.

It renders :class:`commonground.core.alignment.health.Health`: the overall line naming the parts
that need attention, the stage of the partnering cycle, each part with its status and figures, and
the trend charts the caller passes in (drawn by ``reports/charts``, the same SVG as the web page).
Every figure on it has already passed the check-in anonymity rules: the report never sees answers.
The PDF is the same HTML laid out by WeasyPrint, as for the board summary.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from importlib.resources import files

from commonground.core.alignment.health import STAGE_WORDS, STATUS_WORDS, Health

from .board import pdf_from_html
from .charts.svg import esc
from .labels import truncate

CSS = files(__package__).joinpath("board.css").read_text(encoding="utf-8") + (
    ".parts{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.5rem}"
    ".part{border:1px solid var(--line);border-left-width:5px;padding:.3rem .6rem}"
    ".part h2{margin:.1rem 0;font-size:11pt}.part p{margin:.15rem 0}"
    ".part ul{font-size:9pt;color:var(--muted)}"
    ".status-good{border-left-color:#1a7f37}.status-watch{border-left-color:#c79a00}"
    ".status-concern{border-left-color:#cf222e}.status-none{border-left-color:#d0d7de}"
    ".status{font-size:9pt;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.5rem}"
    ".charts svg{width:100%;height:auto}"
    "@media print{.parts,.charts{grid-template-columns:1fr 1fr}}"
)
MAX_NAME = 120
MAX_FACTS = 6
MAX_CHARTS = 4  # what fits on the page with the parts; the web page shows every item


def render_health(
    health: Health,
    *,
    partnership: str,
    partners: Sequence[str],
    as_of: datetime.date,
    charts: Sequence[tuple[str, str]] = (),
) -> str:
    """The health report as a self-contained HTML page; ``charts`` are (caption, SVG) pairs."""
    title = esc(truncate(partnership, MAX_NAME))
    parts = "".join(
        f'<section class="part status-{part.status.value}">'
        f'<p class="status">{esc(STATUS_WORDS[part.status])}</p>'
        f"<h2>{esc(part.title)}</h2><p>{esc(part.headline)}</p>"
        + (
            "<ul>" + "".join(f"<li>{esc(fact)}</li>" for fact in part.facts[:MAX_FACTS]) + "</ul>"
            if part.facts
            else ""
        )
        + "</section>"
        for part in health.parts
    )
    chart_html = ""
    if charts:
        figures = "".join(
            f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>"
            for caption, svg in charts[:MAX_CHARTS]
        )
        chart_html = f'<section><h2>Trends</h2><div class="charts">{figures}</div></section>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Partnership health: {title}</title><style>{CSS}</style></head><body><main>"
        f'<header><p class="kicker">Partnership health · Common Ground</p><h1>{title}</h1>'
        f'<p class="partners">{esc(" and ".join(partners))}</p>'
        f'<p class="about">As of {as_of.isoformat()}. Stage: {esc(STAGE_WORDS[health.stage])} '
        f"({esc(health.stage_reason)}).</p></header>"
        f'<p class="sentence">{esc(health.headline)}</p>'
        f'<div class="parts">{parts}</div>{chart_html}'
        "<footer>Check-in figures come from groups of at least five people; smaller groups are not "
        "shown, so that no answer can be traced to one person.</footer>"
        "</main></body></html>\n"
    )


def render_health_pdf(
    health: Health,
    *,
    partnership: str,
    partners: Sequence[str],
    as_of: datetime.date,
    charts: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The health report as an A4 PDF, laid out by WeasyPrint from :func:`render_health`."""
    html = render_health(health, partnership=partnership, partners=partners, as_of=as_of, charts=charts)
    return pdf_from_html(html, html_form="the HTML health report")
