"""The verdict in one plain sentence, with what decides it, what to do next and what is missing.

:func:`board_summary` is the one place that words an assessment for a board member: the web page's
lead, the HTML report and the one-page board summary (HTML and PDF) all show the
:class:`Summary` it returns, so they say the same thing in the same words. Pure: the same result
gives the same sentence.

The sentence names the verdict in words, the one or two findings that decide it and the next step,
e.g. "At risk (39/100) because Meadowgate Supermarkets sells sugary snacks … Next: settle the
questions below before committing." Where the engine could not read something (a language it does
not read well, a part of a profile left empty) the summary lists which findings are missing and why,
and the sentence says the verdict may be too kind, rather than reassuring on its own.

A ``workable`` verdict under 40 (nothing works against the partnership, but it scores low:
``core/scoring.py``) is worded as what it is wherever the verdict stands beside its score
(:func:`charts.verdict_heading`, :func:`charts.weak_fit`): "Workable, weak fit (0/100): nothing
stands in the way, but the partners fit poorly", never "the partnership can work … then go ahead"
next to a zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.core.results import AssessmentResult, ConflictSeverity, PairResult, PairSummary, Verdict
from commonground.core.scoring import AT_RISK_BELOW, OPPOSING_KINDS

from .charts import verdict_heading, weak_fit
from .labels import COMPONENTS, truncate
from .numbers import score_text

# What each verdict means, in a clause a board member reads without the methods page.
MEANINGS: dict[Verdict, str] = {
    Verdict.ALIGNED: "the partners fit well",
    Verdict.WORKABLE: "the partnership can work once a few differences are settled",
    Verdict.AT_RISK: "serious differences need settling before going ahead",
    Verdict.BLOCKED: "something one partner rules out stands in the way",
}
NEXT_STEPS: dict[Verdict, str] = {
    Verdict.ALIGNED: "agree how you will work together, covering the questions below",
    Verdict.WORKABLE: "agree the questions below, then go ahead",
    Verdict.AT_RISK: "settle the questions below before committing",
    Verdict.BLOCKED: "settle the first question below before anything else; if it cannot be settled, "
    "do not go ahead",
}
# A workable verdict with a score under AT_RISK_BELOW: nothing is against the partnership, but it fits
# poorly. The verdict stays the engine's; only its wording beside the score says so.
WEAK_FIT_MEANING = "nothing stands in the way, but the partners fit poorly"
WEAK_FIT_NEXT_STEP = (
    "find what both partners would achieve together before going further; then agree the questions below"
)
# The severities whose findings decide a verdict (the first one present is named); the verdicts without
# any are decided by the score, so the engine's most influential reasons are named instead.
_DECIDING: dict[Verdict, tuple[ConflictSeverity, ...]] = {
    Verdict.BLOCKED: (ConflictSeverity.BLOCKER,),
    Verdict.AT_RISK: (ConflictSeverity.HIGH, ConflictSeverity.MEDIUM),
    Verdict.WORKABLE: (),
    Verdict.ALIGNED: (),
}
_OUR_WORDS = frozenset({"Strong", "Partial", "Weak", "Blocker", "High", "Medium", "Low"})
# The engine's reasons that are notes about the score rather than reasons for it.
_NOTES = (
    "Score lowered from",
    "Score capped at",  # the wording of snapshots stored before the cap's note was reworded
    "Not scored for lack of input",
    "Conflict penalties were capped",
    "…and ",
    "Mean of ",
)
MAX_REASONS = 2
MAX_QUESTIONS = 3
# Characters of one reason or question: the sentence must stay one sentence, and the board summary one page.
MAX_CHARS = 220
CAVEAT = "This verdict may be too kind: some findings are missing (listed below)."
# Why a component has no score, for the list of missing findings.
_EMPTY_COMPONENT: dict[str, str] = {
    "mission": "no mission or goals to compare",
    "values": "a partner lists no values",
    "culture": "a partner has not described its culture",
    "stakeholders": "a partner names no stakeholders",
    "orientation": "a partner has not placed itself between profit and purpose",
}


@dataclass(frozen=True)
class Summary:
    """An assessment as a board reads it: the sentence first, then what it rests on."""

    verdict: str
    score: str
    meaning: str
    reasons: tuple[str, ...]
    next_step: str
    questions: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def sentence(self) -> str:
        """The verdict in words, the one or two reasons that decide it and what to do next."""
        opening = f"{self.verdict} ({self.score}/100): {self.meaning}"
        because = f", because {_joined(self.reasons)}" if self.reasons else ""
        caveat = f" {CAVEAT}" if self.missing else ""
        stop = "" if because.endswith("…") else "."
        return f"{opening}{because}{stop} Next: {self.next_step}.{caveat}"


def _joined(reasons: tuple[str, ...]) -> str:
    # A reason cut short ends in "…", which the sentence's full stop would follow: keep it out.
    texts = [r.rstrip(".").rstrip("…").rstrip() + ("…" if r.endswith("…") else "") for r in reasons]
    # The engine's own reasons start with a word of ours ("Strong fit on …", "Medium value gap: …"),
    # lower-cased inside the sentence; a finding's summary starts with a partner's name, kept as written.
    return "; and ".join(t[0].lower() + t[1:] if t.split(" ", 1)[0] in _OUR_WORDS else t for t in texts)


def _reasons(pair: PairResult) -> tuple[str, ...]:
    """The one or two findings that decide the verdict, worst first."""
    for severity in _DECIDING[pair.verdict]:
        deciding = [c.summary for c in pair.conflicts if c.severity is severity]
        if deciding:
            return tuple(truncate(text, MAX_CHARS) for text in deciding[:MAX_REASONS])
    # Decided by the score: its most influential reasons (the engine orders them so).
    reasons = [r for r in pair.reasons if not r.startswith(_NOTES)]
    return tuple(truncate(r, MAX_CHARS) for r in reasons[:MAX_REASONS])


def missing_findings(result: AssessmentResult) -> tuple[str, ...]:
    """Which findings are missing and why: what the engine could not read, then what was left empty."""
    missing = list(result.limitations)
    for key, label in COMPONENTS.items():
        if getattr(result.components, key) is None:
            missing.append(
                f"{label}: not scored, because {_EMPTY_COMPONENT.get(key, 'the input is missing')}."
            )
    matrix = result.goal_matrix
    # A coalition above twenty partners keeps its goal matrices in its pairs only.
    paired = any(
        p.goal_pairs if isinstance(p, PairSummary) else p.goal_matrix.rows and p.goal_matrix.columns
        for p in result.pairs
    )
    if not (matrix.rows and matrix.columns) and not paired:
        missing.append("Goal interactions: not assessed, because a partner lists no goals.")
    return tuple(missing)


def board_summary(result: AssessmentResult) -> Summary:
    """The board's reading of ``result``, shared by the page, the report and the board summary."""
    verdict = Verdict(result.verdict)
    questions = sorted(result.questions, key=lambda q: q.priority)
    weak = weak_fit(verdict, result.score)
    return Summary(
        verdict=verdict_heading(verdict, result.score),
        score=score_text(result.score),
        meaning=WEAK_FIT_MEANING if weak else MEANINGS[verdict],
        reasons=_reasons(result),
        next_step=WEAK_FIT_NEXT_STEP if weak else NEXT_STEPS[verdict],
        questions=tuple(truncate(q.text, MAX_CHARS * 2) for q in questions[:MAX_QUESTIONS]),
        missing=missing_findings(result),
    )


