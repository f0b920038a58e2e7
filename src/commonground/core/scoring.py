"""The overall compatibility score, the verdict and the reasons behind them.

Mission component (0–100) blends what is available of: where the missions meet (weight 0.5),
goal alignment from the goal matrix (0.3) and SDG overlap (0.2), re-weighted over the parts present.
Where the missions meet is the best of the missions' cosine, each goal's cosine with the other's
mission (both ways, computed in conflicts.py) and that of the closest pair of goals that help
each other, put on a ramp from 0.20 (0: typical of unrelated missions with this model) to
0.60 (1: two missions about the same cause), because raw cosines of sentence embeddings rarely fall
below 0.1 or rise above 0.7 for real mission statements; a company and a charity from different
fields often meet on one joint goal. Goal alignment starts at 0.5 (every goal neutral), moves up by
half the support — the larger of the priority-weighted share of goals the other partner supports
(best cell > 0, scaled by score/3) and the single strongest cell / 3 — and down by half the share
it works against (worst cell < 0, scaled by |score|/3), over both partners' goals. SDG overlap is
the weighted overlap coefficient Σ min(cₐ, c_b) / min(Σ cₐ, Σ c_b) of the SDG confidences: how much
of the narrower partner's SDG profile the other shares, so a broad partner is not penalised. When
goal alignment is below 0.5 the meeting and SDG parts are scaled by alignment / 0.5: sharing a topic
is not pulling the same way. The values component never falls below half the mission component
(:func:`values_component`).

Overall score: the weighted mean of the available components (:data:`COMPONENT_WEIGHTS`: mission
0.35, values 0.20, orientation 0.15, culture 0.15, stakeholders 0.15), minus a penalty per
conflict (:data:`SEVERITY_PENALTY`: blocker 30, high 10, medium 4, low 1; halved for kinds that
already lower a component — goal tension, value, culture, stakeholder, orientation), the total
penalty capped at 60, and the result clipped to 0–100.

Penalties have diminishing returns (:data:`REPEAT_FACTOR`): conflicts are grouped, taken worst
first within a group, and the n-th (from 0) counts ``REPEAT_FACTOR ** n`` of its penalty, so a
group never takes more than twice its worst penalty. A group is one underlying issue when the
conflict rests on a sensitive sector (a red line breached through a sector, a sector-map row, a
goal tension decided by a row: the same sector between the same partners), else one kind. One
issue tends to surface several times (the red line, the sector behind it, the goals that push
it); the first finding says most of it, and the verdict rules still see every severity.
Culture-gap and orientation conflicts carry no penalty of their own (:data:`INFORM_ONLY_KINDS`):
their components already put the gap into the score, and such differences are normal between a
company and a charity, so they inform the conversation rather than lower the score twice.

Verdict: ``blocked`` when any conflict is a blocker; else ``at_risk`` when the score is below 40
(:data:`AT_RISK_BELOW`) and something works against the partnership (a red line, sensitive sector,
goal tension or stakeholder conflict of at least medium severity, :data:`OPPOSING_KINDS`), there are
two or more high-severity conflicts, or one high-severity red line, sensitive sector or goal
tension; else ``aligned`` when the score is 60 or more (:data:`ALIGNED_FROM`) with no high-severity
conflict; else ``workable``. A low score with nothing working against it (missions that simply
share little, or differences in values and culture) is ``workable``: the questions say what to settle.

Score and verdict tell the same story: the score is capped at the top of the verdict's band
(:data:`VERDICT_CEILING`: blocked 20, at_risk 39, workable 59), so a blocked partnership never
shows 60 and an at-risk one never shows 80. When that lowers the score by a point or more, the
reasons say so in plain words ("Score lowered from 72 to 59: a high-severity conflict keeps it from
being aligned, and a workable partnership scores at most 59"); a change of less than a point (59.9
shown as 59, just under the aligned threshold) is not worth a line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from commonground.core.profiles import Priority
from commonground.core.results import (
    Components,
    Conflict,
    ConflictKind,
    ConflictSeverity,
    GoalMatrix,
    SdgScore,
    Verdict,
)
from commonground.core.wording import whole_number

COMPONENT_WEIGHTS: dict[str, float] = {
    "mission": 0.45,
    "values": 0.20,
    "orientation": 0.10,
    "culture": 0.10,
    "stakeholders": 0.15,
}
MISSION_PART_WEIGHTS: dict[str, float] = {"statement": 0.5, "goals": 0.3, "sdgs": 0.2}
# Share of the mission component a values component never falls below (see values_component).
VALUES_MISSION_FLOOR = 0.5
MISSION_SIMILARITY_FLOOR = 0.20
MISSION_SIMILARITY_CEILING = 0.60
SEVERITY_PENALTY: dict[ConflictSeverity, float] = {
    ConflictSeverity.BLOCKER: 30.0,
    ConflictSeverity.HIGH: 10.0,
    ConflictSeverity.MEDIUM: 4.0,
    ConflictSeverity.LOW: 1.0,
}
# These kinds already pull their own component down; a full penalty would count them twice.
# (Culture gaps and orientation pull theirs down too, but carry no penalty at all: INFORM_ONLY_KINDS.)
HALF_PENALTY_KINDS = frozenset({ConflictKind.GOAL_TENSION, ConflictKind.VALUE_GAP, ConflictKind.STAKEHOLDER})
# Differences that are normal across sectors; their component already scores them (see above).
INFORM_ONLY_KINDS = frozenset({ConflictKind.CULTURE_GAP, ConflictKind.ORIENTATION})
MAX_PENALTY = 60.0
REPEAT_FACTOR = 0.5
AT_RISK_BELOW = 40.0
ALIGNED_FROM = 60.0
AT_RISK_HIGH_CONFLICTS = 2
# The highest score each verdict may show (see the module docstring); aligned is uncapped.
VERDICT_CEILING: dict[Verdict, float] = {
    Verdict.BLOCKED: 20.0,
    Verdict.AT_RISK: AT_RISK_BELOW - 1.0,
    Verdict.WORKABLE: ALIGNED_FROM - 1.0,
}
_CEILING_WHY: dict[Verdict, str] = {
    Verdict.BLOCKED: "a blocker conflict blocks the partnership",
    Verdict.AT_RISK: "high-severity conflicts put the partnership at risk",
    Verdict.WORKABLE: "a high-severity conflict keeps it from being aligned",
}
# The verdict's band in the sentence naming its highest score ("a workable partnership scores at most 59").
BAND_WORDS: dict[Verdict, str] = {
    Verdict.BLOCKED: "a blocked partnership",
    Verdict.AT_RISK: "a partnership at risk",
    Verdict.WORKABLE: "a workable partnership",
}
# A cap that lowers the score by less than this many points is not worth a reason of its own: it only
# keeps a score just under a band's edge (59.9) from being shown rounded into the next band (60).
CAP_NOTED_FROM = 1.0


WEAK_FIT_WORDS = "weak fit"


def weak_fit(verdict: Verdict, score: float) -> bool:
    """Whether a verdict is workable on a score under 40: nothing against the partnership, a poor fit."""
    return verdict is Verdict.WORKABLE and score < AT_RISK_BELOW


def verdict_beside_score(verdict: Verdict, score: float) -> str:
    """A verdict's words beside its score: "workable, weak fit" under 40, never a bare "workable"."""
    return f"{verdict.words}, {WEAK_FIT_WORDS}" if weak_fit(verdict, score) else verdict.words


