"""Hand-built assessment results for the renderer tests (fixtures, not engine output)."""

from __future__ import annotations

import itertools

import pytest

from commonground.core.results import (
    INTERACTION_LABELS,
    AssessmentResult,
    Components,
    Conflict,
    CultureView,
    EngineInfo,
    Evidence,
    EvidenceText,
    GoalCell,
    GoalMatrix,
    GoalRef,
    InitiativeView,
    PairResult,
    Question,
    SdgOverlap,
    SdgScore,
    SharedByAll,
    StakeholderView,
    Synergy,
    ValueComparison,
)

HOSTILE = "<script>alert(1)</script>"

GOALS: dict[str, list[str]] = {
    "A": [
        "Halve childhood obesity in the county by 2030",
        "Get a sugar-drinks levy adopted by the state legislature",
        "Train 200 community health workers",
    ],
    "B": [
        "Grow soft-drink volume sales by 8% a year",
        "Fund youth sports in every district school",
    ],
    "C": ["Cut household food waste by a third", "Open two community kitchens"],
}

# Scores between goals; keys are (row goal id, column goal id).
SCORES: dict[tuple[str, str], int] = {
    ("A1", "B1"): -2,
    ("A1", "B2"): 2,
    ("A2", "B1"): -3,
    ("A2", "B2"): 0,
    ("A3", "B1"): -1,
    ("A3", "B2"): 1,
    ("A1", "C1"): 1,
    ("A1", "C2"): 3,
    ("A2", "C1"): 0,
    ("A2", "C2"): 0,
    ("A3", "C1"): 0,
    ("A3", "C2"): 2,
    ("B1", "C1"): -1,
    ("B1", "C2"): 0,
    ("B2", "C1"): 0,
    ("B2", "C2"): 1,
}


def _relation(score: int) -> str:
    return "synergy" if score > 0 else "tension" if score < 0 else "neutral"


def _cell(score: int) -> GoalCell:
    return GoalCell(
        score=score,
        label=INTERACTION_LABELS[score],
        relation=_relation(score),  # type: ignore[arg-type]
        similarity=0.4 + score / 10,
        reason=f"Fixture reason for a score of {score}.",
    )


def _refs(key: str, name: str) -> list[GoalRef]:
    return [
        GoalRef(party=name, id=f"{key}{i + 1}", text=t, priority="high" if i == 0 else "medium")
        for i, t in enumerate(GOALS[key])
    ]


def _score(a: str, b: str) -> int | None:
    if a[0] == b[0]:
        return None
    return SCORES.get((a, b), SCORES.get((b, a), 0))


def _matrix(rows: list[GoalRef], cols: list[GoalRef]) -> GoalMatrix:
    cells = [[None if (s := _score(r.id, c.id)) is None else _cell(s) for c in cols] for r in rows]
    return GoalMatrix(rows=rows, columns=cols, cells=cells)


