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
        ("We will open ten casinos", "Will open ten casinos"),
        ("We don't sell alcohol", "Doesn't sell alcohol"),
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
        "",
    ],
)
def test_other_texts_are_left_as_they_were(text: str) -> None:
    assert third_person(text) == text
