"""HTML renderer: one self-contained, printable page that opens offline.

Everything is inline (CSS, SVG charts); there are no scripts, fonts, stylesheets or images to
fetch, and no link points outside the file, so the report can be mailed or archived as is.
Every piece of user text goes through :func:`esc`.
"""

from __future__ import annotations

from collections.abc import Iterable

from commonground.core.results import (
    AssessmentResult,
    Conflict,
    Evidence,
    PairResult,
    Synergy,
)

from .charts import (
    goal_heatmap,
    power_interest_grid,
    score_gauge,
    sdg_name,
    sdg_overlap,
    shared_value_matrix,
    values_chart,
    verdict_word,
)
from .charts.svg import esc
from .labels import COMPONENTS, CONFLICT_KINDS, QUADRANTS, SEVERITIES, SYNERGY_KINDS, score_text, word

CSS = """
:root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--bg:#ffffff;--soft:#f6f8fa;--accent:#0072B2}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
  color:var(--ink);background:var(--bg);line-height:1.5;font-size:16px;-webkit-text-size-adjust:100%}
body{margin:0}
main{max-width:64rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.8rem;line-height:1.2;margin:0 0 .25rem}
h2{font-size:1.35rem;margin:2.2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--line)}
h3{font-size:1.25rem;margin:1.6rem 0 .5rem}
h4{font-size:1.05rem;margin:1.6rem 0 .4rem;color:var(--muted)}
p,li{max-width:46rem}
.muted{color:var(--muted)}
.note{background:#fff6d6;border-left:4px solid #c79a00;padding:.5rem .75rem}
.lead{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:center;margin:1rem 0}
.lead svg{flex:0 0 auto}
.lead ul{margin:.25rem 0;padding-left:1.2rem}
nav ol{columns:2 14rem;margin:.5rem 0;padding-left:1.2rem}
nav a,a{color:var(--accent)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;margin:.5rem 0;min-width:50%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;background:var(--soft)}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:.7rem;background:var(--accent);vertical-align:middle}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:.3rem;font-size:.8rem;font-weight:700;
  border:1px solid transparent;white-space:nowrap}
.sev-blocker{background:#D55E00;color:#fff}
.sev-high{background:#E69F00;color:#1f2328}
.sev-medium{background:#fff1c2;color:#1f2328;border-color:#c9a227}
.sev-low{background:#eef0f2;color:#1f2328;border-color:var(--line)}
details.edge-blocker{border-left:6px solid #D55E00}details.edge-high{border-left:6px solid #E69F00}
details.edge-medium{border-left:6px solid #c9a227}details.edge-low{border-left:6px solid #b8bfc6}
details.synergy{border-left:6px solid #009E73}
.kind{background:#e8f1fa;color:#0b3d66}
.syn{background:#e3f4ee;color:#064d36}
details{border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0;background:#fff}
details>summary{cursor:pointer;padding:.55rem .75rem;list-style-position:outside;margin-left:1rem}
details[open]>summary{border-bottom:1px solid var(--line)}
details .inner{padding:.5rem .9rem .8rem}
.parties{color:var(--muted);font-size:.9rem}
dl.evidence{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .9rem;margin:.25rem 0}
dl.evidence dt{font-weight:600;color:var(--muted)}
dl.evidence dd{margin:0;overflow-wrap:anywhere}
dl.evidence ul{margin:0;padding-left:1.1rem}
q{font-style:italic}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:var(--soft);
  padding:0 .2rem;border-radius:.2rem}
figure{margin:1rem 0}
figure svg,svg.cg-chart{display:block;max-width:100%;height:auto}
figure svg.cg-sdg-overlap,figure svg.cg-goal-heatmap{min-width:34rem}
figcaption{color:var(--muted);font-size:.9rem;margin-top:.35rem;max-width:46rem}
ol.questions>li{margin:.45rem 0}
ol.questions .why{display:block;color:var(--muted);font-size:.92rem}
article.pair{border-top:3px solid var(--line);margin-top:2rem}
footer{margin-top:3rem;font-size:.85rem;color:var(--muted);border-top:1px solid var(--line);
  padding-top:.75rem}
@media (max-width:40rem){html{font-size:15px}main{padding:1rem .75rem 2rem}
  dl.evidence{grid-template-columns:1fr}
  dl.evidence dt{margin-top:.35rem}}
@media print{
  html{font-size:11pt}main{max-width:none;padding:0}nav{display:none}
  a{color:inherit;text-decoration:none}
  h2,h3{break-after:avoid}figure,tr,details,.lead{break-inside:avoid}
  details{border-color:#999}details>summary{list-style:none;margin-left:0}
  details::details-content{content-visibility:visible;display:block}
  .scroll{overflow:visible}
  .badge,.bar,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def _section(anchor: str, title: str, body: Iterable[str]) -> str:
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{"".join(body)}</section>'


def _figure(svg: str, caption: str) -> str:
    # Wide charts scroll sideways on phones instead of shrinking below legibility.
    return f'<figure><div class="scroll">{svg}</div><figcaption>{esc(caption)}</figcaption></figure>'


def _table(head: list[str], rows: list[list[str]], *, numeric: set[int] | None = None) -> str:
    """A table whose cells are already-escaped HTML; ``numeric`` columns align right."""
    numeric = numeric or set()
    thead = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table></div>'


def _evidence(evidence: Evidence) -> str:
    items: list[str] = []
    if evidence.texts:
        texts = "".join(
            f"<li><strong>{esc(t.party)}</strong>, <code>{esc(t.field)}</code>: <q>{esc(t.text)}</q></li>"
            for t in evidence.texts
        )
        items.append(f"<dt>Texts</dt><dd><ul>{texts}</ul></dd>")
    items.append(f"<dt>Rule</dt><dd><code>{esc(evidence.rule)}</code></dd>")
    if evidence.data_row:
        items.append(f"<dt>Data row</dt><dd><code>{esc(evidence.data_row)}</code></dd>")
    if evidence.source:
        # Shown as text, not a link: the report must not point outside itself.
        items.append(f"<dt>Source</dt><dd>{esc(evidence.source)}</dd>")
    if evidence.similarity is not None:
        items.append(f"<dt>Similarity</dt><dd>{evidence.similarity:.2f}</dd>")
    if evidence.detail:
        items.append(f"<dt>Detail</dt><dd>{esc(evidence.detail)}</dd>")
    return f'<dl class="evidence">{"".join(items)}</dl>'


def _conflict(conflict: Conflict) -> str:
    sev = conflict.severity.value
    return (
        f'<details class="conflict edge-{esc(sev)}"><summary>'
        f'<span class="badge sev-{esc(sev)}">{esc(word(SEVERITIES, sev))}</span> '
        f'<span class="badge kind">{esc(word(CONFLICT_KINDS, conflict.kind.value))}</span> '
        f'{esc(conflict.summary)} <span class="parties">({esc(" & ".join(conflict.parties))})</span>'
        f'</summary><div class="inner">{_evidence(conflict.evidence)}</div></details>'
    )


def _synergy(synergy: Synergy) -> str:
    return (
        f'<details class="synergy"><summary>'
        f'<span class="badge syn">{esc(word(SYNERGY_KINDS, synergy.kind.value))}</span> '
        f'{esc(synergy.summary)} <span class="parties">({esc(" & ".join(synergy.parties))})</span>'
        f'</summary><div class="inner">{_evidence(synergy.evidence)}</div></details>'
    )


def _questions(pair: PairResult) -> str:
    if not pair.questions:
        return '<p class="muted">Nothing in particular to settle.</p>'
    items = "".join(
        f'<li>{esc(q.text)}<span class="why">Why: {esc(q.reason)} '
        f'<span class="badge kind">{esc(word(CONFLICT_KINDS, str(q.about)))}</span></span></li>'
        for q in sorted(pair.questions, key=lambda q: q.priority)
    )
    return f'<ol class="questions">{items}</ol>'


def _components(pair: PairResult) -> str:
    rows: list[list[str]] = []
    for key, label in COMPONENTS.items():
        value: float | None = getattr(pair.components, key)
        if value is None:
            rows.append([esc(label), "—", '<span class="muted">not enough input</span>'])
            continue
        width = max(min(value, 100.0), 0.0) * 1.6
        bar = f'<span class="bar" style="width:{width:.0f}px" aria-hidden="true"></span>'
        rows.append([esc(label), esc(score_text(value)), bar])
    return _table(["Component", "Score (0–100)", '<span class="sr">Bar</span>'], rows, numeric={1})


def _conflicts(pair: PairResult) -> str:
    if not pair.conflicts:
        return '<p class="muted">No conflicts found.</p>'
    ranked = sorted(pair.conflicts, key=lambda c: c.severity.rank)
    return '<p class="muted">Open an item to see its evidence.</p>' + "".join(_conflict(c) for c in ranked)


def _synergies(pair: PairResult) -> str:
    if not pair.synergies:
        return '<p class="muted">No synergies found.</p>'
    return "".join(_synergy(s) for s in pair.synergies)


def _culture(pair: PairResult) -> str:
    if pair.culture is None:
        return ""
    parties = list(pair.culture.profiles)
    rows = []
    for kind in ("clan", "adhocracy", "market", "hierarchy"):
        gap = pair.culture.gaps.get(kind)
        gap_html = esc(score_text(gap)) + (
            " <strong>(significant)</strong>" if gap is not None and gap >= 10 else ""
        )
        rows.append(
            [esc(kind.capitalize())]
            + [esc(score_text(pair.culture.profiles[p].get(kind))) for p in parties]
            + [gap_html]
        )
    numeric = set(range(1, len(parties) + 2))
    return _section(
        "culture",
        "Culture",
        [
            _table(["Type", *(esc(p) for p in parties), "Gap"], rows, numeric=numeric),
            '<p class="muted">Competing Values Framework (Cameron &amp; Quinn), 100 points per '
            "partner; a gap of 10 points or more is commonly treated as significant.</p>",
        ],
    )


def _stakeholders(pair: PairResult, parties: list[str]) -> str:
    rows = [
        [
            esc(s.name),
            esc(", ".join(s.parties)),
            esc(score_text(s.power)),
            esc(score_text(s.interest)),
            esc(word(QUADRANTS, s.quadrant)),
            esc(f"{s.salience_class.replace('_', ' ')} ({s.salience})"),
            esc("; ".join(f"{p}: {v}" for p, v in s.stances.items())),
        ]
        for s in pair.stakeholders
    ]
    table = (
        _table(
            ["Stakeholder", "Named by", "Power", "Interest", "Strategy", "Salience", "Stances"],
            rows,
            numeric={2, 3},
        )
        if rows
        else ""
    )
    return _section(
        "stakeholders",
        "Stakeholders",
        [
            _figure(
                power_interest_grid(pair.stakeholders, parties),
                "Mendelow's power–interest grid. Salience after Mitchell, Agle & Wood (1997): "
                "the number of attributes among power, legitimacy and urgency.",
            ),
            table,
        ],
    )


def _initiatives(pair: PairResult, parties: list[str]) -> str:
    if not pair.initiatives:
        return ""
    rows = [
        [
            esc(ini.name) + (" <strong>(one-sided)</strong>" if ini.one_sided else ""),
            esc(ini.level.replace("_", " ") if ini.level else "—"),
            esc(str(ini.social_value)),
            esc(", ".join(f"{p}: {v}" for p, v in ini.economic_value.items())),
            esc(", ".join(f"{p}: {word(QUADRANTS, q)}" for p, q in ini.quadrant.items())),
            esc(ini.note),
        ]
        for ini in pair.initiatives
    ]
    return _section(
        "initiatives",
        "Joint initiatives",
        [
            _figure(
                shared_value_matrix(pair.initiatives, parties),
                "Social value against each partner's economic value. The levels follow Porter & Kramer "
                "(2011); the 2×2 placement is our own choice.",
            ),
            _table(["Initiative", "Level", "Social", "Economic", "Placement", "Note"], rows, numeric={2}),
        ],
    )


def _analysis(pair: PairResult, parties: list[str]) -> list[str]:
    """The sections every assessment has, for the whole result or one pair."""
    shared = ", ".join(sdg_name(n) for n in pair.sdgs.shared) or "none"
    return [
        _section("questions", "Questions to settle first", [_questions(pair)]),
        _section("components", "Score components", [_components(pair)]),
        _section("conflicts", f"Conflicts ({len(pair.conflicts)})", [_conflicts(pair)]),
        _section("synergies", f"Synergies ({len(pair.synergies)})", [_synergies(pair)]),
        _section(
            "goals",
            "Goal interactions",
            [
                _figure(
                    goal_heatmap(pair.goal_matrix),
                    "Each goal against each other partner's goal on the seven-point scale of Nilsson, "
                    "Griggs & Visbeck (2016). Hover a cell for the reason.",
                )
            ],
        ),
        _section(
            "values",
            "Values",
            [
                _figure(
                    values_chart(pair.values, parties),
                    "How much weight each partner gives each value, 0 to 5; 0 means it does not list it.",
                )
            ],
        ),
        _culture(pair),
        _section(
            "sdgs",
            "SDG overlap",
            [
                _figure(
                    sdg_overlap(pair.sdgs),
                    f"Darker tiles: more confidence the partner works towards that goal. Shared: {shared}.",
                )
            ],
        ),
        _stakeholders(pair, parties),
        _initiatives(pair, parties),
    ]


def _scoped(html: str, prefix: str) -> str:
    # Each pair repeats the section ids; prefixing keeps ids unique on the page.
    return html.replace('<section id="', f'<section id="{prefix}-')


def _lead(pair: PairResult, reasons: list[str]) -> str:
    items = "".join(f"<li>{esc(r)}</li>" for r in reasons)
    reasons_html = f"<div><strong>Why this score</strong><ul>{items}</ul></div>" if items else ""
    return (
        f'<div class="lead">{score_gauge(pair.score, pair.verdict)}'
        f"<div><p><strong>Compatibility {esc(score_text(pair.score))}/100: "
        f"{esc(verdict_word(pair.verdict))}</strong></p>{reasons_html}</div></div>"
    )


def render_html(result: AssessmentResult, *, color: bool = False) -> str:
    """The whole assessment as one self-contained HTML page (``color`` is ignored)."""
    parties = result.parties
    toc = [
        ("questions", "Questions to settle first"),
        ("components", "Score components"),
        ("conflicts", "Conflicts"),
        ("synergies", "Synergies"),
        ("goals", "Goal interactions"),
        ("values", "Values"),
        ("sdgs", "SDG overlap"),
        ("stakeholders", "Stakeholders"),
    ]
    if result.initiatives:
        toc.append(("initiatives", "Joint initiatives"))
    body = [_lead(result, result.reasons), *_analysis(result, parties)]

    # Two partners: the one pair *is* the result, so it is not shown again.
    if len(result.parties) > 2 and result.pairs:
        toc += [("pairs", "Each pair"), ("shared", "Shared by all")]
        articles = []
        for k, pair in enumerate(result.pairs, 1):
            name = " & ".join(pair.parties)
            articles.append(
                f'<article class="pair" id="pair-{k}"><h3>{esc(name)}</h3>{_lead(pair, pair.reasons)}'
                + _scoped("".join(_analysis(pair, pair.parties)), f"pair-{k}")
                .replace("<h2>", "<h4>")
                .replace("</h2>", "</h4>")
                + "</article>"
            )
        body.append(_section("pairs", "Each pair", articles))
        shared = result.shared
        sdgs = ", ".join(sdg_name(n) for n in shared.sdgs) or "none"
        stakeholders = ", ".join(shared.stakeholders) or "none"
        body.append(
            _section(
                "shared",
                "Shared by all",
                [
                    "<ul>",
                    f"<li><strong>SDGs:</strong> {esc(sdgs)}</li>",
                    f"<li><strong>Values:</strong> {esc(', '.join(shared.values) or 'none')}</li>",
                    f"<li><strong>Stakeholders:</strong> {esc(stakeholders)}</li>",
                    "</ul>",
                ],
            )
        )

    nav = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in toc)
    engine = result.engine
    footer = (
        f"<footer>Common Ground {esc(engine.version)} · embedding model {esc(engine.embedding_model)} · "
        f"sector map {esc(engine.sector_map_version)} · "
        f"stance model {esc(engine.stance_model_version or 'none')} · result schema {result.schema_version}. "
        "Findings are prompts for conversation, not verdicts on either organisation; check the "
        "evidence behind each one.</footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        f"<title>{esc(result.title)} — Common Ground assessment</title><style>{CSS}</style></head>"
        f"<body><main><header><h1>{esc(result.title)}</h1>"
        f'<p class="muted">Partnership assessment for {esc(", ".join(parties))}</p></header>'
        + "".join(f'<p class="note" role="note">{esc(limit)}</p>' for limit in result.limitations)
        + body[0]
        + f'<nav aria-label="Contents"><ol>{nav}</ol></nav>'
        + "".join(body[1:])
        + footer
        + "</main></body></html>\n"
    )
