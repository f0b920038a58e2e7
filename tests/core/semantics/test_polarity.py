"""Stance of a text toward its topic: the negation traps the conflict engine depends on."""

from __future__ import annotations

import pytest

from commonground.core.semantics.measures import measure_object, measure_stance
from commonground.core.semantics.polarity import (
    goal_object,
    is_past,
    polarity,
    red_line_items,
    red_line_topic,
)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Manufactures and sells cigarettes", "for"),
        ("Grow oil and gas output by 20%", "for"),
        ("Operates 40 casinos", "for"),
        ("Cigarette manufacturer", "for"),
        ("Sponsors youth football with beer brands", "for"),
        ("Runs smoking cessation clinics", "against"),
        ("Help smokers quit", "against"),
        ("Campaign to end tobacco use", "against"),
        ("Phase out coal power by 2030", "against"),
        ("Cut emissions to net zero", "against"),
        ("Anti-tobacco campaign group", "against"),
        ("Runs alcohol-free bars and events", "against"),
        ("Protect children from junk food marketing", "against"),
        ("Research the effects of gambling", "neutral"),
    ],
)
def test_role_toward_the_activity(text: str, role: str) -> None:
    assert polarity(text).role == role


@pytest.mark.parametrize(
    ("text", "role"),
    [
        # A control on the topic ("tax", "rules") turns the verb around.
        ("Reduce the sugar tax", "for"),
        ("Lobby against a soda tax", "for"),
        ("Oppose the proposed soda tax", "for"),
        ("Oppose plain packaging rules", "for"),
        ("Lobby to cut the sugar tax", "for"),
        ("Lobby for a soda tax", "against"),
        ("Introduce a soda tax", "against"),
        ("Increase smoking cessation", "against"),
    ],
)
def test_controls_on_a_topic_flip_the_stance(text: str, role: str) -> None:
    found = polarity(text)
    assert found.role == role
    assert found.controlled


def test_reducing_a_harm_is_against_the_industry_but_not_flagged_as_a_control() -> None:
    found = polarity("Reduce childhood obesity")
    assert found.role == "against"
    assert found.harm
    assert not found.controlled


@pytest.mark.parametrize(
    "text",
    [
        "Develops and sells patented cancer drugs worldwide",
        "Makes and ships malaria treatments to 40 countries",
    ],
)
def test_a_harm_naming_what_a_product_treats_does_not_turn_the_maker_against_its_industry(text: str) -> None:
    reading = polarity(text)
    assert not reading.harm
    assert reading.role == "for"


def test_a_harm_word_without_a_product_after_it_is_still_a_harm() -> None:
    assert polarity("Funds cancer research in children").role == "against"
    assert polarity("Fights cancer through new drug trials").harm
    # The next sentence's first word is not the harm's product.
    assert polarity("Our smelters cause pollution. Tests are run yearly.").harm
    assert polarity("Fights cancer and obesity").harm


def test_a_product_may_follow_a_list_of_what_it_treats() -> None:
    assert polarity("We make cancer, HIV and malaria vaccines").role == "for"


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("A low-cost carrier flying 200 routes across Europe", "for"),
        ("Builds homes for low-income families", "for"),
        ("Builds homes for low-to-moderate-income families", "for"),
        ("Makes low-sugar drinks for schools", "against"),
        ("Runs lower-emission buses", "against"),
    ],
)
def test_low_prefix_cuts_the_topic_only_when_it_does_not_describe_a_price_or_income(
    text: str, role: str
) -> None:
    assert polarity(text).role == role


def test_inflected_harm_words_count_as_harms() -> None:
    assert polarity("Support people harmed by gambling").role == "against"


def test_double_negative_from_two_verbs_is_not_counted_twice() -> None:
    # "fight to end" and "ban and restrict" say "against" once, not "against against".
    assert polarity("Fight to end child marriage").direction == -1
    assert polarity("Ban and restrict tobacco advertising").role == "against"


def test_campaigning_against_cuts_supports_the_thing_cut() -> None:
    assert polarity("Campaign against cuts to health funding").direction == 1


def test_sign_property_matches_role() -> None:
    assert polarity("Sells beer").sign == 1
    assert polarity("Help people stop drinking").sign == -1


