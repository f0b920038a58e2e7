"""Stakeholders: Mendelow grid, Mitchell–Agle–Wood salience, merging and contested stakeholders."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from commonground.core.profiles import Profile
from commonground.core.results import ConflictKind, ConflictSeverity, SynergyKind
from commonground.core.semantics.engines import CachedEngine, get_engine
from commonground.core.stakeholders import (
    STAKEHOLDER_MATCH_THRESHOLD,
    compare_stakeholders,
    merge_stakeholders,
    quadrant,
    salience,
    salience_attributes,
    shared_stakeholders,
)
from commonground.core.values import name_similarity

DATA = Path(__file__).parent.parent / "data" / "stakeholder_pairs.csv"


@pytest.fixture(scope="module")
def engine() -> CachedEngine:
    return get_engine()


def org(name: str, stakeholders: list[dict[str, object]]) -> Profile:
    return Profile.model_validate(
        {"name": name, "kind": "nonprofit", "mission": "Help people.", "stakeholders": stakeholders}
    )


def sh(name: str, power: int = 3, interest: int = 3, **extra: object) -> dict[str, object]:
    return {"name": name, "power": power, "interest": interest, **extra}


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (5, 5, "manage_closely"),
        (4, 2, "keep_satisfied"),
        (2, 4, "keep_informed"),
        (3, 3, "monitor"),
        (3.5, 4, "manage_closely"),
    ],
)
def test_mendelow_high_means_above_3(power: float, interest: float, expected: str) -> None:
    assert quadrant(power, interest) == expected


@pytest.mark.parametrize(
    ("power", "legitimacy", "urgency", "expected", "count"),
    [
        (2, False, False, "non_stakeholder", 0),
        (4, False, False, "dormant", 1),
        (2, True, False, "discretionary", 1),
        (2, False, True, "demanding", 1),
        (5, True, False, "dominant", 2),
        (4, False, True, "dangerous", 2),
        (3, True, True, "dependent", 2),
        (4, True, True, "definitive", 3),
    ],
)
def test_mitchell_agle_wood_classes(
    power: int, legitimacy: bool, urgency: bool, expected: str, count: int
) -> None:
    assert salience(power, legitimacy, urgency) == (expected, count)
    # The class names its attributes exactly, so they can be read back from it.
    assert salience_attributes(expected) == (power >= 4, legitimacy, urgency)


def test_supportive_for_one_and_opposed_for_the_other_is_a_conflict(engine: CachedEngine) -> None:
    a = org("Harbor", [sh("City council", 5, 4, stance="supportive")])
    b = org("Fizz", [sh("City council", 4, 4, stance="opposed")])
    result = compare_stakeholders(a, b, engine=engine)
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert conflict.kind is ConflictKind.STAKEHOLDER
    assert conflict.severity is ConflictSeverity.HIGH
    assert "City council supports Harbor but opposes Fizz" in conflict.summary
    assert result.synergies == []
    assert result.views[0].stances == {"Harbor": "supportive", "Fizz": "opposed"}


def test_near_synonym_stakeholders_merge_into_one_shared_view(engine: CachedEngine) -> None:
    a = org("A", [sh("Parents", 2, 5, legitimacy=True, urgency=True)])
    b = org("B", [sh("Families", 2, 4), sh("Investors", 5, 2)])
    result = compare_stakeholders(a, b, engine=engine)
    merged = next(v for v in result.views if v.parties == ["A", "B"])
    assert merged.name == "Parents / Families"
    assert (merged.power, merged.interest, merged.quadrant) == (2.0, 4.5, "keep_informed")
    assert merged.salience_class == "dependent"
    assert [s.kind for s in result.synergies] == [SynergyKind.STAKEHOLDER]
    assert len(result.views) == 2
    assert result.component is not None
    assert 60 < result.component < 100


def test_a_powerful_opponent_of_one_partner_is_a_conflict(engine: CachedEngine) -> None:
    a = org("A", [sh("Soda industry lobby", 5, 5, stance="opposed")])
    b = org("B", [sh("Customers", 3, 4, stance="supportive")])
    result = compare_stakeholders(a, b, engine=engine)
    assert [(c.kind, c.severity) for c in result.conflicts] == [
        (ConflictKind.STAKEHOLDER, ConflictSeverity.MEDIUM)
    ]
    assert "opposes A" in result.conflicts[0].summary


def test_component_is_null_when_neither_lists_stakeholders(engine: CachedEngine) -> None:
    assert compare_stakeholders(org("A", []), org("B", []), engine=engine).component is None
    assert compare_stakeholders(org("A", [sh("Staff")]), org("B", []), engine=engine).component == 60.0


def test_threshold_sorts_the_labelled_pairs(engine: CachedEngine) -> None:
    with DATA.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    wrong = [
        (r["a"], r["b"])
        for r in rows
        if (
            name_similarity([r["a"]], [r["b"]], engine=engine, template=None)[0, 0]
            >= STAKEHOLDER_MATCH_THRESHOLD
        )
        != (r["label"] == "match")
    ]
    assert len(wrong) <= len(rows) * 0.2, wrong


def test_three_partners_merge_and_share(engine: CachedEngine) -> None:
    profiles = [
        org("A", [sh("Parents"), sh("Teachers")]),
        org("B", [sh("Families")]),
        org("C", [sh("Parents"), sh("Investors")]),
    ]
    views = merge_stakeholders(profiles, engine=engine)
    assert sorted(len(v.parties) for v in views) == [1, 1, 3]
    assert shared_stakeholders(profiles, engine=engine) == ["Parents / Families"]


def test_a_partner_named_in_the_other_partners_register_is_not_its_outside_stakeholder(
    engine: CachedEngine,
) -> None:
    a = Profile.model_validate(
        {
            "name": "Northgate Petroleum",
            "kind": "company",
            "mission": "Produce oil and gas.",
            "stakeholders": [{"name": "Regulators", "power": 5, "interest": 4, "stance": "neutral"}],
        }
    )
    b = Profile.model_validate(
        {
            "name": "Clear Horizon",
            "kind": "nonprofit",
            "mission": "Keep fossil fuels in the ground.",
            "stakeholders": [
                {"name": "The Northgate Petroleum", "power": 5, "interest": 5, "stance": "opposed"},
                {"name": "Regulators", "power": 5, "interest": 4, "stance": "neutral"},
            ],
        }
    )
    found = compare_stakeholders(a, b, engine=engine)
    assert [v.name for v in found.views] == ["Regulators"]
    assert not [c for c in found.conflicts if "Northgate" in c.summary]
