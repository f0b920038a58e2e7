"""Joint initiatives on social × economic value (Porter & Kramer)."""

from __future__ import annotations

from commonground.core.profiles import Initiative
from commonground.core.results import SynergyKind
from commonground.core.shared_value import assess_initiatives, place


def test_one_sided_initiative_warns_and_names_who_benefits() -> None:
    initiative = Initiative(
        name="Branded school drinks", social_value=2, economic_value={"Fizz": 5, "Harbor": 1}
    )
    result = assess_initiatives([initiative], ["Harbor", "Fizz"])
    view = result.views[0]
    assert view.one_sided is True
    assert view.note.startswith("Warning")
    assert "mainly to Fizz" in view.note
    assert view.quadrant == {"Harbor": "low_value", "Fizz": "economic_only"}
    assert result.synergies == []


def test_shared_value_for_all_is_a_synergy() -> None:
    initiative = Initiative(
        name="Healthy vending", social_value=4, level="products_and_markets", economic_value={"A": 3, "B": 4}
    )
    result = assess_initiatives([initiative], ["A", "B"])
    assert result.views[0].one_sided is False
    assert result.views[0].quadrant == {"A": "shared_value", "B": "shared_value"}
    assert [s.kind for s in result.synergies] == [SynergyKind.INITIATIVE]
    assert "products and markets" in result.views[0].note


def test_unstated_economic_value_is_placed_low_and_said() -> None:
    initiative = Initiative(name="Clinic", social_value=5, economic_value={"A": 3})
    view = assess_initiatives([initiative], ["A", "B"]).views[0]
    assert view.economic_value == {"A": 3, "B": 1}
    assert view.one_sided is True
    assert "No economic value stated for B" in view.note


def test_high_means_three_or_more() -> None:
    assert place(3, 3) == "shared_value"
    assert place(3, 2) == "social_only"
    assert place(2, 3) == "economic_only"
    assert place(2, 2) == "low_value"
