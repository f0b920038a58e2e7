"""Kinds within a sector that red lines single out (core/semantics/sector_kinds.py)."""

from __future__ import annotations

import pytest

from commonground.core.semantics.sector_kinds import kinds_named, line_kinds, outside_named_kinds


@pytest.mark.parametrize(
    ("text", "sector", "kinds"),
    [
        ("A bank that finances oil and gas pipelines", "fossil_fuels", {"oil", "gas"}),
        ("We extract bitumen from the oil sands of Alberta", "fossil_fuels", {"tar_sands"}),
        ("Betreibt zwei Braunkohlekraftwerke in der Lausitz", "fossil_fuels", {"coal"}),
        ("Finance des centrales à charbon et des gazoducs", "fossil_fuels", {"coal", "gas"}),
        # Hyphenated and elided words are read by their parts.
        ("We are the main lender to coal-based power plants", "fossil_fuels", {"coal"}),
        ("Exploite des gisements d'uranium", "mining", {"uranium"}),
        # A kind's word inside a phrase that names something else is not that kind.
        ("We cut the greenhouse gas emissions of our coal plants", "fossil_fuels", {"coal"}),
        ("Refines palm oil for food makers", "fossil_fuels", set()),
        ("Open-cast mines with a diesel truck fleet and flue gas scrubbers", "fossil_fuels", set()),
        ("Unsere Kohlenstoffbilanz sinkt", "fossil_fuels", set()),
        ("Our vineyard tours lift the spirits of visitors", "alcohol", set()),
        ("We distil brandy and cognac", "alcohol", {"spirits"}),
        ("Opens a copper and cobalt mine", "mining", {"metals"}),
        ("Builds cluster bombs and landmines", "weapons", {"cluster_munitions", "landmines"}),
        ("Wir stellen Jagdgewehre her", "weapons", {"civilian_firearms"}),
        # Conventional arms (sector kinds 2026.2): what a controversial-weapons exclusion allows.
        ("Produces conventional fighter jets", "weapons", {"conventional"}),
        ("Wir bauen Kampfflugzeuge und Fregatten", "weapons", {"conventional"}),
        # Conventional is not read beside words of a controversial kind (review of 2026.2).
        ("Makes artillery shells and cluster munitions", "weapons", {"cluster_munitions"}),
        ("We build frigates armed with nuclear missiles", "weapons", {"nuclear"}),
        ("Builds fighter jets able to carry nuclear bombs", "weapons", {"nuclear"}),
        ("Manufacturer of non-conventional weapons", "weapons", set()),
        ("Drills for oil in the Barents Sea above the Arctic Circle", "fossil_fuels", {"oil", "arctic"}),
        ("Kohle-, Öl- und Gasunternehmen", "fossil_fuels", {"coal", "oil", "gas"}),
        ("Wir betreiben Gasthäuser und Gastronomie", "fossil_fuels", set()),
        # Gambling (sector kinds 2026.3): lotteries apart from casinos, betting and machines.
        ("Operates the national lottery and gives 25% of sales to good causes", "gambling", {"lottery"}),
        ("Runs an online casino and sportsbook", "gambling", {"commercial_gambling"}),
        ("Betreibt 40 Spielhallen mit Spielautomaten", "gambling", {"commercial_gambling"}),
        ("Runs betting shops and sells lottery tickets", "gambling", {"commercial_gambling", "lottery"}),
        # Review of 2026.3: bets, slots and bingo beside a lottery are commercial gambling too.
        (
            "Lets customers bet on the results of international lotteries",
            "gambling",
            {"commercial_gambling", "lottery"},
        ),
        ("Runs a lottery and an online bingo site", "gambling", {"commercial_gambling", "lottery"}),
    ],
)
def test_the_kinds_a_text_names_are_read_in_four_languages(text: str, sector: str, kinds: set[str]) -> None:
    assert kinds_named(text, sector) == kinds


