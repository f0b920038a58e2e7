"""The report of a large coalition: the coalition read as a whole and a compact table of pairs.

Above :data:`COMPACT_ABOVE` partners every finding of every pair (21 pairs at 7 partners, 19,900 at
200) no longer reads as a report, so :func:`coalition_sections` shows instead, from the result's
``coalition`` summary: the pairs to look at first and why, the common ground of most partners, the
groups of partners that clash, each partner's strongest and weakest ties, and one line per pair (the
weakest :data:`PAIR_ROWS`). Up to twenty partners every finding stays in the JSON; above that the
JSON keeps each pair's summary, and the captions say where a pair's every finding is. Only existing
block kinds (tables, facts, questions, scores) are used, so the HTML report and the web's snapshot
page show these sections without new markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from commonground.core.coalition import pair_summary
from commonground.core.results import AssessmentResult, CoalitionSummary, PairResult, PairSummary

from .blocks import Cell, Fact, FactList, QuestionItem, QuestionList, Table
from .charts import sdg_name, verdict_word
from .labels import CONFLICT_KINDS, SEVERITIES, truncate, word
from .numbers import score_text
from .sections import Section

# Coalitions with more partners than this get the compact report.
COMPACT_ABOVE = 6
# Rows of the pair table (weakest first) and questions shown; the rest are in the JSON.
PAIR_ROWS = 200
QUESTIONS_SHOWN = 10
# Partner names shown in a heading before "… and N more".
PARTNERS_SHOWN = 12
_CELL_CHARS = 160
ALL_IN_JSON = "Every finding of every pair is in the JSON download."
# Above twenty partners the JSON keeps each pair's summary (core/assessment.py's FULL_DETAIL_PARTNERS).
PAIR_ON_ITS_OWN = (
    "The JSON keeps each pair's score, verdict and worst findings; every finding of a pair is in the "
    "assessment of those two partners on their own (on the command line: --explain NAME NAME, or "
    "--pairs FILE for every pair)."
)


def _where_findings_are(result: AssessmentResult) -> str:
    """Where the reader finds every finding of a pair: in the JSON, or by assessing the pair alone."""
    return PAIR_ON_ITS_OWN if any(isinstance(p, PairSummary) for p in result.pairs) else ALL_IN_JSON


def is_compact(result: AssessmentResult) -> bool:
    """Whether ``result`` is a coalition large enough for the compact report."""
    return result.coalition is not None and len(result.parties) > COMPACT_ABOVE


def shown_partners(parties: Sequence[str], *, joiner: str = ", ") -> str:
    """The partners' names for a heading: every one up to :data:`PARTNERS_SHOWN`, then how many more."""
    if len(parties) <= PARTNERS_SHOWN:
        return joiner.join(parties)
    return f"{', '.join(parties[:PARTNERS_SHOWN])} … and {len(parties) - PARTNERS_SHOWN:,} more"


def shown_title(result: AssessmentResult) -> str:
    """The result's title; an unnamed large coalition's title (every name joined) in a few words."""
    if is_compact(result) and result.title == " × ".join(result.parties):
        return f"A coalition of {len(result.parties):,} partners"
    return result.title


def shown_reasons(result: AssessmentResult) -> tuple[str, ...]:
    """Why the score is what it is; a large coalition's one line per pair is left to the pair table."""
    if not is_compact(result):
        return tuple(result.reasons)
    overall = result.reasons[: max(0, len(result.reasons) - len(result.pairs))]
    return (*overall, "Each pair's score and worst finding are in the pair table below.")


def _questions(result: AssessmentResult) -> Section:
    ranked = sorted(result.questions, key=lambda q: q.priority)
    items = tuple(
        QuestionItem(text=q.text, reason=q.reason, about=word(CONFLICT_KINDS, str(q.about)))
        for q in ranked[:QUESTIONS_SHOWN]
    )
    more = len(ranked) - len(items)
    return Section(
        "questions",
        "Questions to settle first",
        (QuestionList(items),) if items else (),
        caption=f"The {len(items)} most important of {len(ranked):,}. {_where_findings_are(result)}"
        if more
        else "",
        empty="Nothing in particular to settle.",
    )


def _attention(summary: CoalitionSummary) -> Section:
    rows = tuple(
        (
            Cell(" & ".join(a.parties)),
            Cell(score_text(a.score)),
            Cell(verdict_word(a.verdict)),
            Cell(truncate("; ".join(a.why), _CELL_CHARS * 2)),
        )
        for a in summary.attention
    )
    return Section(
        "attention",
        "Pairs to look at first",
        (Table(("Pair", "Score", "Verdict", "Why"), rows, frozenset({1})),) if rows else (),
        caption="Worst verdict first, then the most blocker and high conflicts, then the lowest score.",
        empty="No pair needs attention: every pair is aligned.",
    )


