"""Coalitions: up to 200 partners, the summary, score and verdict, duplicates, partners as stakeholders."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest
from pydantic import ValidationError

from commonground.core import assessment
from commonground.core.assessment import assess_profiles
from commonground.core.coalition import ATTENTION_PAIRS, coalition_summary, pair_summary
from commonground.core.profiles import MAX_PARTNERS, Partnership, Profile
from commonground.core.results import (
    AssessmentResult,
    Components,
    Conflict,
    ConflictKind,
    ConflictSeverity,
    CultureView,
    Evidence,
    GoalCell,
    GoalMatrix,
    GoalRef,
    PairResult,
    PairSummary,
    SdgOverlap,
    SdgScore,
    ValueComparison,
    Verdict,
)
from commonground.core.scoring import VERDICT_CEILING


def org(name: str, **extra: Any) -> Profile:
    """A small valid profile."""
    return Profile.model_validate(
        {"name": name, "kind": "nonprofit", "mission": f"{name} helps people.", **extra}
    )


def conflict(a: str, b: str, severity: ConflictSeverity, summary: str = "") -> Conflict:
    """A conflict between two partners."""
    return Conflict(
        kind=ConflictKind.RED_LINE,
        severity=severity,
        parties=[a, b],
        summary=summary or f"{a} and {b} clash ({severity.value})",
        evidence=Evidence(rule="red_line.semantic"),
    )


def pair(
    a: str,
    b: str,
    score: float,
    verdict: Verdict,
    severities: tuple[ConflictSeverity, ...] = (),
    goal_score: int | None = None,
) -> PairResult:
    """A hand-made pair result: one goal each, with a goal cell of ``goal_score`` when given."""
    rows = [GoalRef(party=a, id="g1", text=f"{a}'s goal", priority="high")]
    cols = [GoalRef(party=b, id="g1", text=f"{b}'s goal", priority="high")]
    cell = (
        GoalCell(score=goal_score, label="x", relation="synergy", similarity=0.5, reason="r")
        if goal_score is not None
        else None
    )
    return PairResult(
        parties=[a, b],
        score=score,
        verdict=verdict,
        components=Components(mission=None, values=None, culture=None, stakeholders=None, orientation=None),
        conflicts=[conflict(a, b, s) for s in severities],
        synergies=[],
        goal_matrix=GoalMatrix(rows=rows, columns=cols, cells=[[cell]]),
        sdgs=SdgOverlap(partners={a: [], b: []}, shared=[]),
        questions=[],
        values=[],
        culture=CultureView(profiles={}, gaps={}),
        stakeholders=[],
        initiatives=[],
        reasons=[f"{a} × {b}"],
    )


B, H = ConflictSeverity.BLOCKER, ConflictSeverity.HIGH


def test_a_partnership_takes_up_to_200_partners_and_says_so_beyond() -> None:
    many = [org(f"Org {k}") for k in range(MAX_PARTNERS + 1)]
    assert MAX_PARTNERS == 200
    assert len(Partnership(partners=many[:MAX_PARTNERS]).partners) == 200
    with pytest.raises(ValidationError, match="at most 200 partners, got 201"):
        Partnership(partners=many)


def test_the_same_profile_twice_is_one_partner_and_two_profiles_under_one_name_are_refused() -> None:
    a, b = org("Alpha"), org("Beta")
    assert [p.name for p in Partnership(partners=[a, b, a]).partners] == ["Alpha", "Beta"]
    with pytest.raises(ValidationError, match="partner names must be unique; repeated: Alpha"):
        Partnership(partners=[a, b, org("Alpha", mission="Something else entirely.")])
    with pytest.raises(ValidationError, match="same profile given twice"):
        Partnership(partners=[a, a])


def test_summary_finds_clashing_groups_attention_pairs_and_ties() -> None:
    # A–B blocked, B–C high: one group of three around B; D–E high: a second group; F clashes with no one.
    names = ["A", "B", "C", "D", "E", "F"]
    scores = {
        ("A", "B"): (10.0, Verdict.BLOCKED, (B, H)),
        ("B", "C"): (35.0, Verdict.AT_RISK, (H,)),
        ("D", "E"): (38.0, Verdict.AT_RISK, (H,)),
        ("A", "F"): (90.0, Verdict.ALIGNED, ()),
        ("E", "F"): (55.0, Verdict.WORKABLE, (ConflictSeverity.MEDIUM,)),
    }
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            score, verdict, sev = scores.get((a, b), (70.0, Verdict.ALIGNED, ()))
            pairs.append(pair(a, b, score, verdict, sev, goal_score=2 if a == "A" else 0))
    sdgs = {
        n: [SdgScore(sdg=13, confidence=0.9)] + ([SdgScore(sdg=2, confidence=0.5)] if n < "C" else [])
        for n in names
    }
    values = [ValueComparison(value="Trust", weights={n: 3.0 for n in names[:4]}, closest={})]
    summary = coalition_summary(names, pairs, sdgs=sdgs, values=values)

    assert summary.partners == 6
    assert summary.pairs == 15
    assert summary.verdicts == {"aligned": 11, "workable": 1, "at_risk": 2, "blocked": 1}
    assert [(c.parties, c.pairs, c.worst, c.hub) for c in summary.clusters] == [
        (["A", "B", "C"], 2, B, "B"),
        (["D", "E"], 1, H, "D"),
    ]
    # Worst verdict first, then most serious conflicts, then the lowest score; aligned pairs never.
    assert [a.parties for a in summary.attention] == [["A", "B"], ["B", "C"], ["D", "E"], ["E", "F"]]
    assert summary.attention[0].why[0].startswith("Blocker: A and B clash")
    ties = {t.party: t for t in summary.ties}
    assert (ties["A"].strongest.party, ties["A"].weakest.party) == ("F", "B")
    assert (ties["F"].strongest.party, ties["F"].weakest.party) == ("A", "E")
    assert ties["B"].clashes == 2
    assert ties["F"].clashes == 0
    # SDG 13 is everyone's, SDG 2 only A's and B's (not most); Trust is held by four of six.
    assert [(s.sdg, s.partners) for s in summary.common_ground.sdgs] == [(13, 6)]
    assert [(v.value, v.partners) for v in summary.common_ground.values] == [("Trust", 4)]
    # A's goal is supported by every other partner's goal (cells +2), so it leads the common goals.
    assert (summary.common_ground.goals[0].party, summary.common_ground.goals[0].partners) == ("A", 5)


def test_only_a_reinforcing_goal_counts_as_support_in_the_common_ground() -> None:
    # Every pair with A has a goal cell of +1 (enabling: what the goal-interaction model alone gives
    # many pairs of unrelated worthy goals); only B's pairs reach +2, a synergy.
    names = ["A", "B", "C", "D"]
    pairs = [
        pair(a, b, 70.0, Verdict.ALIGNED, goal_score=2 if a == "B" or b == "B" else 1)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    ]
    goals = coalition_summary(names, pairs, sdgs={}, values=[]).common_ground.goals
    # B's goal is supported by all three others; A's only by B, as C's and D's are (the +1s do not count).
    assert [(g.party, g.partners) for g in goals] == [("B", 3), ("A", 1), ("C", 1), ("D", 1)]


def test_attention_is_bounded_and_empty_for_an_aligned_coalition() -> None:
    names = [f"P{k}" for k in range(30)]
    blocked = [pair(a, b, 5.0, Verdict.BLOCKED, (B,)) for i, a in enumerate(names) for b in names[i + 1 :]]
    assert len(coalition_summary(names, blocked, sdgs={}, values=[]).attention) == ATTENTION_PAIRS
    aligned = [pair(a, b, 80.0, Verdict.ALIGNED) for i, a in enumerate(names) for b in names[i + 1 :]]
    summary = coalition_summary(names, aligned, sdgs={}, values=[])
    assert summary.attention == []
    assert summary.clusters == []


def _fake_pair(a: Profile, b: Profile, *_: Any) -> PairResult:
    """A pair judged from its partners' numbers: 200 partners in seconds (the engine is not tested here)."""
    i, j = int(a.name.split()[-1]), int(b.name.split()[-1])
    if (i + j) % 97 == 0:
        return pair(a.name, b.name, 12.0, Verdict.BLOCKED, (B,))
    if (i * j) % 13 == 0:
        return pair(a.name, b.name, 36.0, Verdict.AT_RISK, (H,))
    if (i + j) % 40 < 10:
        return pair(a.name, b.name, 50.0 + (i + j) % 40, Verdict.WORKABLE, (ConflictSeverity.MEDIUM,))
    return pair(a.name, b.name, 60.0 + (i + j) % 40, Verdict.ALIGNED)