def score_note(result: PairResult) -> str:
    """Why a low score is still workable, in words from the result's own figures; "" for any other pair.

    By design (``core/scoring.py``) a score under ``AT_RISK_BELOW`` with nothing working against the
    partnership is workable: "5/100 workable" alone reads as a contradiction, so the score is glossed
    with what pulled it down, e.g. "Little common ground found (mission and goals 8/100), nothing
    against it" or "Values 12/100 pulls the score down (mission and goals 62/100), nothing against it".
    """
    if not weak_fit(result.verdict, result.score):
        return ""
    # Opposing findings reach this verdict only at low severity; the others are differences to discuss.
    opposing = sum(c.kind in OPPOSING_KINDS for c in result.conflicts)
    differences = len(result.conflicts) - opposing
    parts = [_pulled_down_by(result)]
    if differences:
        parts.append(f"{differences} difference{'s' if differences != 1 else ''} to talk over")
    parts.append("nothing serious against it" if opposing else "nothing against it")
    return ", ".join(parts)


def _pulled_down_by(result: PairResult) -> str:
    """What pulled a low score down: little shared mission, else the lowest component or the penalties."""
    mission = result.components.mission
    shown = "" if mission is None else f" (mission and goals {score_text(mission)}/100)"
    scored = [(key, value) for key in COMPONENTS if (value := getattr(result.components, key)) is not None]
    if not scored or (mission is not None and _low(mission)):
        return f"Little common ground found{shown}"
    # A high mission score with a low total: name what did pull it down, in the component table's words.
    key, lowest = min(scored, key=lambda item: item[1])
    if _low(lowest) or not result.conflicts:
        return f"{COMPONENTS[key]} {score_text(lowest)}/100 pulls the score down{shown}"
    # Every component at 40 or more: the findings' penalties took the score under 40.
    return f"Penalties for the findings pull the score down{shown}"


def _low(component: float) -> bool:
    # Compared as shown: a mission of 39.6 reads "40/100", which the note must not call low.
    return int(score_text(component)) < AT_RISK_BELOW