def cap_note(score: float, uncapped: float, why: str, band: str) -> str:
    """The reason saying the verdict's band lowered the score, in whole numbers as the score is shown."""
    top = whole_number(score)
    return f"Score lowered from {whole_number(uncapped)} to {top}: {why}, and {band} scores at most {top}"


MAX_REASONS = 6  # lines a person reads; the full list of conflicts is in the result anyway
# A high-severity finding from one of the brief's three conflict sources is a risk on its own.
SCREENED_KINDS = frozenset({ConflictKind.RED_LINE, ConflictKind.SENSITIVE_SECTOR, ConflictKind.GOAL_TENSION})
# Kinds that work against a partnership (rather than describe a difference between the partners):
# a low score puts a partnership at risk only when one of these is at least of medium severity.
OPPOSING_KINDS = SCREENED_KINDS | {ConflictKind.STAKEHOLDER}

COMPONENT_LABELS: dict[str, str] = {
    "mission": "mission and goals",
    "values": "values",
    "orientation": "profit–purpose orientation",
    "culture": "culture",
    "stakeholders": "stakeholders",
}


def goal_alignment(matrix: GoalMatrix) -> float | None:
    """Goal alignment 0–1 from the goal matrix (0.5 = all neutral); None when a side has no goals.

    Support is the larger of the priority-weighted share of goals the other partner supports and
    the single strongest goal synergy: a good partnership rarely shares every goal, and one goal
    both partners pursue together is common ground in its own right.
    """
    if not matrix.rows or not matrix.columns:
        return None
    support = against = total = 0.0
    strongest = 0
    n_rows, n_cols = len(matrix.rows), len(matrix.columns)
    sides = (
        (matrix.rows, [[matrix.cells[i][j] for j in range(n_cols)] for i in range(n_rows)]),
        (matrix.columns, [[matrix.cells[i][j] for i in range(n_rows)] for j in range(n_cols)]),
    )
    for refs, lines in sides:
        for ref, line in zip(refs, lines, strict=True):
            scores = [c.score for c in line if c is not None]
            if not scores:
                continue
            weight = Priority(ref.priority).weight if ref.priority in Priority._value2member_map_ else 2.0
            total += weight
            best, worst = max(scores), min(scores)
            strongest = max(strongest, best)
            if best > 0:
                support += weight * best / 3.0
            if worst < 0:
                against += weight * -worst / 3.0
    if total == 0:
        return None
    support_share = max(support / total, strongest / 3.0)
    return min(1.0, max(0.0, 0.5 + 0.5 * support_share - 0.5 * against / total))


