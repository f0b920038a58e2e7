"""Helping people leave a harm is read as working against it, never as working in it."""

from __future__ import annotations

import pytest

from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.exits import EXITS_VERSION, helped_exit
from commonground.core.semantics.sectors import read_texts


def test_the_word_file_has_a_version() -> None:
    assert EXITS_VERSION.startswith("20")


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (
            "Gives tobacco farmers seed, training and guaranteed buyers so they can leave tobacco",
            "so … leave",
        ),
        ("Helps smokers give up cigarettes", "helps … give up"),
        ("Supports women leaving the sex trade", "supports … leaving"),
        ("So that families could quit payday lenders, we offer fair loans", "so … quit"),
        ("Helps coal miners exit the industry with retraining", "helps … exit"),
    ],
)
def test_help_to_leave_a_topic_is_found(text: str, cue: str) -> None:
    assert helped_exit(text) == cue


@pytest.mark.parametrize(
    "text",
    [
        "We leave no one behind",
        "Helps customers leave reviews of our beers",
        "Helps fans leave a message for the brewers",
        # The help is about selling, not leaving.
        "Helps breweries sell beer to people leaving work",
        "Our members gave up tobacco in 2016",
        "We help pubs sell more beer",
    ],
)
def test_other_uses_of_leave_and_help_are_not(text: str) -> None:
    assert helped_exit(text) is None


@pytest.mark.slow
def test_an_organisation_helping_growers_leave_tobacco_is_not_a_tobacco_grower() -> None:
    # Read as tobacco at 0.98 by the sectors' classifier before the exit words (blind set 2).
    text = "Gives tobacco farmers seed, training and guaranteed buyers so they can leave tobacco"
    engine = get_engine()
    [reading] = read_texts([text], engine.embed([text]), engine=engine)
    assert reading.sectors == ()
    assert reading.screens == ()
    assert reading.screen_scores == {}
    assert reading.works_against is True


@pytest.mark.slow
def test_a_grower_still_growing_tobacco_is_still_read_as_tobacco() -> None:
    text = "Grows tobacco leaf on 400 hectares for cigarette makers"
    engine = get_engine()
    [reading] = read_texts([text], engine.embed([text]), engine=engine)
    assert [m.sector for m in reading.sectors] == ["tobacco"]