def _pair(names: dict[str, str], a: str, b: str, score: float, verdict: str) -> PairResult:
    na, nb = names[a], names[b]
    conflicts = [
        Conflict(
            kind="sensitive_sector",
            severity="high",
            parties=[na, nb],
            summary=f"{nb} sells high-sugar drinks; {na} works on child nutrition.",
            evidence=Evidence(
                texts=[
                    EvidenceText(party=nb, field="activities[0]", text="Bottles and sells soft drinks"),
                    EvidenceText(party=na, field="mission", text="Improve the health of children"),
                ],
                rule="sector_map",
                data_row="unhealthy_food->nutrition",
                source="WHO framework of engagement with non-State actors (2016)",
                similarity=0.71,
            ),
        ),
        Conflict(
            kind="goal_tension",
            severity="medium",
            parties=[na, nb],
            summary="Growing soft-drink sales works against a sugar-drinks levy.",
            evidence=Evidence(
                texts=[
                    EvidenceText(party=na, field="goals[1]", text=GOALS[a][1]),
                    EvidenceText(party=nb, field="goals[0]", text=GOALS[b][0]),
                ],
                rule="goal_interaction",
                similarity=0.58,
                detail="Scored −3 (cancelling) on the goal scale.",
            ),
        ),
        Conflict(
            kind="red_line",
            severity="blocker",
            parties=[na, nb],
            summary=f"{na} will not take money from makers of sugary drinks.",
            evidence=Evidence(
                texts=[EvidenceText(party=na, field="red_lines[0]", text="No sugary-drink sponsorship")],
                rule="red_line.semantic",
                similarity=0.66,
            ),
        ),
        Conflict(
            kind="value_gap",
            severity="low",
            parties=[na, nb],
            summary="Transparency matters far more to one partner.",
            evidence=Evidence(rule="value_weights", detail="Weight 5 against 1."),
        ),
    ]
    synergies = [
        Synergy(
            kind="goal",
            parties=[na, nb],
            summary="Youth sports funding supports the obesity goal.",
            evidence=Evidence(
                texts=[
                    EvidenceText(party=na, field="goals[0]", text=GOALS[a][0]),
                    EvidenceText(party=nb, field="goals[1]", text=GOALS[b][1]),
                ],
                rule="goal_interaction",
                similarity=0.62,
            ),
        ),
        Synergy(
            kind="sdg",
            parties=[na, nb],
            summary="Both work towards SDG 3.",
            evidence=Evidence(rule="sdg_overlap"),
        ),
    ]
    return PairResult(
        parties=[na, nb],
        score=score,
        verdict=verdict,  # type: ignore[arg-type]
        components=Components(mission=58.0, values=71.5, culture=None, stakeholders=80.0, orientation=40.0),
        conflicts=conflicts,
        synergies=synergies,
        goal_matrix=_matrix(_refs(a, na), _refs(b, nb)),
        sdgs=SdgOverlap(
            partners={
                na: [SdgScore(sdg=3, confidence=0.92), SdgScore(sdg=2, confidence=0.55)],
                nb: [SdgScore(sdg=3, confidence=0.41), SdgScore(sdg=8, confidence=0.8)],
            },
            shared=[3],
        ),
        questions=[
            Question(
                text=f"Can {na} accept any funding from {nb} given its red line?",
                reason="A blocker-level red line.",
                priority=1,
                about="red_line",
            ),
            Question(
                text="How will the partners talk publicly about the sugar-drinks levy?",
                reason="Directly opposed goals.",
                priority=2,
                about="goal_tension",
            ),
            Question(
                text="Who reports on progress, and how often?",
                reason="Good practice.",
                priority=3,
                about="general",
            ),
        ],
        values=[
            ValueComparison(
                value="Health equity", weights={na: 5.0, nb: 2.0}, closest={na: None, nb: "Fairness"}
            ),
            ValueComparison(value="Transparency", weights={na: 5.0, nb: 1.0}, closest={na: None, nb: None}),
            ValueComparison(value="Growth", weights={na: 0.0, nb: 4.5}, closest={na: None, nb: None}),
        ],
        culture=CultureView(
            profiles={
                na: {"clan": 40, "adhocracy": 20, "market": 15, "hierarchy": 25},
                nb: {"clan": 15, "adhocracy": 20, "market": 45, "hierarchy": 20},
            },
            gaps={"clan": 25.0, "market": 30.0},
        ),
        stakeholders=[
            StakeholderView(
                name="Parents",
                parties=[na],
                power=2,
                interest=5,
                quadrant="keep_informed",
                strategy="Keep them informed",
                salience_class="dependent",
                salience=2,
                stances={na: "supportive"},
            ),
            StakeholderView(
                name="School boards",
                parties=[na, nb],
                power=4,
                interest=4,
                quadrant="manage_closely",
                strategy="Manage closely",
                salience_class="definitive",
                salience=3,
                stances={na: "supportive", nb: "neutral"},
            ),
            StakeholderView(
                name="State legislators",
                parties=[nb],
                power=5,
                interest=2,
                quadrant="keep_satisfied",
                strategy="Keep satisfied",
                salience_class="dominant",
                salience=2,
                stances={nb: "opposed"},
            ),
            StakeholderView(
                name="Local press",
                parties=[na],
                power=2,
                interest=5,
                quadrant="keep_informed",
                strategy="Keep them informed",
                salience_class="discretionary",
                salience=1,
                stances={},
            ),
            StakeholderView(
                name="Bottlers' union",
                parties=[nb],
                power=1,
                interest=1,
                quadrant="monitor",
                strategy="Monitor",
                salience_class="dormant",
                salience=1,
                stances={},
            ),
        ],
        initiatives=[
            InitiativeView(
                name="After-school sports league",
                level="local_clusters",
                social_value=4,
                economic_value={na: 2, nb: 4},
                quadrant={na: "social_only", nb: "shared_value"},
                one_sided=True,
                note="Mostly helps the company's brand.",
            ),
            InitiativeView(
                name="Water refill stations",
                level="products_markets",
                social_value=5,
                economic_value={na: 4, nb: 4},
                quadrant={na: "shared_value", nb: "shared_value"},
                one_sided=False,
                note="",
            ),
            InitiativeView(
                name="Sponsored sugar-free drink range",
                level=None,
                social_value=2,
                economic_value={na: 1, nb: 5},
                quadrant={na: "low_value", nb: "economic_only"},
                one_sided=True,
                note="",
            ),
        ],
        reasons=["A blocker-level red line.", "Strong shared focus on SDG 3."],
    )