def shared_goal_similarity(matrix: GoalMatrix) -> float | None:
    """Similarity of the closest pair of goals that help each other (cell ≥ +1), if any."""
    sims = [c.similarity for line in matrix.cells for c in line if c is not None and c.score >= 1]
    return max(sims) if sims else None


def sdg_overlap(a: Sequence[SdgScore], b: Sequence[SdgScore]) -> float | None:
    """Weighted overlap 0–1 of two partners' SDG confidences; None when either has none."""
    if not a or not b:
        return None
    ca = {s.sdg: s.confidence for s in a}
    cb = {s.sdg: s.confidence for s in b}
    shared = sum(min(ca[g], cb[g]) for g in sorted(set(ca) & set(cb)))
    smaller = min(sum(ca.values()), sum(cb.values()))
    return min(1.0, shared / smaller) if smaller else None


def statement_alignment(mission_similarity: float) -> float:
    """Mission cosine similarity mapped onto 0–1 by the floor–ceiling ramp."""
    span = MISSION_SIMILARITY_CEILING - MISSION_SIMILARITY_FLOOR
    return min(1.0, max(0.0, (mission_similarity - MISSION_SIMILARITY_FLOOR) / span))


def mission_component(
    mission_similarity: float | None,
    matrix: GoalMatrix,
    sdgs_a: Sequence[SdgScore],
    sdgs_b: Sequence[SdgScore],
) -> float | None:
    """Mission component 0–100 from where the missions meet, goal alignment and SDG overlap.

    Where the missions meet is the better of the statements' similarity and that of the closest
    pair of mutually helpful goals, both on the same ramp: a company and a charity from different
    fields often meet on one joint goal. Statement and SDG overlap say the partners work on the
    same topic, not that they pull the same way: when the goals on balance work against each
    other (goal alignment below 0.5), both are scaled by goal alignment / 0.5, so rivals on the
    same ground are not scored as allies.
    """
    goals = goal_alignment(matrix)
    statement = None if mission_similarity is None else statement_alignment(mission_similarity)
    shared_goal = shared_goal_similarity(matrix)
    if shared_goal is not None:
        statement = max(statement or 0.0, statement_alignment(shared_goal))
    sdgs = sdg_overlap(sdgs_a, sdgs_b)
    if goals is not None and goals < 0.5:
        direction = goals / 0.5
        statement = None if statement is None else statement * direction
        sdgs = None if sdgs is None else sdgs * direction
    parts = {"statement": statement, "goals": goals, "sdgs": sdgs}
    present = {k: v for k, v in parts.items() if v is not None}
    if not present:
        return None
    weight = sum(MISSION_PART_WEIGHTS[k] for k in present)
    return round(100.0 * sum(MISSION_PART_WEIGHTS[k] * v for k, v in present.items()) / weight, 1)


