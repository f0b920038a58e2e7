"""Overall score, verdict and reasons."""

from __future__ import annotations

import pytest

from commonground.core.results import (
    Components,
    Conflict,
    ConflictKind,
    ConflictSeverity,
    Evidence,
    GoalCell,
    GoalMatrix,
    GoalRef,
    SdgScore,
    Verdict,
)
from commonground.core.scoring import (
    ALIGNED_FROM,
    AT_RISK_BELOW,
    VERDICT_CEILING,
    Score,
    goal_alignment,
    mission_component,
    overall,
    sdg_overlap,
    values_component,
    verdict_beside_score,
)


def conflict(kind: ConflictKind, severity: ConflictSeverity, summary: str = "something") -> Conflict:
    return Conflict(
        kind=kind, severity=severity, parties=["A", "B"], summary=summary, evidence=Evidence(rule="test")
    )


def components(value: float | None = 90.0, **overrides: float | None) -> Components:
    data = dict.fromkeys(("mission", "values", "culture", "stakeholders", "orientation"), value) | overrides
    return Components(**data)


def cell(score: int) -> GoalCell:
    relation = "synergy" if score > 0 else "tension" if score < 0 else "neutral"
    return GoalCell(score=score, label="x", relation=relation, similarity=0.5, reason="test")


def ref(party: str, n: int, priority: str = "medium") -> GoalRef:
    return GoalRef(party=party, id=f"g{n}", text=f"goal {n}", priority=priority)


def test_a_blocker_makes_the_verdict_blocked_whatever_the_other_scores() -> None:
    result = overall(
        components(100.0), [conflict(ConflictKind.RED_LINE, ConflictSeverity.BLOCKER, "No tobacco")]
    )
    assert result.verdict is Verdict.BLOCKED
    assert result.reasons[0].startswith("Blocker (red line): No tobacco")


def test_verdict_thresholds() -> None:
    assert overall(components(90.0), []).verdict is Verdict.ALIGNED
    assert overall(components(60.0), []).verdict is Verdict.ALIGNED
    assert overall(components(55.0), []).verdict is Verdict.WORKABLE
    # Little common ground but nothing working against it: workable, not at risk.
    assert overall(components(42.0), []).verdict is Verdict.WORKABLE
    # A low score alone is a question to settle; with something working against it, a risk.
    assert overall(components(35.0), []).verdict is Verdict.WORKABLE
    gaps_only = [conflict(ConflictKind.VALUE_GAP, ConflictSeverity.MEDIUM)]
    assert overall(components(35.0), gaps_only).verdict is Verdict.WORKABLE
    tension = [conflict(ConflictKind.GOAL_TENSION, ConflictSeverity.MEDIUM)]
    assert overall(components(35.0), tension).verdict is Verdict.AT_RISK
    # One high finding from a conflict source (red line, sector, goal tension) is a risk on its own.
    one_high = [conflict(ConflictKind.SENSITIVE_SECTOR, ConflictSeverity.HIGH)]
    assert overall(components(95.0), one_high).verdict is Verdict.AT_RISK
    one_high_stakeholder = [conflict(ConflictKind.STAKEHOLDER, ConflictSeverity.HIGH)]
    assert overall(components(95.0), one_high_stakeholder).verdict is Verdict.WORKABLE
    two_high = [*one_high_stakeholder, conflict(ConflictKind.VALUE_GAP, ConflictSeverity.HIGH, "other")]
    assert overall(components(95.0), two_high).verdict is Verdict.AT_RISK


def _raw(result: Score) -> float:
    """The score before the verdict's band cap."""
    return result.uncapped if result.uncapped is not None else result.score


def test_score_never_contradicts_the_verdict() -> None:
    high = components(90.0)
    blocked = overall(high, [conflict(ConflictKind.RED_LINE, ConflictSeverity.BLOCKER)])
    assert blocked.verdict is Verdict.BLOCKED
    assert blocked.score == VERDICT_CEILING[Verdict.BLOCKED]
    assert any(
        r.startswith("Score lowered from ")
        and r.endswith(
            " to 20: a blocker conflict blocks the partnership, and a blocked partnership scores at most 20"
        )
        for r in blocked.reasons
    )
    at_risk = overall(high, [conflict(ConflictKind.SENSITIVE_SECTOR, ConflictSeverity.HIGH)])
    assert at_risk.verdict is Verdict.AT_RISK
    assert at_risk.score < AT_RISK_BELOW
    assert any(
        ": high-severity conflicts put the partnership at risk, and a partnership at risk" in r
        for r in at_risk.reasons
    )
    workable = overall(high, [conflict(ConflictKind.VALUE_GAP, ConflictSeverity.HIGH)])
    assert workable.verdict is Verdict.WORKABLE
    assert workable.score < ALIGNED_FROM
    clean = overall(high, [])
    assert clean.verdict is Verdict.ALIGNED
    assert clean.uncapped is None
    assert not any("Score lowered" in r for r in clean.reasons)


