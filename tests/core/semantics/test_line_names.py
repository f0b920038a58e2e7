"""The sectors a red line names in words, in English, French, Spanish and German."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from commonground.core.results import ConflictSeverity
from commonground.core.semantics.cues import load_word_file
from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.line_names import LINE_NAMES_VERSION, sectors_named
from commonground.core.semantics.polarity import red_line_topic
from commonground.core.semantics.sector_map import load_sector_map
from commonground.core.semantics.sectors import read_texts

# The `crossing` fixture of conftest.py: the red-line severity of an owner's line against one activity.
Crossing = Callable[[str, str], ConflictSeverity | None]


def test_the_word_file_has_a_version_and_names_only_known_sectors() -> None:
    assert LINE_NAMES_VERSION.startswith("20")
    smap = load_sector_map()
    known = {g.id for g in (*smap.sectors, *smap.screens)}
    assert set(load_word_file("line_names.yaml")["sectors"]) <= known


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("Pas de partenariat avec l'industrie minière", "mining"),
        ("Nos negamos a cualquier vínculo con la industria peletera", "fur_and_wildlife"),
        ("Wir gehen keine Partnerschaft mit Glücksspielanbietern ein.", "gambling"),
        ("Nos negamos a trabajar con empresas de apuestas", "gambling"),
        ("Pas de financement de l'industrie du tabac", "tobacco"),
        ("Keine Partnerschaften mit Betreibern von Atomkraftwerken", "nuclear_power"),
        ("We will not partner with organisations that proselytise", "proselytising_aid"),
        ("Sin alianzas con empresas de criptoactivos", "crypto_assets"),
    ],
)
def test_a_red_line_names_its_sector(text: str, sector: str) -> None:
    assert sector in sectors_named(text)


def test_a_phrase_is_read_before_the_words_it_holds() -> None:
    # "Mines" in anti-personnel mines are weapons, not mining; palm oil is not the oil industry.
    assert set(sectors_named("We exclude makers of anti-personnel mines")) == {"weapons"}
    assert set(sectors_named("No partners that grow palm oil on cleared peat")) == {
        "deforestation_commodities"
    }


@pytest.mark.parametrize(
    "text",
    [
        # Words that hold a stem without naming the trade: competition, equipment, ceasefire.
        "Keine Partner, die den fairen Wettbewerb behindern",
        "Keine Lieferanten von Schutzausrüstung ohne Zertifikat",
        "No partners that use data mining on children",
        "Pas de partenaires à Paris sans contrat écrit",
        # Found by the review of 2026.1: disarmament, outrage, cryptography, ad slots, drug cartels.
        "Keine Partner, die sich gegen nukleare Abrüstung stellen",
        "Keine Partner, deren Entrüstung gespielt ist",
        "Wir arbeiten nicht mit Firmen, die Hintertüren in Kryptografie einbauen",
        "Nous soutenons le désarmement nucléaire",
        "No partners that sell advertising slots to political campaigns",
        "No partners linked to drug cartels",
    ],
)
def test_words_that_only_look_like_a_name_name_nothing(text: str) -> None:
    assert sectors_named(text) == {}


def test_a_red_line_in_another_language_is_about_the_sector_it_names_alone() -> None:
    # Read by similarity, "l'industrie minière" was nearest to crypto-assets.
    engine = get_engine()
    topic = red_line_topic("Pas de partenariat avec l'industrie minière")
    [reading] = read_texts([topic], engine.embed([topic]), engine=engine, backstop=False, named=[False])
    assert {t.sector for t in reading.topics} == {"mining"}


@pytest.mark.parametrize(
    ("red_line", "activity"),
    [
        ("Wir gehen keine Partnerschaft mit Glücksspielanbietern ein.", "Operates 40 casinos across Germany"),
        ("Nos negamos a trabajar con empresas de apuestas", "Operates an online poker and slots site"),
        ("Pas de partenariat avec l'industrie minière", "We operate three gold mines in Ghana"),
    ],
)
def test_a_partner_in_the_named_sector_crosses_a_red_line_in_another_language(
    red_line: str, activity: str, crossing: Crossing
) -> None:
    assert crossing(red_line, activity) in (ConflictSeverity.BLOCKER, ConflictSeverity.HIGH)


def test_a_partner_that_fights_the_named_sector_does_not_cross(crossing: Crossing) -> None:
    assert (
        crossing(
            "Wir gehen keine Partnerschaft mit Glücksspielanbietern ein.",
            "Sportverein, der Sponsoring durch Wettanbieter ablehnt",
        )
        is None
    )


@pytest.mark.parametrize(
    "text",
    [
        "No alcohol advertising aimed at young people",
        "Pas de publicité pour l'alcool auprès des jeunes",
        "Sin publicidad de bebidas azucaradas dirigida a niños",
        "Keine Werbung für Alkohol bei Jugendlichen",
        "Keine Alkoholwerbung im Umfeld von Schulen",
    ],
)
def test_a_product_named_as_what_is_advertised_is_not_the_partners_trade(text: str) -> None:
    # Such a red line is about marketing: every brewer does not cross it.
    assert sectors_named(text) == {}


def test_a_sponsor_named_after_from_is_still_named() -> None:
    assert set(sectors_named("We will not accept sponsorship from fossil fuel or aviation companies")) == {
        "fossil_fuels",
        "aviation",
    }


# Words of data/sector_kinds.yaml naming a whole sector that the names leave out on purpose: a
# red line saying "mines" or "arms" may mean landmines or a body's arms, "defence" a legal one,
# "junk" junk bonds or junk mail.
_AMBIGUOUS = {"mine", "mines", "miner", "arms", "defence", "defense", "junk"}


def test_every_word_naming_a_whole_sector_in_the_kinds_file_names_it_here() -> None:
    kinds = load_word_file("sector_kinds.yaml")["sectors"]
    missing = [
        (sector, word)
        for sector, entry in kinds.items()
        for word in [
            *str(entry.get("general", "")).split(),
            *entry.get("general_phrases", []),
            *str(entry.get("general_stems", "")).split(),
        ]
        if word not in _AMBIGUOUS and sector not in sectors_named(word)
    ]
    assert missing == []