def _common_ground(summary: CoalitionSummary) -> Section:
    ground = summary.common_ground
    n = summary.partners
    facts = (
        Fact("SDGs", "; ".join(f"{sdg_name(s.sdg)} ({s.partners} of {n})" for s in ground.sdgs) or "none"),
        Fact("Values", "; ".join(f"{v.value} ({v.partners} of {n})" for v in ground.values) or "none"),
    )
    rows = tuple(
        (Cell(g.party), Cell(truncate(g.text, _CELL_CHARS)), Cell(f"{g.partners} of {n - 1}"))
        for g in ground.goals
    )
    goals = (Table(("Partner", "Goal", "Supported by"), rows, frozenset({2})),) if rows else ()
    return Section(
        "common-ground",
        "Common ground",
        (FactList(facts), *goals),
        caption="What at least half the partners share, and the goals the most other partners support "
        "with a goal of their own.",
    )


def _clusters(summary: CoalitionSummary) -> Section:
    rows = tuple(
        (
            Cell(shown_partners(c.parties)),
            Cell(str(len(c.parties))),
            Cell(str(c.pairs)),
            Cell(word(SEVERITIES, c.worst.value)),
            Cell(c.hub),
        )
        for c in summary.clusters
    )
    head = ("Partners", "Size", "Clashing pairs", "Worst", "In most clashes")
    return Section(
        "clusters",
        "Groups that clash",
        (Table(head, rows, frozenset({1, 2})),) if rows else (),
        caption="Partners linked by pairs with a high or blocker conflict, largest group first.",
        empty="No pair has a high or blocker conflict.",
        count=len(rows),
    )


def _ties(summary: CoalitionSummary) -> Section:
    rows = tuple(
        (
            Cell(t.party),
            Cell(score_text(t.mean_score)),
            Cell(f"{t.strongest.party} ({score_text(t.strongest.score)})"),
            Cell(f"{t.weakest.party} ({score_text(t.weakest.score)}, {verdict_word(t.weakest.verdict)})"),
            Cell(str(t.clashes)),
        )
        for t in summary.ties
    )
    head = ("Partner", "Mean score", "Strongest tie", "Weakest tie", "Clashing pairs")
    return Section(
        "ties",
        "Each partner's ties",
        (Table(head, rows, frozenset({1, 4})),),
        caption="Each partner's best and worst pair in the coalition, and its mean pair score.",
    )


def _worst(pair: PairSummary) -> str:
    if not pair.conflicts:
        return "—"
    c = pair.conflicts[0]  # a summary keeps its worst conflicts, worst first
    return truncate(f"{word(SEVERITIES, c.severity.value)}: {c.summary}", _CELL_CHARS)


def _short(pair: PairResult | PairSummary) -> PairSummary:
    return pair if isinstance(pair, PairSummary) else pair_summary(pair)


def _pair_table(result: AssessmentResult) -> Section:
    ranked = sorted(result.pairs, key=lambda p: p.score)  # stable: input order within a score
    shown = [_short(p) for p in ranked[:PAIR_ROWS]]
    rows = tuple(
        (
            Cell(" & ".join(p.parties)),
            Cell(score_text(p.score)),
            Cell(verdict_word(p.verdict)),
            Cell(str(p.conflict_counts["blocker"] + p.conflict_counts["high"])),
            Cell(_worst(p)),
        )
        for p in shown
    )
    more = len(ranked) - len(shown)
    caption = "Weakest first." + (f" The {len(shown)} weakest of {len(ranked):,} pairs." if more else "")
    return Section(
        "pairs",
        "Every pair" if not more else "Weakest pairs",
        (Table(("Pair", "Score", "Verdict", "Blocker or high", "Worst finding"), rows, frozenset({1, 3})),),
        caption=f"{caption} {_where_findings_are(result)}",
        count=len(ranked),
    )


def coalition_sections(result: AssessmentResult) -> tuple[Section, ...]:
    """The compact report's sections, questions first (see the module docstring)."""
    summary = result.coalition
    if summary is None:
        raise ValueError("coalition_sections needs a coalition result (three or more partners)")
    verdicts = "; ".join(f"{verdict_word(v)} {k:,}" for v, k in summary.verdicts.items() if k)
    shared = result.shared
    facts = (
        Fact("Pairs by verdict", verdicts),
        Fact("SDGs", ", ".join(sdg_name(n) for n in shared.sdgs) or "none"),
        Fact("Values", ", ".join(shared.values) or "none"),
        Fact("Stakeholders", ", ".join(shared.stakeholders) or "none"),
    )
    return (
        _questions(result),
        _attention(summary),
        _common_ground(summary),
        _clusters(summary),
        _ties(summary),
        _pair_table(result),
        Section("shared", "Shared by all", (FactList(facts),)),
    )
