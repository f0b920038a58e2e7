"""Culture fit on the Competing Values Framework."""

from __future__ import annotations

from commonground.core.culture import compare_culture
from commonground.core.profiles import Profile
from commonground.core.results import ConflictKind, ConflictSeverity, SynergyKind


def org(name: str, culture: dict[str, float] | None) -> Profile:
    data: dict[str, object] = {"name": name, "kind": "nonprofit", "mission": "Help people."}
    if culture is not None:
        data["culture"] = culture
    return Profile.model_validate(data)


def test_a_gap_of_12_on_one_type_is_a_culture_gap_naming_that_type() -> None:
    a = org("A", {"clan": 40, "adhocracy": 20, "market": 15, "hierarchy": 25})
    b = org("B", {"clan": 28, "adhocracy": 20, "market": 27, "hierarchy": 25})
    result = compare_culture(a, b)
    assert [c.kind for c in result.conflicts] == [ConflictKind.CULTURE_GAP] * 2
    clan = next(c for c in result.conflicts if "clan" in c.summary)
    assert clan.severity is ConflictSeverity.LOW
    assert "A puts 12 points more" in clan.summary
    assert result.view is not None
    assert result.view.gaps == {"clan": 12.0, "market": 12.0}
    assert result.component == 88.0


def test_gaps_below_10_are_not_conflicts_but_a_synergy() -> None:
    a = org("A", {"clan": 40, "adhocracy": 20, "market": 15, "hierarchy": 25})
    b = org("B", {"clan": 35, "adhocracy": 25, "market": 15, "hierarchy": 25})
    result = compare_culture(a, b)
    assert result.conflicts == []
    assert [s.kind for s in result.synergies] == [SynergyKind.CULTURE]
    assert result.component == 95.0


def test_severity_grows_with_the_gap_and_is_capped_at_medium() -> None:
    a = org("A", {"clan": 60, "adhocracy": 10, "market": 10, "hierarchy": 20})
    b = org("B", {"clan": 20, "adhocracy": 10, "market": 45, "hierarchy": 25})
    severities = {c.summary.split(" ")[3]: c.severity for c in compare_culture(a, b).conflicts}
    # 40 and 35 points: large, but normal between a retailer and a charity, so medium at most.
    assert severities == {"clan": ConflictSeverity.MEDIUM, "market": ConflictSeverity.MEDIUM}
    b2 = org("B", {"clan": 38, "adhocracy": 10, "market": 32, "hierarchy": 20})
    assert {c.severity for c in compare_culture(a, b2).conflicts} == {ConflictSeverity.MEDIUM}


def test_missing_culture_gives_null_component_and_keeps_the_known_profile() -> None:
    a = org("A", {"clan": 40, "adhocracy": 20, "market": 15, "hierarchy": 25})
    result = compare_culture(a, org("B", None))
    assert result.component is None
    assert result.view is not None
    assert list(result.view.profiles) == ["A"]
    assert compare_culture(org("A", None), org("B", None)).view is None
