"""Values congruence: weighted by priority, near-synonyms matched, gaps and shared values reported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from commonground.core.profiles import Profile
from commonground.core.results import ConflictKind, ConflictSeverity, SynergyKind
from commonground.core.semantics.engines import CachedEngine, get_engine
from commonground.core.values import (
    VALUE_MATCH_THRESHOLD,
    compare_values,
    effective_weights,
    name_similarity,
    shared_values,
    value_rows,
)

DATA = Path(__file__).parent.parent / "data" / "value_pairs.csv"


@pytest.fixture(scope="module")
def engine() -> CachedEngine:
    return get_engine()


def org(name: str, values: list[str | dict[str, object]]) -> Profile:
    return Profile.model_validate(
        {"name": name, "kind": "nonprofit", "mission": "Help people.", "values": values}
    )


def test_identical_values_score_at_least_90(engine: CachedEngine) -> None:
    values: list[str | dict[str, object]] = ["Health equity", "Integrity", "Community"]
    result = compare_values(org("A", values), org("B", values), engine=engine)
    assert result.component is not None
    assert result.component >= 90
    assert not result.conflicts
    assert {s.kind for s in result.synergies} == {SynergyKind.VALUE}
    assert len(result.synergies) == 3


def test_near_synonyms_are_matched(engine: CachedEngine) -> None:
    a = org("A", ["Integrity", "Transparency"])
    b = org("B", ["Honesty", "Openness"])
    result = compare_values(a, b, engine=engine)
    closest = {row.value: row.closest["B"] for row in result.rows}
    assert closest == {"Integrity": "Honesty", "Transparency": "Openness"}
    assert not result.conflicts
    assert result.component is not None
    assert result.component >= 90


def test_threshold_sorts_the_labelled_pairs(engine: CachedEngine) -> None:
    with DATA.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    wrong = [
        (r["a"], r["b"], r["label"])
        for r in rows
        if (name_similarity([r["a"]], [r["b"]], engine=engine)[0, 0] >= VALUE_MATCH_THRESHOLD)
        != (r["label"] == "match")
    ]
    # The data file names its hard cases; more than 10% wrong means the threshold drifted.
    assert len(wrong) <= len(rows) // 10, wrong


def test_unmatched_top_value_is_a_gap_named_with_severity_by_priority(engine: CachedEngine) -> None:
    a = org("Harbor", ["Health equity", "Community", "Evidence"])
    b = org("Acme", ["Profitability", "Speed", "Customer focus"])
    result = compare_values(a, b, engine=engine)
    gaps = [c for c in result.conflicts if c.kind is ConflictKind.VALUE_GAP]
    top = [c for c in gaps if "'Health equity'" in c.summary]
    assert len(top) == 1
    assert top[0].severity is ConflictSeverity.MEDIUM
    assert top[0].parties == ["Harbor", "Acme"]
    assert top[0].evidence.texts[0].field == "values[0]"
    second = next(c for c in gaps if "'Community'" in c.summary)
    assert second.severity is ConflictSeverity.LOW
    assert result.component is not None
    assert result.component < 30


def test_priority_matters_same_values_in_reverse_order_score_lower(engine: CachedEngine) -> None:
    same = compare_values(
        org("A", ["Equity", "Trust", "Courage"]), org("B", ["Equity", "Trust", "Courage"]), engine=engine
    )
    flipped = compare_values(
        org("A", ["Equity", "Trust", "Courage"]), org("B", ["Courage", "Trust", "Equity"]), engine=engine
    )
    assert same.component == 100.0
    assert flipped.component is not None
    assert 70 <= flipped.component < 100


def test_stated_weight_overrides_position() -> None:
    profile = org("A", ["First", {"name": "Second", "weight": 5}, "Third", "4th", "5th", "6th"])
    assert effective_weights(profile.values) == [5.0, 5.0, 3.0, 2.0, 1.0, 1.0]


def test_no_values_on_either_side_leaves_component_null(engine: CachedEngine) -> None:
    assert compare_values(org("A", []), org("B", []), engine=engine).component is None
    one_sided = compare_values(org("A", ["Integrity"]), org("B", []), engine=engine)
    assert one_sided.component is None
    assert [r.weights for r in one_sided.rows] == [{"A": 5.0, "B": 0.0}]


def test_rows_and_shared_values_over_three_partners(engine: CachedEngine) -> None:
    profiles = [
        org("A", ["Integrity", "Innovation"]),
        org("B", ["Honesty", "Speed"]),
        org("C", ["Integrity"]),
    ]
    rows = value_rows(profiles, engine=engine)
    integrity = next(r for r in rows if r.value == "Integrity")
    assert integrity.closest == {"A": "Integrity", "B": "Honesty", "C": "Integrity"}
    assert shared_values(profiles, engine=engine) == ["Integrity"]
