"""Regulators, watchdogs and inspectorates oversee an industry; they are never read as in it."""

from __future__ import annotations

import pytest

from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.overseers import OVERSEERS_VERSION, oversees
from commonground.core.semantics.sectors import read_texts


def test_the_word_file_has_a_version() -> None:
    assert OVERSEERS_VERSION.startswith("20")


@pytest.mark.parametrize(
    "text",
    [
        "Gambling regulator",
        "The national gambling regulator licenses and inspects casinos and betting shops.",
        "We are the state regulator for alcohol licensing.",
        "As the national regulator we check adult platforms for compliance with consent rules.",
        "Competition authority investigating cartels in the construction sector",
        "Consumer watchdog testing green claims on supermarket products",
        "Autorité de régulation des jeux d'argent",
        "L'autorité de la concurrence enquête sur les cartels",
        "Organismo regulador del juego en línea",
        "Glücksspielaufsicht eines Bundeslandes",
        "Die Bankenaufsicht des Bundes prüft Kreditinstitute",
        "An independent gambling regulator that licenses casinos and fines betting firms",
    ],
)
def test_a_text_naming_its_organisation_an_overseer_is_found(text: str) -> None:
    assert oversees(text)


@pytest.mark.parametrize(
    "text",
    [
        # Only mentioning an overseer: a preposition or a verb stands before its name.
        "Visits detainees and reports conditions to the inspectorate",
        "Was fined by the advertising watchdog for misleading environmental claims",
        "Lobby regulators to remove the cap on payday loan interest",
        "An independent panel advising the medicines regulator",
        "Our ingredient suppliers commission the animal data that regulators ask for",
        "We make cigarettes and keep the regulator informed",
        # Not an overseer's name: a consultancy, an industry's own body, a port operator.
        "Regulatory affairs consultancy filing marketing authorisation dossiers for generic drug companies",
        "Industry-funded self-regulatory body for alcohol advertising",
        "Port authority running the container terminal",
        "Nous saisissons le régulateur des jeux pour chaque publicité visant les mineurs",
        # Review of overseers 2026.1: a second role, someone else's overseer, another name.
        "State gambling regulator and operator of the national lottery and scratchcards",
        "Energy regulator that also owns the state gas company and its pipelines",
        "Médiateur des jeux et exploitant de 12 casinos sur la côte",
        "Online casino whose regulator is the Malta Gaming Authority",
        "Spielhallenbetreiber, der an die Glücksspielaufsicht berichtet",
        "Gambling Commission licensed bookmaker running 120 betting shops",
        "Watchdog Media Ltd runs casino review sites",
        "Makes gas pressure regulators and valves for oil and gas pipelines",
        "Spielbank; Spielaufsicht rund um die Uhr an 40 Roulettetischen",
    ],
)
def test_a_text_only_mentioning_an_overseer_is_not(text: str) -> None:
    assert not oversees(text)


@pytest.mark.slow
def test_an_overseer_is_in_no_sector_or_screen_and_a_casino_still_is() -> None:
    texts = ["Gambling regulator", "Runs 40 betting shops and a casino in the city centre"]
    engine = get_engine()
    regulator, casino = read_texts(texts, engine.embed(texts), engine=engine)
    assert regulator.sectors == ()
    assert regulator.screen_scores == {}
    assert [m.sector for m in casino.sectors] == ["gambling"]
