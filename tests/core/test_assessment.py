"""The whole assessment: pairs, coalitions, determinism and the result contract."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.core.assessment import assess, assess_profiles
from commonground.core.profiles import Partnership, Profile
from commonground.core.results import ConflictKind, ConflictSeverity, Verdict
from commonground.core.scoring import VERDICT_CEILING
from commonground.core.semantics.engines import CachedEngine, get_engine

HARBOR = {
    "name": "Harbor Health Alliance",
    "kind": "nonprofit",
    "mission": "Improve the health of families in the county by making healthy food affordable.",
    "values": ["Health equity", "Integrity", "Community"],
    "goals": [
        {"text": "Halve childhood obesity in the county by 2030", "priority": "high"},
        "Get fresh fruit and vegetables into every school canteen",
    ],
    "activities": ["Runs school nutrition programmes"],
    "red_lines": ["No funding from the tobacco industry"],
    "stakeholders": [
        {"name": "Parents", "power": 2, "interest": 5, "legitimacy": True, "stance": "supportive"},
        {"name": "County council", "power": 5, "interest": 4, "legitimacy": True, "stance": "supportive"},
    ],
    "orientation": {"profit_purpose": 0.1},
    "culture": {"clan": 40, "adhocracy": 20, "market": 15, "hierarchy": 25},
}
GREENGROCER = {
    "name": "Green Basket",
    "kind": "social_enterprise",
    "mission": "Sell affordable fresh produce in neighbourhoods that lack grocery stores, improving diets.",
    "values": ["Honesty", "Community", "Sustainability"],
    "goals": ["Open ten fresh-food shops in underserved neighbourhoods", "Cut food waste by half"],
    "activities": ["Runs neighbourhood grocery shops selling fruit and vegetables"],
    "stakeholders": [
        {"name": "Families", "power": 2, "interest": 4, "stance": "supportive"},
        {"name": "County council", "power": 4, "interest": 3, "stance": "opposed"},
    ],
    "orientation": {"profit_purpose": 0.4},
    "culture": {"clan": 28, "adhocracy": 25, "market": 27, "hierarchy": 20},
}
SMOKECO = {
    "name": "Smokeco",
    "kind": "company",
    "mission": "Grow our share of the cigarette and vaping market worldwide.",
    "values": ["Growth", "Performance"],
    "goals": [{"text": "Increase cigarette sales in emerging markets by 20%", "priority": "high"}],
    "activities": ["Manufactures and markets cigarettes"],
    "orientation": {"profit_purpose": 0.95},
}


@pytest.fixture(scope="module")
def engine() -> CachedEngine:
    return get_engine()


def profile(data: dict[str, object]) -> Profile:
    return Profile.model_validate(data)


def test_two_partners_fill_the_contract(engine: CachedEngine) -> None:
    partnership = Partnership.model_validate(
        {
            "partners": [HARBOR, GREENGROCER],
            "initiatives": [
                {"name": "School fruit boxes", "social_value": 5, "economic_value": {"Green Basket": 4}},
            ],
        }
    )
    result = assess(partnership, engine=engine)
    assert result.parties == ["Harbor Health Alliance", "Green Basket"]
    assert result.title == "Harbor Health Alliance × Green Basket"
    assert len(result.pairs) == 1
    assert result.pairs[0].score == result.score
    assert 0 <= result.score <= 100
    assert result.components.values is not None
    assert result.components.culture is not None
    kinds = {c.kind for c in result.conflicts}
    assert ConflictKind.STAKEHOLDER in kinds  # the council backs Harbor but opposes Green Basket
    assert ConflictKind.CULTURE_GAP in kinds
    assert result.initiatives[0].one_sided is True
    assert result.questions
    assert result.questions[0].priority == 1
    assert result.engine.embedding_model == engine.name
    assert len(result.goal_matrix.rows) == 2
    assert len(result.goal_matrix.columns) == 2
    assert "Community" in result.shared.values


def test_a_red_line_blocker_blocks_whatever_the_rest(engine: CachedEngine) -> None:
    result = assess_profiles([profile(HARBOR), profile(SMOKECO)], engine=engine)
    assert any(c.severity is ConflictSeverity.BLOCKER for c in result.conflicts)
    assert result.verdict is Verdict.BLOCKED
    assert result.questions[0].about in (ConflictKind.RED_LINE, ConflictKind.SENSITIVE_SECTOR)


def test_three_partners_give_three_pairs_and_shared_sdgs_are_the_intersection(engine: CachedEngine) -> None:
    profiles = [profile(HARBOR), profile(GREENGROCER), profile(SMOKECO)]
    result = assess_profiles(profiles, name="Food coalition", engine=engine)
    assert result.title == "Food coalition"
    assert [p.parties for p in result.pairs] == [
        ["Harbor Health Alliance", "Green Basket"],
        ["Harbor Health Alliance", "Smokeco"],
        ["Green Basket", "Smokeco"],
    ]
    every = [{s.sdg for s in result.sdgs.partners[p.name]} for p in profiles]
    assert result.sdgs.shared == sorted(set.intersection(*every))
    assert result.shared.sdgs == result.sdgs.shared
    assert result.verdict is Verdict.BLOCKED  # the worst pair
    # Score and verdict agree: the mean of the pairs, capped at the top of the blocked band.
    mean = round(sum(p.score for p in result.pairs) / 3, 1)
    assert result.score == min(mean, VERDICT_CEILING[Verdict.BLOCKED])
    if mean - result.score >= 1:
        assert any(
            r.startswith("Score lowered from ")
            and r.endswith(
                f"the weakest pair is blocked, and a blocked coalition scores at most {result.score:g}"
            )
            for r in result.reasons
        )
    n = sum(len(p.goals) for p in profiles)
    assert len(result.goal_matrix.rows) == n
    assert len(result.goal_matrix.cells) == n
    assert result.goal_matrix.cells[0][1] is None  # two goals of the same partner
    assert result.goal_matrix.cells[0][2] is not None

    # Every pair's finding is in the coalition's list, and a finding several pairs report alike
    # (a fact about one partner) is listed once, naming the parties of all of them.
    def fact(c: Any) -> tuple[Any, ...]:
        return (c.kind, c.severity, c.summary, tuple((t.party, t.text) for t in c.evidence.texts))

    assert {fact(c) for p in result.pairs for c in p.conflicts} == {fact(c) for c in result.conflicts}
    assert len({fact(c) for c in result.conflicts}) == len(result.conflicts)


def test_assessment_is_deterministic(engine: CachedEngine) -> None:
    profiles = [profile(HARBOR), profile(GREENGROCER), profile(SMOKECO)]
    first = assess_profiles(profiles, engine=engine).model_dump_json()
    second = assess_profiles(profiles, engine="minilm-int8").model_dump_json()
    assert first == second


def test_fewer_than_two_partners_is_refused(engine: CachedEngine) -> None:
    with pytest.raises(ValueError, match="at least two partners"):
        assess_profiles([profile(HARBOR)], engine=engine)


def test_minimal_profiles_give_nulls_and_ask_for_what_is_missing(engine: CachedEngine) -> None:
    profiles = [
        profile({"name": n, "kind": "nonprofit", "mission": m})
        for n, m in (
            ("Readers", "Help every child in the region learn to read by age eight."),
            ("Library", "Give people of all ages free access to books, learning and digital skills."),
            ("Coders", "Teach young people to write software."),
        )
    ]
    for group in (profiles[:2], profiles):
        result = assess_profiles(group, engine=engine)
        assert result.components.values is None
        assert result.components.culture is None
        assert result.components.stakeholders is None
        assert result.components.orientation is None
        assert result.components.mission is not None
        assert result.culture is None
        assert result.goal_matrix.cells == []
        assert any("described its culture" in q.reason for q in result.questions)


@pytest.mark.slow
def test_a_coalition_lists_a_fact_about_one_partner_once() -> None:
    from pathlib import Path

    from commonground.core.loading import load_profile

    examples = Path(__file__).resolve().parents[2] / "examples"
    files = ["brightstart-child-health.yaml", "meadowgate-supermarkets.yaml", "riverside-food-bank.yaml"]
    result = assess_profiles([load_profile(examples / f) for f in files])
    lobby = [c for c in result.conflicts if c.summary.startswith("Food and drink industry lobby")]
    # Bright Start's opposed lobby is reported by both of its pairs; the coalition names it once.
    assert len(lobby) == 1
    assert set(lobby[0].parties) == {
        "Bright Start Child Health Trust",
        "Meadowgate Supermarkets",
        "Riverside Community Food Bank",
    }
    assert (
        sum(c.summary.startswith("Food and drink industry lobby") for p in result.pairs for c in p.conflicts)
        == 2
    )
