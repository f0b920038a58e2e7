"""First-person self-descriptions told in the third person, as the classifiers' training texts are."""

from __future__ import annotations

import pytest

from commonground.core.semantics.voice import third_person


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("We make and sell cigarettes", "Makes and sells cigarettes"),
        ("We run two coal-fired power stations", "Runs two coal-fired power stations"),
        ("We brew and sell beer", "Brews and sells beer"),
        ("We fly 40 planes", "Flies 40 planes"),
        ("We also finance coal mines", "Finances coal mines"),
        ("We are a family business that makes cigars", "A family business that makes cigars"),
        ("Our company builds military drones", "Builds military drones"),
        ("We have 300 takeaways", "Has 300 takeaways"),
        ("We sell our own beer", "Sells its own beer"),
    ],
)
def test_a_first_person_opening_is_told_in_the_third_person(text: str, told: str) -> None:
    assert third_person(text) == told


@pytest.mark.parametrize(
    "text",
    [
        "Makes and sells cigarettes",
        "Weapons makers are excluded",
        "Wir verkaufen Bier",
        "Nous vendons de la bière",
        "We maken bier",
        "",
        # Only a present-tense verb of a trade is rewritten: a second reading can only add an industry.
        "We used to run betting shops in Dublin",
        "We no longer mine coal in Queensland",
        "We never sell to minors",
        "We were a tobacco company until 2019",
        "We don't sell alcohol",
        "We will not partner with firms using tax avoidance schemes",
        "We will open ten casinos",
        "We lobby for minimum unit pricing for alcohol",
        "We and our partners sell beer",
        "Our team and our partners sell beer",
        "We are not a tobacco company",
        "We help smokers quit",
    ],
)
def test_other_texts_are_left_as_they_were(text: str) -> None:
    assert third_person(text) == text