def test_score_is_weighted_mean_of_available_components_minus_penalties() -> None:
    only_two = components(None, mission=80.0, values=60.0)
    # (0.45 × 80 + 0.20 × 60) / 0.65
    assert overall(only_two, []).score == 73.8
    penalised = overall(only_two, [conflict(ConflictKind.SENSITIVE_SECTOR, ConflictSeverity.HIGH)])
    assert _raw(penalised) == 63.8
    half = overall(only_two, [conflict(ConflictKind.VALUE_GAP, ConflictSeverity.HIGH)])
    assert _raw(half) == 68.8
    # Culture and orientation gaps inform; their components already carry them.
    assert overall(only_two, [conflict(ConflictKind.CULTURE_GAP, ConflictSeverity.MEDIUM)]).score == 73.8
    assert any(
        "Not scored for lack of input: profit–purpose orientation, culture, stakeholders" in r
        for r in half.reasons
    )


def test_reasons_put_the_most_influential_first() -> None:
    result = overall(components(60.0, mission=5.0), [conflict(ConflictKind.VALUE_GAP, ConflictSeverity.LOW)])
    assert result.reasons[0] == "Weak fit on mission and goals (5/100)"
    assert result.reasons[-1].startswith("Low value gap")


def test_a_score_just_under_aligned_is_kept_in_its_band_without_a_reason_about_it() -> None:
    result = overall(components(59.9), [])
    assert (result.verdict, result.score, result.uncapped) == (Verdict.WORKABLE, 59.0, 59.9)
    # Under a point: no "Score capped at 59 (from 59.9) because a score under 60 is workable" to puzzle over.
    assert not any(r.startswith(("Score lowered", "Score capped")) for r in result.reasons)
    assert not any("high-severity" in r for r in result.reasons)


def test_a_cap_of_a_point_or_more_says_the_band_rule_in_whole_numbers() -> None:
    workable = overall(components(90.0), [conflict(ConflictKind.VALUE_GAP, ConflictSeverity.HIGH)])
    assert workable.verdict is Verdict.WORKABLE
    assert workable.uncapped is not None
    assert workable.uncapped - workable.score >= 1
    (note,) = [r for r in workable.reasons if r.startswith("Score lowered")]
    assert note == (
        f"Score lowered from {round(workable.uncapped)} to 59: a high-severity conflict keeps it from being "
        "aligned, and a workable partnership scores at most 59"
    )


def test_goal_alignment_moves_from_neutral() -> None:
    rows, cols = [ref("A", 1, "high"), ref("A", 2)], [ref("B", 1)]
    neutral = GoalMatrix(rows=rows, columns=cols, cells=[[cell(0)], [cell(0)]])
    assert goal_alignment(neutral) == 0.5
    good = GoalMatrix(rows=rows, columns=cols, cells=[[cell(3)], [cell(3)]])
    assert goal_alignment(good) == 1.0
    bad = GoalMatrix(rows=rows, columns=cols, cells=[[cell(-3)], [cell(0)]])
    assert goal_alignment(bad) is not None
    assert goal_alignment(bad) < 0.5
    assert goal_alignment(GoalMatrix(rows=rows, columns=[], cells=[[], []])) is None


def test_mission_component_uses_what_is_there() -> None:
    empty = GoalMatrix(rows=[], columns=[], cells=[])
    assert mission_component(0.8, empty, [], []) == 100.0
    assert mission_component(0.4, empty, [], []) == 50.0
    assert mission_component(0.1, empty, [], []) == 0.0
    sdgs = [SdgScore(sdg=3, confidence=0.8)]
    assert sdg_overlap(sdgs, sdgs) == 1.0
    # Statement 0.4 → 0.5 on the ramp, SDGs disjoint → 0: (0.5 × 0.5 + 0.2 × 0) / 0.7
    assert mission_component(0.4, empty, sdgs, [SdgScore(sdg=13, confidence=0.9)]) == 35.7
    broad = [
        SdgScore(sdg=3, confidence=0.8),
        SdgScore(sdg=4, confidence=0.8),
        SdgScore(sdg=5, confidence=0.8),
    ]
    assert sdg_overlap(sdgs, broad) == 1.0  # all the narrower partner does, the broader one shares


def test_related_missions_score_well_above_unrelated_ones() -> None:
    from commonground.core.semantics.engines import get_engine

    engine = get_engine()
    food = "Improve the health of families in the county by making healthy food affordable."
    grocer = "Sell affordable fresh produce in neighbourhoods that lack grocery stores, improving diets."
    literacy = "Help every child in the region learn to read by age eight."
    v = engine.embed([food, grocer, literacy])
    empty = GoalMatrix(rows=[], columns=[], cells=[])
    related = mission_component(float(v[0] @ v[1]), empty, [], [])
    unrelated = mission_component(float(v[0] @ v[2]), empty, [], [])
    assert related is not None
    assert related >= 75
    assert unrelated is not None
    assert unrelated <= 25