def test_200_partners_give_one_story_and_no_partner_is_its_own_stakeholder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every partner names the next one as a (powerful, opposed) stakeholder, and an outsider too.
    profiles = [
        org(
            f"Org {k}",
            stakeholders=[
                {"name": f"Org {(k + 1) % 200}", "power": 5, "interest": 5, "stance": "opposed"},
                {"name": "Local council", "power": 4, "interest": 3, "stance": "neutral"},
            ],
        )
        for k in range(200)
    ]
    monkeypatch.setattr(assessment, "_pair", _fake_pair)
    result = assess_profiles(Partnership(partners=profiles).partners)

    assert len(result.pairs) == 19_900
    assert result.verdict is Verdict.BLOCKED  # the worst pair
    assert result.score <= VERDICT_CEILING[Verdict.BLOCKED]
    assert result.coalition is not None
    assert result.coalition.partners == 200
    assert sum(result.coalition.verdicts.values()) == 19_900
    partners = {p.name for p in profiles}
    assert [s.name for s in result.stakeholders] == ["Local council"]
    assert not partners & set(result.shared.stakeholders)
    # The coalition-wide goal matrix would be a million cells, and the top level lists only the
    # serious conflicts; each pair is kept short: its counts, its worst findings, its goal cells.
    assert all(isinstance(p, PairSummary) for p in result.pairs)
    assert any(c.severity is ConflictSeverity.MEDIUM for p in result.pairs for c in p.conflicts)
    assert sum(p.conflict_counts["blocker"] for p in result.pairs) == sum(
        1 for p in result.pairs if p.verdict is Verdict.BLOCKED
    )
    assert {c.severity for c in result.conflicts} == {B, H}
    assert result.goal_matrix.rows == []
    assert all(p.goal_pairs == 1 for p in result.pairs[:5])