def values_component(named: float | None, mission: float | None) -> float | None:
    """Values component: the named-values score, but never below half the mission component.

    Value lists are three or four words each; two partners that put the same values in different
    words ("Public service" and "Everyone welcome") score near 0 by name, which would claim they
    share no values at all. Partners that pursue the same mission share at least the values that
    mission implies, so the component falls back to :data:`VALUES_MISSION_FLOOR` × the mission
    component when the lists barely overlap. Null when the named-values score is null.
    """
    if named is None:
        return None
    if mission is None:
        return named
    return round(max(named, VALUES_MISSION_FLOOR * mission), 1)


@dataclass(frozen=True)
class Score:
    """Overall score, verdict and the reasons, most influential first."""

    score: float
    verdict: Verdict
    reasons: list[str]
    uncapped: float | None = None  # the score before the verdict's band cap, when a cap applied


def _kind(conflict: Conflict) -> str:
    return conflict.kind.words


def _penalty(conflict: Conflict) -> float:
    if conflict.kind in INFORM_ONLY_KINDS:
        return 0.0
    base = SEVERITY_PENALTY[conflict.severity]
    return base / 2.0 if conflict.kind in HALF_PENALTY_KINDS else base


_SECTOR_KINDS = frozenset({ConflictKind.RED_LINE, ConflictKind.SENSITIVE_SECTOR, ConflictKind.GOAL_TENSION})


def _issue(conflict: Conflict) -> tuple[str, ...]:
    """The group a conflict's penalty diminishes within: its sector and pair, else its kind."""
    row = conflict.evidence.data_row
    if conflict.kind in _SECTOR_KINDS and row:
        return ("sector", row.split("->")[0], *sorted(conflict.parties))
    return ("kind", conflict.kind.value)


def _diminished(conflicts: Sequence[Conflict]) -> list[tuple[Conflict, float]]:
    """Each conflict with its penalty after diminishing returns per kind, in input order."""
    by_kind: dict[tuple[str, ...], list[int]] = {}
    for i, c in enumerate(conflicts):
        by_kind.setdefault(_issue(c), []).append(i)
    factor = [1.0] * len(conflicts)
    for indices in by_kind.values():
        ranked = sorted(indices, key=lambda i: (-_penalty(conflicts[i]), i))
        for n, i in enumerate(ranked):
            factor[i] = REPEAT_FACTOR**n
    return [(c, round(_penalty(c) * factor[i], 2)) for i, c in enumerate(conflicts)]


def verdict_for(score: float, conflicts: Sequence[Conflict]) -> Verdict:
    """Verdict from the score and the conflicts' severities (see the module docstring)."""
    if any(c.severity is ConflictSeverity.BLOCKER for c in conflicts):
        return Verdict.BLOCKED
    high = [c for c in conflicts if c.severity is ConflictSeverity.HIGH]
    highs = len(high)
    screened_high = any(c.kind in SCREENED_KINDS for c in high)
    # Little common ground is a question to settle, not a risk, unless something works against it.
    opposed = any(
        c.kind in OPPOSING_KINDS and c.severity.rank <= ConflictSeverity.MEDIUM.rank for c in conflicts
    )
    if (score < AT_RISK_BELOW and opposed) or highs >= AT_RISK_HIGH_CONFLICTS or screened_high:
        return Verdict.AT_RISK
    if score >= ALIGNED_FROM and highs == 0:
        return Verdict.ALIGNED
    return Verdict.WORKABLE