def build_result(names: dict[str, str], keys: list[str]) -> AssessmentResult:
    """An AssessmentResult for the partners ``keys`` (named via ``names``)."""
    engine = EngineInfo(version="0.1.0", embedding_model="all-MiniLM-L6-v2 int8", sector_map_version="1")
    parties = [names[k] for k in keys]
    if len(keys) == 2:
        pair = _pair(names, keys[0], keys[1], 46.5, "at_risk")
        return AssessmentResult(
            **{**pair.model_dump(), "parties": parties},
            title=f"{parties[0]} and {parties[1]}",
            pairs=[pair],  # as the engine returns it: the one pair is the whole result
            shared=SharedByAll(sdgs=[3], values=["Health equity"], stakeholders=["School boards"]),
            engine=engine,
        )
    verdicts = ["at_risk", "workable", "aligned"]
    pairs = [
        _pair(names, a, b, 46.5 + 15 * i, verdicts[i % 3])
        for i, (a, b) in enumerate(itertools.combinations(keys, 2))
    ]
    all_refs = [r for k in keys for r in _refs(k, names[k])]
    first = pairs[0]
    return AssessmentResult(
        parties=parties,
        score=round(sum(p.score for p in pairs) / len(pairs), 1),
        verdict="at_risk",  # type: ignore[arg-type]
        components=first.components,
        conflicts=[c for p in pairs for c in p.conflicts],
        synergies=[s for p in pairs for s in p.synergies],
        goal_matrix=_matrix(all_refs, all_refs),
        sdgs=SdgOverlap(
            partners={
                n: [SdgScore(sdg=3, confidence=0.7), SdgScore(sdg=12, confidence=0.3 + 0.2 * i)]
                for i, n in enumerate(parties)
            },
            shared=[3, 12],
        ),
        questions=first.questions,
        values=[
            ValueComparison(
                value=v,
                weights={n: float((i + j) % 6) for j, n in enumerate(parties)},
                closest={n: None for n in parties},
            )
            for i, v in enumerate(["Health equity", "Transparency", "Thrift"])
        ],
        culture=None,
        stakeholders=first.stakeholders,
        initiatives=[],
        reasons=["Mean of three pair scores."],
        title="Coalition of " + ", ".join(parties),
        pairs=pairs,
        shared=SharedByAll(sdgs=[3, 12], values=["Health equity"], stakeholders=["School boards"]),
        engine=engine,
    )


NAMES = {"A": "Harbor Health Alliance", "B": "FizzCo Beverages Ltd", "C": "Northside Food Bank"}


@pytest.fixture
def two_party() -> AssessmentResult:
    """Two partners with conflicts of several kinds, evidence, stakeholders and initiatives."""
    return build_result(NAMES, ["A", "B"])


@pytest.fixture
def three_party() -> AssessmentResult:
    """A three-partner coalition with pairwise results."""
    return build_result(NAMES, ["A", "B", "C"])


@pytest.fixture
def hostile() -> AssessmentResult:
    """Two partners, one named with markup, to prove every renderer escapes user text."""
    return build_result({**NAMES, "A": HOSTILE}, ["A", "B"])
