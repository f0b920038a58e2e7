"""Profit–purpose gap."""

from __future__ import annotations

import pytest

from commonground.core.orientation import compare_orientation
from commonground.core.profiles import Profile
from commonground.core.results import ConflictKind, ConflictSeverity


def org(name: str, position: float | None) -> Profile:
    data: dict[str, object] = {"name": name, "kind": "company", "mission": "Help people."}
    if position is not None:
        data["orientation"] = {"profit_purpose": position}
    return Profile.model_validate(data)


@pytest.mark.parametrize(
    ("a", "b", "component", "severity"),
    [
        (0.1, 0.2, 90.0, None),
        (0.1, 0.4, 70.0, ConflictSeverity.LOW),
        (0.1, 0.65, 45.0, ConflictSeverity.MEDIUM),
        # Capped at medium: company vs charity is the partnership the tool exists for.
        (0.05, 0.9, 15.0, ConflictSeverity.MEDIUM),
        (0.05, 0.7, 35.0, ConflictSeverity.MEDIUM),
    ],
)
def test_component_and_conflict_follow_the_gap(
    a: float, b: float, component: float, severity: ConflictSeverity | None
) -> None:
    result = compare_orientation(org("Charity", a), org("Firm", b))
    assert result.component == component
    assert [c.severity for c in result.conflicts] == ([severity] if severity else [])
    if severity:
        assert result.conflicts[0].kind is ConflictKind.ORIENTATION
        assert result.conflicts[0].summary.startswith("Firm is")


def test_missing_orientation_is_null() -> None:
    assert compare_orientation(org("A", 0.1), org("B", None)).component is None


def test_a_gap_typical_for_the_two_kinds_scores_high_and_stays_low_severity() -> None:
    charity = Profile.model_validate(
        {
            "name": "Charity",
            "kind": "nonprofit",
            "mission": "Help people.",
            "orientation": {"profit_purpose": 0.05},
        }
    )
    firm = Profile.model_validate(
        {"name": "Firm", "kind": "company", "mission": "Sell things.", "orientation": {"profit_purpose": 0.8}}
    )
    result = compare_orientation(charity, firm)
    # Typical gap company–nonprofit 0.70; the excess 0.05 is all that lowers the component.
    assert result.component == 95.0
    assert [c.severity for c in result.conflicts] == [ConflictSeverity.LOW]
    assert "typical gap for a nonprofit and a company: 0.70" in (result.conflicts[0].evidence.detail or "")