# The conflicts that are about a component: a "strong fit" on it next to one of them would read as a
# contradiction (a profit–purpose gap that is usual for a company and a charity scores 100 and is still
# worth a conversation), so the reason then names the score and the conflict together.
COMPONENT_CONFLICTS: dict[str, frozenset[ConflictKind]] = {
    "mission": frozenset({ConflictKind.GOAL_TENSION}),
    "values": frozenset({ConflictKind.VALUE_GAP}),
    "culture": frozenset({ConflictKind.CULTURE_GAP}),
    "stakeholders": frozenset({ConflictKind.STAKEHOLDER}),
    "orientation": frozenset({ConflictKind.ORIENTATION}),
}


def _component_reason(key: str, value: float, conflicts: Sequence[Conflict] = ()) -> str:
    label = COMPONENT_LABELS[key]
    on_it = sum(1 for c in conflicts if c.kind in COMPONENT_CONFLICTS.get(key, frozenset()))
    if value >= 75 and on_it:
        things = "a conflict" if on_it == 1 else f"{on_it} conflicts"
        return f"{label[0].upper()}{label[1:]} scores {value:.0f}/100, with {things} on it to settle"
    if value >= 75:
        word = "strong fit on"
    elif value >= 50:
        word = "partial fit on"
    else:
        word = "weak fit on"
    return f"{word.capitalize()} {label} ({value:.0f}/100)"


def overall(components: Components, conflicts: Sequence[Conflict]) -> Score:
    """Overall score 0–100, verdict and plain-word reasons from the components and conflicts."""
    available = {k: v for k, v in components.model_dump().items() if v is not None and k in COMPONENT_WEIGHTS}
    weight = sum(COMPONENT_WEIGHTS[k] for k in available)
    base = sum(COMPONENT_WEIGHTS[k] * v for k, v in available.items()) / weight if weight else 50.0
    penalties = _diminished(conflicts)
    total_penalty = min(MAX_PENALTY, sum(p for _, p in penalties))
    score = round(min(100.0, max(0.0, base - total_penalty)), 1)
    verdict = verdict_for(score, conflicts)
    ceiling = VERDICT_CEILING.get(verdict)
    uncapped: float | None = None
    if ceiling is not None and score > ceiling:
        uncapped, score = score, ceiling

    # Influence: a component's pull away from the midpoint 50, in score points; a conflict's penalty.
    influences: list[tuple[float, int, str]] = []
    for order, (key, value) in enumerate(available.items()):
        pull = abs(value - 50.0) * COMPONENT_WEIGHTS[key] / weight
        influences.append((pull, 100 + order, _component_reason(key, value, conflicts)))
    for order, (conflict, penalty) in enumerate(penalties):
        if conflict.severity is ConflictSeverity.BLOCKER:
            text = f"Blocker ({_kind(conflict)}): {conflict.summary}"
            influences.append((float("inf"), order, text))
        else:
            text = f"{conflict.severity.value.capitalize()} {_kind(conflict)}: {conflict.summary}"
            influences.append((penalty, order, f"{text} (−{penalty:g} points)"))
    # Findings that moved the score by less than a tenth of a point are left to the conflict list.
    influences = [t for t in influences if t[0] >= 0.1]
    influences.sort(key=lambda t: (-t[0], t[1]))
    notes: list[str] = []
    # A workable score without a high-severity conflict is under 60 already: its cap (59.9 -> 59) is
    # always under a point, so only a conflict's cap is ever worded.
    if uncapped is not None and uncapped - score >= CAP_NOTED_FROM:
        notes.append(cap_note(score, uncapped, _CEILING_WHY[verdict], BAND_WORDS[verdict]))
    missing = [COMPONENT_LABELS[k] for k in COMPONENT_WEIGHTS if k not in available]
    if missing:
        notes.append(f"Not scored for lack of input: {', '.join(missing)}")
    if total_penalty < sum(p for _, p in penalties):
        notes.append(f"Conflict penalties were capped at {MAX_PENALTY:g} points")
    room = MAX_REASONS - len(notes)
    if len(influences) > room:
        room -= 1
        rest = len(influences) - room
        notes.insert(0, f"…and {rest} smaller finding{'s' if rest > 1 else ''} (see the conflicts)")
    reasons = [text for _, _, text in influences[:room]] + notes
    return Score(score=score, verdict=verdict, reasons=reasons, uncapped=uncapped)
