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


def test_a_neighbouring_industry_does_not_cross_a_red_line_that_lists_others() -> None:
    # Soft drinks share a sector of the map with fast food, but the list names burger chains.
    soda = {
        "name": "Fizzco",
        "kind": "company",
        "mission": "Make refreshing drinks.",
        "activities": ["Bottles sugar-sweetened fizzy drinks for supermarkets"],
    }
    distillery = {
        "name": "Glenmoor",
        "kind": "company",
        "mission": "Make fine spirits.",
        "activities": ["Distils gin and vodka for supermarket own brands"],
    }
    red_line = (
        "We won't team up with cigarette makers, breweries and distillers, betting firms or burger chains."
    )
    assert _red_lines(_pair(red_line, soda)) == []
    found = _red_lines(_pair(red_line, distillery))
    assert found
    assert found[0].severity is ConflictSeverity.BLOCKER
    assert "distillers" in found[0].evidence.detail


def test_a_red_line_about_conduct_is_crossed_by_a_partner_that_does_it_not_by_one_that_fights_it() -> None:
    marketer = {
        "name": "BabyFirst Nutrition",
        "kind": "company",
        "mission": "Nutrition for the first years of life.",
        "activities": [
            "Sends free samples of our newborn formula to maternity wards and gives midwives gifts"
        ],
    }
    counsellors = {
        "name": "Latch",
        "kind": "nonprofit",
        "mission": "Every mother who wants to breastfeed gets the help she needs.",
        "activities": ["Trains peer counsellors to support mothers who want to breastfeed"],
    }
    red_line = "We refuse partners who advertise or hand out baby milk formula."
    found = _red_lines(_pair(red_line, marketer))
    assert found
    assert found[0].severity in (ConflictSeverity.BLOCKER, ConflictSeverity.HIGH)
    assert found[0].evidence.data_row == "breastmilk_substitute_marketing"
    assert _red_lines(_pair(red_line, counsellors)) == []


def test_a_red_line_about_lobbying_against_a_measure_is_crossed_in_another_language() -> None:
    federation = {
        "name": "Fédération des transporteurs",
        "kind": "company",
        "mission": "Défendre les entreprises de transport routier de la région.",
        "goals": ["Convaincre la mairie de reporter de trois ans l'interdiction des camions diesel en ville"],
    }
    result = _pair("We refuse partners that lobby to delay diesel bans and other clean-air rules", federation)
    found = _red_lines(result)
    assert found, "a French goal to postpone a diesel ban crosses an English red line against delaying it"
    assert found[0].evidence.texts[1].party == "Fédération des transporteurs"


@pytest.mark.parametrize(
    ("red_line", "partner"),
    [
        (
            "We will not accept sponsorship from companies that lobby against sugar taxes",
            {
                "name": "Fizz Co",
                "kind": "company",
                "mission": "Make and sell soft drinks across the country.",
                "activities": ["Bottles cola and lemonade for supermarkets"],
            },
        ),
        (
            "No partners that lobby against tenant protections such as rent caps",
            {
                "name": "Renters United",
                "kind": "nonprofit",
                "mission": "A tenants' union defending renters against no-fault evictions.",
                "goals": ["Win a city-wide cap on rent rises"],
            },
        ),
        (
            "We will not work with companies that lobby against clean air standards or seek to delay them",
            {
                "name": "Air Agency",
                "kind": "public_agency",
                "mission": "Environmental regulator responsible for air quality permits and enforcement.",
                "goals": ["Enforce the new clean air standards in every district by 2027"],
            },
        ),
    ],
)
def test_a_red_line_about_lobbying_is_not_crossed_by_working_in_the_field_or_upholding_the_rule(
    red_line: str, partner: dict[str, Any]
) -> None:
    assert _red_lines(_pair(red_line, partner)) == []


def test_an_industry_listed_beside_a_lobbying_behaviour_is_still_ruled_out() -> None:
    maker = {
        "name": "Northwind Tobacco",
        "kind": "company",
        "mission": "Manufacture and sell cigarettes across Europe.",
        "activities": ["Makes cigarettes and rolling tobacco"],
    }
    result = _pair("No money from tobacco companies or anyone lobbying against tobacco taxes", maker)
    found = _red_lines(result)
    assert found
    assert found[0].severity is ConflictSeverity.BLOCKER


@pytest.mark.parametrize(
    "goal", ["Fight for a higher minimum wage", "Contra la pobreza y a favor del salario mínimo"]
)
def test_a_union_fighting_for_the_minimum_wage_does_not_cross_a_red_line_against_lobbying_on_it(
    goal: str,
) -> None:
    union = {
        "name": "Shopworkers Union",
        "kind": "nonprofit",
        "mission": "Fair pay for shop workers.",
        "goals": [goal],
    }
    result = _pair("No partners that lobby against minimum wage rises", union)
    assert _red_lines(result) == []
    assert result.verdict is not Verdict.BLOCKED
