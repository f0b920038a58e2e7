"""Helping people leave a harm is read as working against it, never as working in it."""

from __future__ import annotations

import pytest

from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.exits import EXITS_VERSION, helped_exit
from commonground.core.semantics.sectors import read_texts


def test_the_word_file_has_a_version() -> None:
    assert EXITS_VERSION.startswith("20")


@pytest.mark.parametrize(
    ("text", "cue", "left"),
    [
        (
            "Gives tobacco farmers seed and guaranteed buyers so they can leave tobacco",
            "so … leave",
            "tobacco",
        ),
        ("Gives seed so farming families can leave tobacco", "so … leave", "tobacco"),
        ("Helps smokers give up cigarettes", "helps … give up", "cigarettes"),
        ("Supports women leaving the sex trade", "supports … leaving", "the sex trade"),
        ("So that families could quit payday lenders, we offer fair loans", "so … quit", "payday lenders"),
        # What is left ends with its phrase.
        ("Helps coal miners leave the pits for jobs in solar", "helps … leave", "the pits"),
        # French, Spanish and German (review finding: the French text was read as tobacco).
        (
            "Fournit des semences aux producteurs de tabac pour qu'ils puissent quitter le tabac",
            "pour … quitter",
            "le tabac",
        ),
        ("Da semillas a los agricultores para que puedan dejar el tabaco", "para … dejar", "el tabaco"),
        ("Hilft Tabakbauern beim Ausstieg aus dem Tabakanbau", "hilft … ausstieg", "aus dem tabakanbau"),
    ],
)
def test_help_to_leave_something_is_found_with_what_is_left(text: str, cue: str, left: str) -> None:
    found = helped_exit(text)
    assert found is not None
    assert (found.cue, found.left) == (cue, left)


def test_the_industry_or_it_is_whatever_the_text_is_about() -> None:
    found = helped_exit("Helps coal miners exit the industry with retraining")
    assert found is not None
    assert found.generic
    specific = helped_exit("Supports women leaving the sex trade")
    assert specific is not None
    assert not specific.generic


@pytest.mark.parametrize(
    "text",
    [
        "We leave no one behind",
        "Helps customers leave reviews of our beers",
        "Helps fans leave a message for the brewers",
        "Runs twelve casinos and helps guests leave with bigger jackpots",
        # The help is about selling, not leaving.
        "Helps breweries sell beer to people leaving work",
        # Help denied.
        "We do not help smokers quit; we sell cigarettes",
        "Our members gave up tobacco in 2016",
        "We help pubs sell more beer",
        "Vendemos vino y ayudamos a los bares a salir adelante",
        "Produit et vend des cigarettes",
    ],
)
def test_other_uses_of_leave_and_help_are_not(text: str) -> None:
    assert helped_exit(text) is None


def _sectors(text: str) -> list[str]:
    engine = get_engine()
    [reading] = read_texts([text], engine.embed([text]), engine=engine)
    return [m.sector for m in reading.sectors]


@pytest.mark.slow
def test_an_organisation_helping_growers_leave_tobacco_is_not_a_tobacco_grower() -> None:
    # Read as tobacco at 0.98 by the sectors' classifier before the exit words (blind set 2).
    text = "Gives tobacco farmers seed, training and guaranteed buyers so they can leave tobacco"
    engine = get_engine()
    [reading] = read_texts([text], engine.embed([text]), engine=engine)
    assert reading.sectors == ()
    assert reading.screens == ()
    assert "tobacco" not in reading.screen_scores


@pytest.mark.slow
def test_what_is_left_is_read_in_french_and_spanish_too() -> None:
    # MiniLM reads "le tabac" as no sector; the multilingual reader names it. The French text alone
    # was tobacco at 0.95, over the classifier's threshold, before its exit was read.
    texts = [
        "Donne aux producteurs de tabac des semences, une formation et des acheteurs garantis "
        "pour qu'ils puissent quitter le tabac",
        "Da a los cultivadores de tabaco semillas y compradores garantizados para que puedan dejar el tabaco",
    ]
    engine = get_engine()
    for reading in read_texts(texts, engine.embed(texts), engine=engine):
        assert reading.sectors == ()
        assert "tobacco" not in reading.screen_scores


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("Grows tobacco leaf on 400 hectares for cigarette makers", "tobacco"),
        # Helping people leave something else keeps the text in its own sector (review findings).
        ("Brews lager and supports pubs leaving the tied-house system", "alcohol"),
        (
            "Sells beer, wine and spirits online with delivery so customers can leave the car at home",
            "alcohol",
        ),
        (
            "Runs payday loan shops and supports customers who want to leave their overdraft behind",
            "predatory_lending",
        ),
    ],
)
def test_a_text_that_does_the_sector_is_still_read_as_it(text: str, sector: str) -> None:
    assert sector in _sectors(text)
