"""Serving a trade is not being in it: glassware makers, casino cleaners and landlords' tenants."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from commonground.core.results import ConflictSeverity
from commonground.core.semantics.cues import load_word_file
from commonground.core.semantics.sector_map import load_sector_map
from commonground.core.semantics.supplies import SUPPLIES_VERSION, only_supplied

# The `crossing` fixture of conftest.py: the red-line severity of an owner's line against one activity.
Crossing = Callable[[str, str], ConflictSeverity | None]


def test_the_word_file_has_a_version_and_names_known_industries() -> None:
    assert SUPPLIES_VERSION.startswith("20")
    smap = load_sector_map()
    known = {s.id for s in (*smap.sectors, *smap.screens)}
    assert set(str(load_word_file("supplies.yaml")["unread"]).split()) <= known


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        # The product describes the organisation's own goods or services.
        ("We make wine glasses and decanters.", "alcohol"),
        ("We provide casino cleaning services.", "gambling"),
        ("Nous fabriquons des verres à vin en cristal.", "alcohol"),
        ("Fabricamos copas para vino y decantadores.", "alcohol"),
        ("Gestionamos la seguridad del casino de Madrid.", "gambling"),
        ("Wir verkaufen Bierkrüge und Weingläser.", "alcohol"),
        ("Seit 1990 fertigen wir Weingläser.", "alcohol"),
        ("From our factory we produce 3 million wine glasses a year for hotels and bars.", "alcohol"),
        ("We make bottles for distilleries.", "alcohol"),
        ("Wir bieten Casinobetreibern Versicherungen an.", "gambling"),
        # The trade is the customer of the organisation's goods.
        ("Vendemos máquinas de hielo a casinos y hoteles.", "gambling"),
        ("We supply pubs with glassware, napkins and beer mats.", "alcohol"),
        ("Ofrecemos servicios de limpieza a casinos y hoteles.", "gambling"),
        ("Wir liefern Verpackungsmaschinen an Hersteller von Zigaretten.", "tobacco"),
        ("Nous livrons des bouteilles vides aux distilleries.", "alcohol"),
        # Someone else does it.
        ("Our landlord runs a casino on the ground floor.", "gambling"),
        ("Most local smallholders grow tobacco; we introduce them to beans.", "tobacco"),
        ("Notre principal actionnaire exploite des mines de cuivre au Chili.", "mining"),
        ("Nous accompagnons les buralistes qui vendent du tabac vers une diversification.", "tobacco"),
        # Given away, shut or without the harm.
        ("We distribute donated medicines to clinics in Malawi.", "pharmaceuticals"),
        ("We own a shuttered casino that we are converting into homes.", "gambling"),
        ("Vendemos cerveza sin alcohol a hoteles.", "alcohol"),
    ],
)
def test_a_product_named_only_as_what_the_organisation_serves_is_left_out(text: str, industry: str) -> None:
    assert industry in only_supplied(text)


@pytest.mark.parametrize(
    "text",
    [
        # The product itself, beside goods for it.
        "We make wine and wine glasses.",
        "We run casinos and provide casino cleaning services.",
        "We sell software to casinos and run two casinos of our own.",
        # Goods that are the trade's own product, or a head no list knows.
        "We develop online casino software.",
        "We manufacture slot machines.",
        "We make cigarette filters for the big tobacco brands.",
        "Wir produzieren Einwegverpackungen aus Plastik für Imbisse.",
        # A lack that is the harm itself, and a plan up to a year to come.
        "Wir vergeben Sofortkredite ohne Schufa zu hohen Zinsen.",
        "Bis 2099 unsere Zigarettenmarke in fünf neuen Märkten einführen.",
        # The organisation itself, described by a relative.
        "We are retailers who sell tobacco and newspapers.",
        "We supply pubs with beer.",
    ],
)
def test_a_product_the_organisation_itself_makes_or_sells_is_not_left_out(text: str) -> None:
    assert only_supplied(text) == frozenset()


@pytest.mark.parametrize(
    ("red_line", "activity"),
    [
        ("No alcohol producers", "We produce wine labels, gift boxes and corks for vineyards in Bordeaux."),
        ("No gambling operators", "We supply pens and till rolls to bookmakers across Ireland."),
        ("No tobacco companies", "Our largest client makes cigarettes; we handle its payroll."),
        (
            "Keine Partnerschaft mit der Alkoholindustrie.",
            "Wir verkaufen Weingläser, Dekanter und Korkenzieher.",
        ),
    ],
)
def test_a_supplier_does_not_cross_the_red_line_against_the_trade_it_serves(
    red_line: str, activity: str, crossing: Crossing
) -> None:
    assert crossing(red_line, activity) is None


@pytest.mark.parametrize(
    ("red_line", "activity"),
    [
        ("No alcohol producers", "We produce wine, and the labels and gift boxes for it."),
        ("No gambling operators", "We run betting shops and supply pens to other bookmakers."),
    ],
)
def test_a_supplier_that_also_makes_the_product_still_crosses(
    red_line: str, activity: str, crossing: Crossing
) -> None:
    assert crossing(red_line, activity) in (ConflictSeverity.BLOCKER, ConflictSeverity.HIGH)


@pytest.mark.parametrize(
    "text",
    [
        # Services that are the trade's own work, and its own tickets.
        "We provide drilling services to oil companies.",
        "We provide engineering services to the arms industry.",
        "We provide armed security services in conflict zones.",
        "We sell lottery tickets in 300 newsagents.",
        "We sell tickets for lotteries and sweepstakes.",
    ],
)
def test_services_and_goods_that_are_the_trade_s_own_are_not_left_out(text: str) -> None:
    assert only_supplied(text) == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        # Software and branded goods are the trade's own product or its promotion.
        "We develop game software for online casinos.",
        "We supply targeting software for fighter jets' missile systems.",
        "We supply beer-branded glassware and bar mats for promotions.",
        # A cross-language word: "capsules" are bottle caps only in French.
        "We develop the flavour capsules that smokers click inside cigarette filters.",
        # Someone else without a verb of theirs, or a word of ours after them.
        "A member of the national tobacco manufacturers' association since 1998.",
        "Our pub company's tied tenants buy all their beer from our brewery.",
    ],
)
def test_the_trade_s_own_software_brands_and_members_are_not_left_out(text: str) -> None:
    assert only_supplied(text) == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        # The first review of supplies.2026.1 (2026-12-07): the customer, the trade or the tenant is
        # the organisation itself.
        "We provide security staff to the two casinos we own.",
        "We supply our 40 pubs with glassware, napkins and beer mats.",
        "We make gun safes for the rifles and pistols we also manufacture.",
        "Nous fournissons des croupiers aux casinos que nous possédons.",
        "Suministramos personal a los casinos que explotamos.",
        "Wir liefern Maschinen an die Brauereien, die wir selbst betreiben.",
        "Retailers across the region sell the cigarettes we manufacture.",
        "Los estanqueros venden los cigarrillos que fabricamos en Canarias.",
        "We own the building as landlord and run the casino on its ground floor.",
        "Our members grow tobacco and the cooperative cures and sells it.",
        # More of its own goods after the first, not a customer.
        "We make beer glasses as well as the beer.",
        "Nous vendons des verres à vin avec le vin de notre propre vignoble.",
        "Wir verkaufen Weingläser mit unserem eigenen Wein.",
        # Vessels full of the product, a reopened casino, weapon parts.
        "Servimos copas de vino y tapas.",
        "We reopened the shuttered casino last year and run it ourselves.",
        "Wir fertigen Verschlüsse für Gewehre und Pistolen.",
        # Without the harm, then a product no list knows.
        "Nous produisons du cidre sans alcool et du calvados.",
        # A vintage range is no tie that ended.
        "We sell wines from the 2016 to 2021 vintages.",
        # The second review (2026-12-07): a second object after the customer, a subject shared with
        # someone else, the organisation after the product whatever its verb, itself as a customer,
        # donated goods it makes.
        "Nous vendons des machines aux fabricants de cigarettes et des cigarettes aux buralistes.",
        "Wir liefern Flaschen an Brauereien und Bier an Gaststätten.",
        "Notre bailleur et nous exploitons ensemble un casino.",
        "Our members and we grow tobacco.",
        "Our landlord runs a casino which we manage for him.",
        "Our shareholders run casinos and so does our subsidiary.",
        "We supply machines to cigarette makers such as ourselves.",
        "We manufacture donated medicines for charities.",
    ],
)
def test_the_organisation_naming_itself_beside_the_trade_keeps_it(text: str) -> None:
    assert only_supplied(text) == frozenset()


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        # A service done on the trade's places, goods or books, or for it (supplies 2026.2).
        ("We repair and service bottling lines for breweries and distilleries.", "alcohol"),
        ("We audit the annual accounts of several breweries and wine merchants.", "alcohol"),
        ("We translate marketing and legal documents for tobacco companies.", "tobacco"),
        ("We lease electric trucks to oil refineries and chemical plants.", "fossil_fuels"),
        ("We clean casinos.", "gambling"),
        ("Limpiamos las salas de juego de un casino de Benidorm.", "gambling"),
        ("We print labels for wineries and breweries.", "alcohol"),
        # Goods every trade buys (supplies 2026.3).
        ("We manufacture stainless steel fermentation tanks for craft breweries.", "alcohol"),
        ("Wir liefern Paletten und Gabelstapler an Brauereien in ganz Bayern.", "alcohol"),
        ("Fabricamos cascos y botas de seguridad para la minería.", "mining"),
    ],
)
def test_a_service_on_the_trade_is_not_the_trade(text: str, industry: str) -> None:
    assert industry in only_supplied(text)


@pytest.mark.parametrize(
    "text",
    [
        # A doing verb joined to the service, the organisation's own places, its own product handed
        # over.
        "We clean and run casinos.",
        "We print and sell lottery tickets.",
        "We clean our own casinos.",
        "We clean casinos and run two of our own.",
        "We rent out slot machines to arcades.",
    ],
)
def test_a_service_verb_beside_the_trade_s_own_doing_keeps_it(text: str) -> None:
    assert "gambling" not in only_supplied(text)


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        # The organisation's own business, by a noun no list knows, as the subject of its verb.
        ("Our family glassworks makes decanters and wine glasses for restaurants.", "alcohol"),
        ("Notre verrerie fabrique des verres à vin pour les hôtels.", "alcohol"),
        ("Unsere Glasmanufaktur fertigt Weingläser für Hotels.", "alcohol"),
    ],
)
def test_our_own_business_named_as_the_subject_serves_the_trade(text: str, industry: str) -> None:
    assert industry in only_supplied(text)


@pytest.mark.parametrize(
    "text",
    [
        # The business is the trade, names its product too, or the subject is someone else's.
        "Our winery sells wine glasses and wine to hotels.",
        "Our distillery sells gin and gin glasses to bars.",
        "Unsere Brauerei verkauft Bier und Biergläser an Gaststätten.",
        "Our casino sells security services to hotels.",
        # A business no list knows may be the trade itself (found by review).
        "Our brewpub supplies pubs with glassware.",
        "Our cidery sells cider glasses to pubs.",
        "Notre domaine viticole vend des verres à vin aux visiteurs.",
        "Our partner sells uniforms to its casinos.",
        # The business's own places, named in the third person, are its own (found by review).
        "Our glassworks makes wine glasses for its wine shop.",
        "Notre verrerie fabrique des verres à vin pour son bar à vins.",
    ],
)
def test_our_own_business_that_is_the_trade_keeps_it(text: str) -> None:
    assert not only_supplied(text) & {"alcohol", "gambling"}