def test_one_sector_issue_found_many_ways_has_diminishing_penalties() -> None:
    def on_row(kind: ConflictKind, severity: ConflictSeverity, row: str, summary: str) -> Conflict:
        return Conflict(
            kind=kind,
            severity=severity,
            parties=["A", "B"],
            summary=summary,
            evidence=Evidence(rule="test", data_row=row),
        )

    same_issue = [
        on_row(ConflictKind.RED_LINE, ConflictSeverity.HIGH, "unhealthy_food", "red line"),
        on_row(ConflictKind.SENSITIVE_SECTOR, ConflictSeverity.HIGH, "unhealthy_food->nutrition", "sector"),
        on_row(ConflictKind.GOAL_TENSION, ConflictSeverity.HIGH, "unhealthy_food->health", "goal"),
    ]
    base = overall(components(80.0), []).score
    # 10 + 10 × 0.5 + 5 × 0.25: the first finding carries the issue, repeats add less and less.
    # The verdict's band cap hides the arithmetic, so the penalties are checked before it.
    assert _raw(overall(components(80.0), same_issue)) == pytest.approx(base - 16.25, abs=0.05)
    other_sector = on_row(ConflictKind.SENSITIVE_SECTOR, ConflictSeverity.HIGH, "alcohol->child_youth", "b")
    assert _raw(overall(components(80.0), [*same_issue, other_sector])) == pytest.approx(
        base - 26.25, abs=0.05
    )
    # Same kind, no sector: diminishing per kind (4 + 2 + 1).
    gaps = [conflict(ConflictKind.STAKEHOLDER, ConflictSeverity.HIGH, f"s{i}") for i in range(3)]
    assert _raw(overall(components(80.0), gaps)) == pytest.approx(base - 8.75, abs=0.05)


def test_one_strong_shared_goal_counts_as_common_ground() -> None:
    # Four goals, one pair reinforcing: the best pair, not the average, sets the support.
    rows, cols = [ref("A", 1, "high"), ref("A", 2)], [ref("B", 1, "high"), ref("B", 2)]
    one = GoalMatrix(rows=rows, columns=cols, cells=[[cell(0), cell(0)], [cell(0), cell(3)]])
    assert goal_alignment(one) == 1.0
    # Missions far apart (0.1 → 0) but the goal pair at 0.5 similarity meets on the ramp (0.75).
    assert mission_component(0.1, one, [], []) == round(100 * (0.5 * 0.75 + 0.3 * 1.0) / 0.8, 1)


def test_similar_missions_with_opposing_goals_are_not_allies() -> None:
    rows, cols = [ref("A", 1, "high")], [ref("B", 1, "high")]
    clash = GoalMatrix(rows=rows, columns=cols, cells=[[cell(-2)]])
    neutral = GoalMatrix(rows=rows, columns=cols, cells=[[cell(0)]])
    assert mission_component(0.8, clash, [], []) < 40 < mission_component(0.8, neutral, [], [])


def test_values_fall_back_to_half_the_mission_when_lists_differ_in_words() -> None:
    assert values_component(0.0, 80.0) == 40.0
    assert values_component(70.0, 80.0) == 70.0
    assert values_component(None, 80.0) is None
    assert values_component(10.0, None) == 10.0


def test_a_strong_component_with_a_conflict_on_it_is_not_called_a_strong_fit() -> None:
    # A profit–purpose gap usual for a company and a charity scores 100 yet still raises a conflict:
    # "Strong fit on profit–purpose orientation" next to that conflict would contradict it.
    gap = conflict(ConflictKind.ORIENTATION, ConflictSeverity.LOW, "profit-led and purpose-driven")
    reasons = overall(components(60.0, orientation=100.0), [gap]).reasons
    assert not any("Strong fit on profit–purpose" in r for r in reasons)
    assert "Profit–purpose orientation scores 100/100, with a conflict on it to settle" in reasons
    # Without the conflict it is a strong fit, said plainly.
    plain = overall(components(60.0, orientation=100.0), []).reasons
    assert "Strong fit on profit–purpose orientation (100/100)" in plain


def test_reasons_name_conflict_kinds_in_words() -> None:
    gap = conflict(ConflictKind.VALUE_GAP, ConflictSeverity.MEDIUM, "values differ")
    reasons = overall(components(60.0), [gap]).reasons
    assert any(r.startswith("Medium value gap: values differ (−") and r.endswith(" points)") for r in reasons)
    assert not any("_" in r for r in reasons)


def test_a_workable_verdict_under_40_is_worded_as_a_weak_fit_beside_its_score() -> None:
    # A coalition's reasons list each pair as "A × B: 12 (workable, weak fit) — …", not "(workable)".
    assert verdict_beside_score(Verdict.WORKABLE, 12.0) == "workable, weak fit"
    assert verdict_beside_score(Verdict.WORKABLE, 45.0) == "workable"
    assert verdict_beside_score(Verdict.AT_RISK, 12.0) == "at risk"
