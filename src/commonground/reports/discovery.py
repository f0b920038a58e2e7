"""``commonground discover --format html``: the ranked partners as one self-contained HTML page.

Built like the assessment and network pages (``html.py``, ``network.py``): the report stylesheet
inlined, no scripts, no fonts, no links out, so the page can be mailed or archived as is. Every piece
of an organisation's text (names, places, reasons, quoted evidence) goes through :func:`esc`: the
directory is built from public registers and CSV files nobody here wrote.
"""

from __future__ import annotations

from collections.abc import Sequence

from commonground.core.directory.discovery import Discovery, Excluded, Match
from commonground.core.wording import counted

from .charts import verdict_heading
from .charts.svg import esc
from .html import CSS
from .numbers import score_text
from .summary import score_note

# Evidence quoted under each reason, as in the text output: enough to check a reason, not a wall.
REASONS_SHOWN, EVIDENCE_SHOWN = 4, 2
# Results read as cards, so that a phone shows them without sideways scrolling.
PAGE_CSS = (
    ".hits{list-style:none;padding:0}"
    ".hit{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .9rem;margin:.75rem 0}"
    ".hit h2{font-size:1.15rem;margin:0 0 .25rem;padding:0;border:0;overflow-wrap:anywhere}"
    ".hit ul{margin:.35rem 0;padding-left:1.2rem}"
    ".hit blockquote{margin:.2rem 0 .2rem 1rem;color:var(--muted)}"
    ".score{font-variant-numeric:tabular-nums;font-weight:700}"
)


def _where(match: Match) -> str:
    record = match.candidate.record
    return ", ".join(x for x in (record.country, record.region, record.kind) if x)


def _hit(rank: int, match: Match) -> str:
    candidate, assessment = match.candidate, match.assessment
    facts = [
        # As every assessment shows it ("Aligned (69/100)"): a whole number, the verdict first.
        f"{esc(verdict_heading(assessment.verdict, assessment.score))} "
        f'(<span class="score">{score_text(assessment.score)}/100</span>)',
        esc(_where(match)),
    ]
    if candidate.shared_sdgs:
        facts.append("shared SDGs: " + esc(", ".join(str(s) for s in candidate.shared_sdgs)))
    note = score_note(assessment)
    notes = f'<p class="score-note">{esc(note)}</p>' if note else ""
    if candidate.mark is not None:
        notes += f'<p class="note" role="note"><strong>Marked:</strong> {esc(candidate.mark)}</p>'
    reasons = "".join(
        f"<li>{esc(reason['summary'])}"
        + "".join(f"<blockquote>“{esc(e)}”</blockquote>" for e in reason["evidence"][:EVIDENCE_SHOWN])
        + "</li>"
        for reason in match.reasons()[:REASONS_SHOWN]
    )
    return (
        f'<li class="hit"><article aria-labelledby="hit-{rank}">'
        # <bdi>: a name's own bidirectional controls must not reorder the heading around it.
        f'<h2 id="hit-{rank}">{rank}. <bdi>{esc(candidate.record.name)}</bdi></h2>'
        f'<p class="muted">{" · ".join(f for f in facts if f)}</p>{notes}'
        + (f"<ul>{reasons}</ul>" if reasons else "")
        + "</article></li>"
    )


def _excluded(excluded: Sequence[Excluded]) -> str:
    if not excluded:
        return ""
    rows = "".join(
        f"<tr><td><bdi>{esc(e.name)}</bdi></td><td>{esc(e.action)}</td><td>{esc(e.why)}</td></tr>"
        for e in excluded
    )
    return (
        '<section aria-labelledby="excluded"><h2 id="excluded">Left out or marked</h2>'
        '<p class="muted">Organisations in sectors your red lines or mission make sensitive.</p>'
        '<div class="scroll"><table><thead><tr><th scope="col">organisation</th>'
        f'<th scope="col">action</th><th scope="col">why</th></tr></thead><tbody>{rows}</tbody></table>'
        "</div></section>"
    )


def render_discovery_html(found: Discovery, *, seeker: str) -> str:
    """The ranked partners for ``seeker`` as one self-contained HTML page, every text escaped."""
    title = f"Partners for {seeker}"
    heading = f"Partners for <bdi>{esc(seeker)}</bdi>"
    considered = counted(found.considered, "organisation")
    hits = "".join(_hit(rank, m) for rank, m in enumerate(found.results, start=1))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        f"<title>{esc(title)} — Common Ground</title><style>{CSS}{PAGE_CSS}</style></head>"
        f"<body><main><header><h1>{heading}</h1>"
        f'<p class="muted">{len(found.results)} of {considered} in the directory, '
        "best first: ranked by mission, goals and shared SDGs, then re-ranked by the full assessment.</p>"
        "</header>"
        + (f'<ol class="hits">{hits}</ol>' if hits else "<p>No organisation matched.</p>")
        + _excluded(found.excluded)
        + "<footer>A score is the assessment's 0–100 fit; run <code>commonground discover --explain "
        "NAME</code> for the whole assessment of one organisation.</footer></main></body></html>\n"
    )