def test_above_twenty_partners_pairs_are_summaries_and_every_full_pair_goes_to_pair_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 21 partners: the first size whose pairs are kept short. Many conflicts each, to check the cut.
    def crowded(a: Profile, b: Profile, *_: Any) -> PairResult:
        full = _fake_pair(a, b)
        extra = [conflict(a.name, b.name, ConflictSeverity.LOW, f"low {k}") for k in range(5)]
        return full.model_copy(update={"conflicts": [*full.conflicts, *extra]})

    profiles = [org(f"Org {k}") for k in range(assessment.FULL_DETAIL_PARTNERS + 1)]
    monkeypatch.setattr(assessment, "_pair", crowded)
    lines: list[str] = []
    result = assess_profiles(profiles, pair_json=lines.append)

    full = [PairResult.model_validate_json(line) for line in lines]
    names = [p.name for p in profiles]
    assert [f.parties for f in full] == [list(ab) for ab in combinations(names, 2)]  # pair order
    assert result.pairs == [pair_summary(f) for f in full]
    first = result.pairs[0]
    assert isinstance(first, PairSummary)
    assert len(first.conflicts) == 3
    assert first.conflict_counts["low"] == 5
    assert first.conflicts[0].evidence.rule == "red_line.semantic"  # findings keep their evidence
    # The summary read from the short pairs is the one the full pairs give.
    assert result.coalition == coalition_summary(names, full, sdgs=result.sdgs.partners, values=result.values)
    # A stored result reads back as it was (the workspace keeps results as JSON).
    assert AssessmentResult.model_validate_json(result.model_dump_json()) == result
    # Twenty partners or fewer: every pair in full, as before.
    small = assess_profiles(profiles[:4], pair_json=lines.append)
    assert all(isinstance(p, PairResult) for p in small.pairs)
    assert [p.model_dump_json() for p in small.pairs] == lines[-6:]


def test_a_partner_named_as_a_stakeholder_is_no_outside_stakeholder_of_the_coalition() -> None:
    # Alpha and Beta name Gamma, a partner, as a powerful stakeholder with opposite stances: their
    # pair sees Gamma as an outsider, the coalition does not.
    def named(stance: str) -> dict[str, Any]:
        return {"name": "Gamma Org", "power": 5, "interest": 5, "legitimacy": True, "stance": stance}

    alpha = org("Alpha Trust", stakeholders=[named("opposed")])
    beta = org("Beta Club", stakeholders=[named("supportive")])
    result = assess_profiles([alpha, beta, org("Gamma Org")])
    assert any(c.kind is ConflictKind.STAKEHOLDER for c in result.pairs[0].conflicts)
    assert not [c for c in result.conflicts if c.kind is ConflictKind.STAKEHOLDER]
    assert not [q for q in result.questions if "Gamma Org" in q.text]
    assert "Gamma Org" not in [s.name for s in result.stakeholders]