@pytest.mark.parametrize(
    ("red_line", "topic"),
    [
        ("No funding from the tobacco industry", "funding from the tobacco industry"),
        ("We will not partner with payday lenders", "payday lenders"),
        ("We do not work with companies that test products on animals", "test products on animals"),
        ("Tobacco money", "Tobacco money"),
        ("We refuse any association with the fur trade", "fur trade"),
        ("We take no money from arms makers", "money from arms makers"),
        ("No funding from companies involved in land grabs.", "land grabs."),
        ("Sponsors must not be casinos or bookmakers", "casinos or bookmakers"),
        ("Payday lenders are excluded as partners", "Payday lenders"),
        (
            "Nous refusons les entreprises qui recourent au travail des enfants",
            "recourent au travail des enfants",
        ),
        ("No aceptamos dinero de empresas que contaminan los ríos", "contaminan los ríos"),
        ("Keine Zusammenarbeit mit Unternehmen, die Gewerkschaften behindern", "Gewerkschaften behindern"),
    ],
)
def test_red_line_topic_drops_the_prohibition_wording(red_line: str, topic: str) -> None:
    assert red_line_topic(red_line) == topic


def test_same_input_same_output() -> None:
    assert polarity("Oppose the soda tax") == polarity("Oppose the soda tax")


@pytest.mark.parametrize(
    "text",
    [
        "Keep 1000 tonnes of clothing out of landfill each year",
        "Divert surplus food from landfill to community kitchens",
        "Help older people get out of the house to social activities",
        "Cut food waste in our stores by half",
    ],
)
def test_keeping_x_out_of_y_works_against_y_not_x(text: str) -> None:
    # Against the place or harm named (landfill, waste), so it never clashes with pushing X itself.
    p = polarity(text)
    assert p.role == "against"
    assert p.harm


def test_free_of_charge_takes_no_side() -> None:
    assert polarity("Give free of charge advice to families").role == "for"


def test_y_free_of_x_works_against_x_in_y() -> None:
    assert polarity("Keep Saltmarsh Meadows free of building").role == "against"


def test_goal_object_drops_direction_words_and_figures() -> None:
    assert (
        goal_object("Build 2,000 more parking spaces in the city centre")
        == "parking spaces in the city centre"
    )
    assert goal_object("Halve car journeys into the city centre") == "car journeys into the city centre"


@pytest.mark.parametrize(
    "text",
    [
        "Offers free alcohol counselling to teenagers",
        "Campaigns for smoke-free playgrounds and higher taxes on tobacco",
        "Secure a minimum unit price for alcohol",
        "Runs a helpline for families affected by gambling",
    ],
)
def test_support_services_and_controls_are_against_their_topic(text: str) -> None:
    assert polarity(text).role == "against"


def test_trade_bodies_speak_for_their_industry() -> None:
    assert polarity("The voice of the gambling industry in parliament").role == "for"
    assert polarity("Lobbies ministers on behalf of cigarette makers").role == "for"


def test_ended_ties_are_past_unless_they_still_hold() -> None:
    assert is_past("We used to be sponsored by a brewery")
    assert is_past("Formerly part of a mining group")
    assert not is_past("Used to be a charity, now sells cigarettes")
    assert not is_past("Brews and sells lager")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Acting on a rule or scheme: control nouns ("rules", "charges") do not turn it around.
        ("Lobby to pause the bus-lane rules for taxis", -1),
        ("A one-year delay and a waiver from the parking levy", -1),
        ("Argue against or seek waivers from the hedge-cutting rules", -1),
        ("Have the hedge-cutting rules enforced on every farm", 1),
        ("Fight waivers from the bus-lane rules", 1),
        ("Campaign for tighter noise rules at night", 1),
    ],
)
def test_measure_stance_reads_behaviour_toward_a_rule(text: str, stance: int) -> None:
    assert measure_stance(text) == stance


@pytest.mark.parametrize(
    "text",
    ["Campaign against litter on the beaches", "Offer members a course on cutting waste", "Sell bread"],
)
def test_texts_that_act_on_no_measure_have_no_measure_stance(text: str) -> None:
    # Working against a harm is not weakening a rule; plain doing-words act on no measure.
    assert measure_stance(text) is None


def test_measure_object_keeps_the_control_noun() -> None:
    assert measure_object("Lobby to delay the night-noise rules") == "night-noise rules"


@pytest.mark.parametrize(
    ("red_line", "items"),
    [
        (
            "We take no money from weapons makers, tobacco firms, mining companies or drug companies",
            [
                "money from weapons makers",
                "money from tobacco firms",
                "money from mining companies",
                "money from drug companies",
            ],
        ),
        (
            "No partnerships with gambling, alcohol or payday-loan businesses",
            [
                "partnerships with gambling",
                "partnerships with alcohol",
                "partnerships with payday-loan businesses",
            ],
        ),
        ("No funding from the tobacco industry", []),
        ("Keine Gelder von Rüstungsfirmen oder Casinos", ["Rüstungsfirmen", "Casinos"]),
        # Verbs of one behaviour, not a list of things.
        ("No partners who advertise or hand out baby milk formula", []),
    ],
)
def test_a_red_line_listing_several_things_is_split_into_items_sharing_its_head(
    red_line: str, items: list[str]
) -> None:
    assert red_line_items(red_line_topic(red_line)) == items
