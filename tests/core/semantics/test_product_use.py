"""Running vans on diesel is not being in the oil business."""

from __future__ import annotations

import pytest

from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.product_use import PRODUCT_USE_VERSION, only_used
from commonground.core.semantics.sectors import read_texts


def test_the_word_file_has_a_version() -> None:
    assert PRODUCT_USE_VERSION.startswith("20")


@pytest.mark.parametrize(
    "text",
    [
        "A parcel courier whose 300 vans run on diesel",
        "Operates diesel buses on 40 rural routes",
        "We heat our offices with gas boilers",
        "Runs backup diesel generators at every clinic",
        "Una empresa de autobuses que funcionan con gasóleo",
        "Une entreprise de transport dont les camions roulent au gazole",
        "Diesel engine manufacturer for trucks",
    ],
)
def test_fuel_named_only_as_what_vehicles_run_on_is_use(text: str) -> None:
    assert only_used(text) == {"fossil_fuels"}


@pytest.mark.parametrize(
    "text",
    [
        # A trade in the fuel, however vehicles come into it.
        "Runs 120 petrol stations along the motorways",
        "Supplies diesel to bus operators",
        "We deliver heating oil in our tanker lorries",
        "Our lorries run on diesel from our own refinery",
        # Something else of the sector named beside the fuel used.
        "Coal miner whose trucks run on diesel",
        # Lobbying for the product puts a text in the sector (the brief's definition).
        "Lobby to postpone the ban on new gas boilers",
        # The fuel named otherwise than as what a thing runs on.
        "Sells heating oil and LPG to rural homes",
        "Refines crude into diesel for export",
        # Review of product use 2026.1: a frame needs a vehicle or machine before it; carried fuel.
        "Operates a 400 MW power plant fuelled by natural gas",
        "Offshore rig contractor in the North Sea; our rigs run on diesel",
        "Bottled gas delivery vans serve 20,000 rural homes",
    ],
)
def test_trading_lobbying_or_naming_more_of_the_sector_is_not(text: str) -> None:
    assert only_used(text) == frozenset()


@pytest.mark.slow
def test_a_courier_running_diesel_vans_is_in_no_sector_and_a_fuel_seller_still_is() -> None:
    texts = ["Runs a fleet of 300 petrol delivery vans", "Sells diesel and heating oil to farms and hauliers"]
    engine = get_engine()
    courier, seller = read_texts(texts, engine.embed(texts), engine=engine)
    assert "fossil_fuels" not in [m.sector for m in courier.sectors]
    assert [m.sector for m in seller.sectors] == ["fossil_fuels"]
