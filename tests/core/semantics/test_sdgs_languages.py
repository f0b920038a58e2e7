"""SDGs of profiles in French, Spanish and German come from the multilingual reader; English is untouched."""

from __future__ import annotations

import json
from importlib import resources

from commonground.core.assessment import assess_profiles
from commonground.core.profiles import Profile
from commonground.core.semantics.engines import MULTILINGUAL_ENGINE
from commonground.core.semantics.languages import language_limitations
from commonground.core.semantics.sdgs import load_calibration, profile_sdgs, sdg_data_sha256


def _profile(name: str, mission: str, goals: list[str], activities: list[str]) -> Profile:
    return Profile.model_validate(
        {"name": name, "kind": "nonprofit", "mission": mission, "goals": goals, "activities": activities}
    )


CLEARWATER = _profile(
    "Clearwater",
    "We bring safe drinking water and sanitation to rural villages and train local health workers.",
    ["Connect 40 villages to clean water by 2028", "Halve childhood diarrhoea in the district"],
    ["Drilling boreholes and building latrines", "Running hygiene lessons in primary schools"],
)


def test_an_english_profile_keeps_exactly_the_sdgs_of_the_english_path() -> None:
    # Pinned from the engine before the reader path existed (commit 1f7a708): same goals, same confidences.
    assert [(s.sdg, s.confidence) for s in profile_sdgs(CLEARWATER)] == [(6, 0.9969), (2, 0.6862)]


def test_french_spanish_and_german_profiles_get_their_sdgs() -> None:
    profiles = {
        6: _profile(
            "Eau Claire",
            "Nous apportons l'eau potable et l'assainissement aux villages ruraux.",
            ["Raccorder 40 villages à l'eau potable d'ici 2028"],
            ["Forage de puits et construction de latrines"],
        ),
        7: _profile(
            "Sol Común",
            "Cooperativa que lleva energía solar a los hogares rurales sin electricidad.",
            ["Instalar paneles solares en 500 viviendas antes de 2027"],
            [],
        ),
        4: _profile(
            "Lernbrücke",
            "Wir ermöglichen Kindern aus armen Familien eine gute Schulbildung.",
            ["Jedes Kind im Viertel soll lesen und schreiben lernen"],
            ["Kostenlose Nachhilfe am Nachmittag"],
        ),
    }
    for expected, profile in profiles.items():
        assert expected in [s.sdg for s in profile_sdgs(profile)], profile.name


def test_the_readers_calibration_is_versioned_and_fitted_on_even_rows_of_the_shipped_facets() -> None:
    raw = json.loads(resources.files("commonground.data").joinpath("sdg_calibration_reader.json").read_text())
    assert raw["engine"] == MULTILINGUAL_ENGINE
    assert raw["data_sha256"] == sdg_data_sha256(), "run: bench/sdg_benchmark.py --engine use-m3 --fit"
    assert "EVEN" in raw["note"]
    assert load_calibration(MULTILINGUAL_ENGINE).version == raw["version"]


def test_a_result_names_the_reader_calibration_only_when_it_was_used() -> None:
    french = _profile(
        "Eau Claire",
        "Nous apportons l'eau potable et l'assainissement aux villages ruraux.",
        ["Raccorder 40 villages à l'eau potable d'ici 2028"],
        [],
    )
    english = _profile("Wellspring", "We fund rural water projects.", ["Fund 100 new wells"], [])
    mixed = assess_profiles([french, CLEARWATER])
    assert mixed.engine.sdg_reader_version == load_calibration(MULTILINGUAL_ENGINE).version
    assert 6 in [s.sdg for s in mixed.sdgs.partners["Eau Claire"]]
    assert assess_profiles([english, CLEARWATER]).engine.sdg_reader_version is None


def test_a_language_the_reader_does_not_know_still_says_its_sdgs_may_be_missing() -> None:
    swahili = _profile(
        "Maji Safi", "Tunasaidia familia maskini kupata maji safi na elimu kwa watoto wao", [], []
    )
    (note,) = language_limitations([swahili], "minilm-int8")
    assert "SDGs, goal tensions" in note
    assert "may be missing or weak" in note
