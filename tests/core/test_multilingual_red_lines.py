"""Red lines read across languages and item by item: what the issue's failure classes 4 and 6 were."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.core.assessment import assess
from commonground.core.profiles import Partnership
from commonground.core.results import AssessmentResult, ConflictKind, ConflictSeverity, Verdict

pytestmark = pytest.mark.slow


def _pair(red_line: str, partner: dict[str, Any]) -> AssessmentResult:
    owner = {
        "name": "Owner",
        "kind": "nonprofit",
        "mission": "Protect children's health.",
        "red_lines": [red_line],
    }
    return assess(Partnership.model_validate({"name": "pair", "partners": [owner, partner]}))


def _red_lines(result: AssessmentResult) -> list[Any]:
    return [c for c in result.conflicts if c.kind is ConflictKind.RED_LINE]


def test_a_french_red_line_is_crossed_by_a_spanish_cigarette_maker() -> None:
    maker = {
        "name": "Tabacalera del Sur",
        "kind": "company",
        "mission": "Fabricar y vender cigarrillos de calidad en España.",
        "activities": ["Fabrica cigarrillos y tabaco de liar en Sevilla"],
    }
    result = _pair("Aucun financement ni partenariat avec l'industrie du tabac", maker)
    assert result.verdict is Verdict.BLOCKED
    assert _red_lines(result)[0].severity is ConflictSeverity.BLOCKER
    assert any("French" in note for note in result.limitations)
    assert any("Spanish" in note for note in result.limitations)


def test_one_item_of_a_red_line_listing_several_industries_is_enough() -> None:
    brewer = {
        "name": "Hopfield",
        "kind": "company",
        "mission": "Brew and sell lager and cider across the region.",
        "activities": ["Brews lager and cider for pubs and supermarkets"],
    }
    result = _pair(
        "We take no money from weapons makers, tobacco firms, alcohol producers or casinos", brewer
    )
    found = _red_lines(result)
    assert found
    assert found[0].severity is ConflictSeverity.BLOCKER
    assert found[0].evidence.data_row == "alcohol"
    assert found[0].evidence.texts[1].party == "Hopfield"


def test_an_organisation_fighting_the_harm_does_not_cross_the_red_line_against_it() -> None:
    campaign = {
        "name": "Fossil Free Pensions",
        "kind": "nonprofit",
        "mission": "Get pension funds to divest from coal, oil and gas.",
        "activities": ["Publishes league tables of funds' fossil fuel holdings"],
        "goals": ["End new oil and gas licensing in the country by 2027"],
    }
    result = _pair("We will not accept investment or sponsorship from fossil fuel companies", campaign)
    assert _red_lines(result) == []


def test_a_campaign_against_what_a_red_line_outside_the_map_names_does_not_cross_it() -> None:
    campaign = {
        "name": "Fur Free Europe",
        "kind": "nonprofit",
        "mission": "End fur farming across Europe.",
        "activities": ["Campaigns for a Europe-wide ban on fur farming and the sale of farmed fur"],
    }
    assert _red_lines(_pair("We refuse any association with the fur trade", campaign)) == []