@pytest.mark.parametrize(
    ("line", "sector", "kinds"),
    [
        ("No money from banks that finance oil", "fossil_fuels", {"oil", "tar_sands"}),
        (
            "No makers of controversial weapons",
            "weapons",
            {"controversial", "nuclear", "cluster_munitions", "landmines", "chemical_biological"},
        ),
        # A red line naming the sector as a whole, in its words or by "or other", is not narrowed.
        ("No fossil fuel companies, especially coal", "fossil_fuels", set()),
        ("No coal or other dirty energy", "fossil_fuels", set()),
        ("Pas de charbon ni d'autres hydrocarbures", "fossil_fuels", set()),
        ("Keine Unternehmen mit kohlenstoffintensiven Geschäftsmodellen", "fossil_fuels", set()),
        # A sector's word right after a kind is that kind's head noun, not the whole sector.
        ("We exclude thermal coal mining", "mining", {"coal"}),
        ("No deep-sea mining", "mining", {"deep_sea"}),
        ("No mining companies that extract coal", "mining", set()),
    ],
)
def test_a_red_line_naming_a_kind_covers_the_kinds_within_it(line: str, sector: str, kinds: set[str]) -> None:
    assert line_kinds(line, sector) == kinds


def test_each_text_is_read_by_its_own_kinds_and_one_naming_none_by_the_partners() -> None:
    line = "banks that finance coal"
    oil_and_gas = ["Finances oil and gas pipelines"]
    assert outside_named_kinds(line, "fossil_fuels", oil_and_gas[0], oil_and_gas) == {"oil", "gas"}
    # A text naming coal crosses beside one naming gas; a text naming none reads the partner's.
    texts = ["We finance LNG terminals", "Loans for coal-fuelled power stations"]
    assert outside_named_kinds(line, "fossil_fuels", texts[1], texts) is None
    assert outside_named_kinds(line, "fossil_fuels", "We finance pipelines", oil_and_gas) == {"oil", "gas"}
    assert outside_named_kinds(line, "fossil_fuels", "An energy company", ["An energy company"]) is None
    # Tar sands are oil: a red line on oil is crossed by them.
    assert outside_named_kinds("no oil companies", "fossil_fuels", "Mines the oil sands", []) is None


@pytest.mark.parametrize(
    "line",
    [
        # The sector named as a whole in a phrase or a German compound: not narrowed to casinos.
        "Pas d'argent des casinos ni des jeux d'argent",
        "Ni casinos ni juegos de azar",
        "Keine Gelder von Glücksspielanbietern wie Spielbanken",
        "No money from gambling firms such as casinos",
    ],
)
def test_a_red_line_naming_gambling_as_a_whole_is_not_narrowed(line: str) -> None:
    assert line_kinds(line, "gambling") == frozenset()


def test_a_red_line_naming_lotteries_covers_commercial_gambling() -> None:
    assert line_kinds("No money from lotteries", "gambling") == {"lottery", "commercial_gambling"}
    assert line_kinds("We take no money from casinos or betting companies", "gambling") == {
        "commercial_gambling"
    }


@pytest.mark.parametrize(
    ("line", "text"),
    [
        # Sector kinds 2026.4: a red line naming fast food is not about a soft-drinks maker.
        (
            "No sponsorship from gambling operators, payday lenders, alcohol brands or fast-food chains.",
            "Sparkling soft drinks and iced teas",
        ),
        (
            "We take no money from the tobacco, alcohol, sugary drinks or fast-food industries",
            "Manufactures potato crisps and salty snacks",
        ),
        ("Keine Zusammenarbeit mit Herstellern von Süßwaren", "Betreibt 40 Burger-Restaurants"),
    ],
)
def test_a_red_line_naming_kinds_of_unhealthy_food_leaves_the_others(line: str, text: str) -> None:
    assert outside_named_kinds(line, "unhealthy_food", text, []) is not None


@pytest.mark.parametrize(
    "line",
    [
        "No money from junk food brands or fast-food chains",
        "Pas de financement par l'industrie de la malbouffe",
        "We refuse funding from makers of ultra-processed food and soft drinks",
    ],
)
def test_a_red_line_naming_unhealthy_food_as_a_whole_is_not_narrowed(line: str) -> None:
    assert line_kinds(line, "unhealthy_food") == frozenset()
