"""The one-page board summary of an assessment, as HTML (``summary``) and as PDF (``summary-pdf``).

A board member's page: the partners, the date and profile versions, the verdict sentence of
:mod:`commonground.reports.summary` (the same words as the web page and the HTML report), the score
gauge of :mod:`commonground.reports.charts` with the component scores, why the score is what it is,
the questions to settle and what the assessment could not read. It fits one A4 page: the lists are
short and every text is bounded (``tests/reports/test_board.py`` checks the page count on a long
case). The PDF is the same HTML laid out by WeasyPrint, imported only when a PDF is asked for (it is
slow to import and needs Pango, see ``scripts/system-packages.sh``).
"""

from __future__ import annotations

from importlib.resources import files

from commonground.core.results import AssessmentResult

from .about import About
from .charts import score_gauge
from .charts.svg import esc
from .coalition import shown_partners, shown_reasons, shown_title
from .labels import COMPONENTS, truncate
from .numbers import score_text
from .sections import DISCLAIMER
from .summary import board_summary

CSS = files(__package__).joinpath("board.css").read_text(encoding="utf-8")
# What one A4 page holds in the worst case (long names, long findings; tests/reports/test_board.py):
# the engine's "why this score" lines, the missing findings and their lengths; the full report has all.
MAX_SCORE_REASONS = 3
MAX_MISSING = 3
MAX_LINE = 180
MAX_TITLE = 120
MAX_QUESTION = 320


def _list(items: tuple[str, ...] | list[str], tag: str = "ul") -> str:
    return f"<{tag}>" + "".join(f"<li>{esc(item)}</li>" for item in items) + f"</{tag}>"


def _more(count: int) -> str:
    return f'<p class="muted">… and {count} more in the full report.</p>' if count > 0 else ""


def _components(result: AssessmentResult) -> str:
    rows = []
    for key, label in COMPONENTS.items():
        value = getattr(result.components, key)
        if value is None:
            bar = '<span class="muted">not scored</span>'
        else:
            width = max(min(value, 100.0), 0.0)
            bar = f'<span class="bar"><span style="width:{width:.0f}%"></span></span>'
        cells = f'<td class="num">{score_text(value)}</td><td>{bar}</td>'
        rows.append(f'<tr><th scope="row">{esc(label)}</th>{cells}</tr>')
    return f'<table class="components"><caption>Score components (0–100)</caption>{"".join(rows)}</table>'


def render_summary(result: AssessmentResult, *, color: bool = False, about: About | None = None) -> str:
    """The one-page board summary as a self-contained HTML page (``color`` is ignored)."""
    summary = board_summary(result)
    reasons = [truncate(r, MAX_LINE) for r in shown_reasons(result)[:MAX_SCORE_REASONS]]
    dated = esc(about.line) if about else "Date and profile versions not recorded."
    missing = ""
    if summary.missing:
        shown = [truncate(m, MAX_LINE) for m in summary.missing[:MAX_MISSING]]
        missing = (
            '<section class="missing"><h2>Missing from this assessment</h2>'
            f"{_list(shown)}{_more(len(summary.missing) - MAX_MISSING)}</section>"
        )
    questions = (
        _list([truncate(q, MAX_QUESTION) for q in summary.questions], "ol")
        if summary.questions
        else "<p>Nothing in particular to settle.</p>"
    )
    title = esc(truncate(shown_title(result), MAX_TITLE))
    partners = esc(shown_partners(result.parties, joiner=" and "))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Board summary: {title}</title><style>{CSS}</style></head><body><main>"
        f'<header><p class="kicker">Board summary · Common Ground</p><h1>{title}</h1>'
        f'<p class="partners">{partners}</p><p class="about">{dated}</p></header>'
        f'<p class="sentence">{esc(summary.sentence)}</p>'
        f'<div class="figures"><div class="gauge">{score_gauge(result.score, result.verdict)}</div>'
        f"{_components(result)}</div>"
        f"<section><h2>Why this score</h2>{_list(reasons)}</section>"
        f"<section><h2>Questions to settle first</h2>{questions}</section>"
        f"{missing}"
        f"<footer>{esc(DISCLAIMER)} The full report has every finding with its evidence.</footer>"
        "</main></body></html>\n"
    )


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are missing: no PDF can be made here."""


def pdf_from_html(html: str, *, html_form: str) -> bytes:
    """``html`` laid out as a PDF by WeasyPrint; PdfUnavailable naming ``html_form`` when it cannot run."""
    try:
        import weasyprint  # slow to import and needs Pango: only when a PDF is asked for
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            "PDFs need WeasyPrint and the Pango library (scripts/system-packages.sh installs it); "
            f"{html_form} works without them ({exc})"
        ) from exc
    # No base URL: the page fetches nothing (everything is inline), and WeasyPrint must not try.
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def render_summary_pdf(result: AssessmentResult, *, color: bool = False, about: About | None = None) -> bytes:
    """The one-page board summary as an A4 PDF, laid out by WeasyPrint from :func:`render_summary`."""
    return pdf_from_html(render_summary(result, about=about), html_form="the HTML board summary")
