"""Stance of a text toward its topic: the negation traps the conflict engine depends on."""

from __future__ import annotations

import pytest

from commonground.core.semantics.polarity import polarity, red_line_topic


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
    ],
)
def test_red_line_topic_drops_the_prohibition_wording(red_line: str, topic: str) -> None:
    assert red_line_topic(red_line) == topic


def test_same_input_same_output() -> None:
    assert polarity("Oppose the soda tax") == polarity("Oppose the soda tax")
