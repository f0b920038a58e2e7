"""Language detection and the limitations a result states for profiles in other languages."""

from __future__ import annotations

import pytest

from commonground.core.profiles import Profile
from commonground.core.semantics.languages import (
    detect_language,
    language_limitations,
    profile_language,
    text_read_by_reader,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Réduire de moitié le tabagisme chez les jeunes d'ici 2030", "fr"),
        ("Aumentar las ventas de cigarrillos en América Latina", "es"),
        ("Wir fördern den Ausstieg aus der Braunkohle", "de"),
        ("Halve youth smoking in the county by 2030", "en"),
        ("لا تمويل من صناعة التبغ", "ar"),
    ],
)
def test_detects_the_language_of_short_texts(text: str, code: str) -> None:
    assert detect_language(text)[0] == code


def _profile(name: str, mission: str, goals: list[str]) -> Profile:
    return Profile.model_validate({"name": name, "kind": "nonprofit", "mission": mission, "goals": goals})


def test_a_profile_in_another_language_is_named_with_what_may_be_missing() -> None:
    french = _profile(
        "Souffle", "Protéger la santé respiratoire des enfants", ["Réduire le tabagisme des ados"]
    )
    english = _profile("Breathe", "Protect children's lung health", ["Cut teenage smoking"])
    assert profile_language(french) == "fr"
    notes = language_limitations([french, english], "minilm-int8")
    assert len(notes) == 1
    assert notes[0].startswith("Souffle's profile reads as French")
    assert "SDGs were read in it" in notes[0]
    assert "goal tensions, value matches and the mission fit come from an English model" in notes[0]


def test_an_engine_of_unknown_reach_states_no_limitation() -> None:
    french = _profile("Souffle", "Protéger la santé respiratoire des enfants", ["Réduire le tabagisme"])
    assert language_limitations([french], "some-multilingual-engine") == []


@pytest.mark.parametrize(
    ("text", "through"),
    [
        ("Exploite deux mines d'or à ciel ouvert au Pérou", True),
        ("Wir betreiben Spielhallen in ganz Niedersachsen", True),
        ("Operamos tres casinos en la costa", True),
        ("Runs two open-pit gold mines in Peru", False),
        # Too short to be sure of: read as the engine's own language, as before.
        ("Cruise tourism", False),
        ("Casino", False),
    ],
)
def test_only_a_text_surely_in_another_language_is_read_through_the_reader(text: str, through: bool) -> None:
    assert text_read_by_reader(text, "minilm-int8") is through


def test_an_engine_of_unknown_reach_reads_every_text_itself() -> None:
    assert text_read_by_reader("Exploite deux mines d'or au Pérou", "some-other-engine") is False
