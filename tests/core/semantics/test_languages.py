"""Language detection and the limitations a result states for profiles in other languages."""

from __future__ import annotations

import pytest

from commonground.core.profiles import Profile
from commonground.core.semantics.languages import detect_language, language_limitations, profile_language


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
