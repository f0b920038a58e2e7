"""What a statement says its organisation makes, sells or runs, in English, French, Spanish and German."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from commonground.core.results import Conflict, ConflictSeverity
from commonground.core.semantics.cues import load_word_file
from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.product_claims import PRODUCT_CLAIMS_VERSION, claimed_industries
from commonground.core.semantics.sector_map import load_sector_map
from commonground.core.semantics.sectors import read_texts

# The `crossing` fixture of conftest.py: the red-line severity of an owner's line against one activity.
Crossing = Callable[[str, str], ConflictSeverity | None]


def test_the_word_file_has_a_version_and_lists_products_of_industries_only() -> None:
    assert PRODUCT_CLAIMS_VERSION.startswith("20")
    smap = load_sector_map()
    industries = {g.id for g in (*smap.sectors, *smap.screens) if not g.conduct}
    assert set(load_word_file("product_claims.yaml")["products"]) <= industries


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("We make and sell pesticides.", "toxic_chemicals"),
        ("We run a chain of 80 pubs.", "alcohol"),
        ("We mine copper and cobalt.", "mining"),
        ("Operates mink farms in Denmark", "fur_and_wildlife"),
        ("We are a family business that makes cigars.", "tobacco"),
        ("Nous exploitons trois carrières de cuivre et une mine de lithium au Chili", "mining"),
        ("Nous exploitons des centrales à charbon", "fossil_fuels"),
        ("Somos un laboratorio que desarrolla y comercializa vacunas", "pharmaceuticals"),
        ("Fabricamos bolsas de plástico desechables para supermercados", "single_use_plastics"),
        ("Wir züchten Nerze und verkaufen die Felle an Modehäuser", "fur_and_wildlife"),
        ("Wir betreiben ein Kernkraftwerk", "nuclear_power"),
        ("Wir betreiben Kupferminen in Sambia.", "mining"),
        ("Nous exploitons des mines d'or en Guyane.", "mining"),
        ("We sell cigarettes worldwide.", "tobacco"),
        ("We make and sell fur coats.", "fur_and_wildlife"),
        ("We develop facial recognition software for police forces.", "surveillance_technology"),
        ("Wir entwickeln Krebsmedikamente und vertreiben sie in 40 Ländern.", "pharmaceuticals"),
        # German verbs split in two, read when the clause ends in the particle.
        ("Wir stellen Zigaretten her.", "tobacco"),
        ("Unsere Firma stellt Kautabak und Schnupftabak her.", "tobacco"),
        ("Wir bauen Tabak an.", "tobacco"),
        ("Wir bieten Sportwetten und Casinospiele an.", "gambling"),
        ("Wir stellen Whisky und Gin her.", "alcohol"),
        ("Wir stellen Generika und Impfstoffe her.", "pharmaceuticals"),
        # "Only" and "not only" read as what they say, not as negations.
        ("Nous ne produisons que des spiritueux : whisky, gin et rhum.", "alcohol"),
        ("No solo elaboramos vino: también organizamos catas.", "alcohol"),
        ("Wir brauen nicht nur Bier, sondern auch Limonaden.", "alcohol"),
        # Flights operated, fur coats and fur farms in German compounds, delivered heating oil.
        ("Nous exploitons des vols charters vers les îles grecques.", "aviation"),
        ("Operamos vuelos regulares entre Canarias y la península.", "aviation"),
        ("Wir stellen Pelzmäntel her.", "fur_and_wildlife"),
        ("Wir betreiben drei Pelztierfarmen in Polen.", "fur_and_wildlife"),
        ("Nous livrons du fioul domestique dans toute la Bretagne.", "fossil_fuels"),
        ("Wir betreiben ein Casino in Baden-Baden.", "gambling"),
        # A phrase of place or time between a German split verb and its particle is not the object.
        ("Wir bauen in Franken Tabak an.", "tobacco"),
        ("Wir stellen seit 1890 Zigarren in Handarbeit her.", "tobacco"),
        ("Wir bieten in unseren Filialen Sportwetten an.", "gambling"),
    ],
)
def test_a_doing_verb_whose_object_is_a_product_claims_the_industry(text: str, industry: str) -> None:
    assert industry in claimed_industries(text)


@pytest.mark.parametrize(
    "text",
    [
        # Remedies, substitutes and ends of a trade, in each language.
        "We make nicotine patches",
        "We sell alcohol-free beer.",
        "Nous fabriquons des alternatives au plastique à usage unique",
        "Vendemos tratamientos para la adicción al juego",
        "Wir produzieren Nikotinpflaster und Kunstpelz",
        # Negations and ended ties.
        "Nous ne vendons plus de tabac.",
        "Nous n'exploitons plus de mines de charbon.",
        "No vendemos alcohol a menores.",
        "Wir verkaufen keine Zigaretten mehr.",
        "We no longer sell cigarettes.",
        # The verb is someone else's, or its object is not the product.
        "We help farmers who grow tobacco switch to vegetables",
        "We sell software to casinos.",
        "Nous fabriquons des filtres pour les centrales à charbon",
        "Vendemos seguros a empresas mineras",
        "We offer coal miners retraining.",
        "We run a coal mining museum.",
        "The school trains people, and they sell tobacco",
        # A product named only inside a phrase of another trade.
        "We sell olive oil and vinegar.",
        # A product word describing the object's head (found by the review of 2026-12-07, where
        # each of these was a new blocker): the object is paintings, masks, gums, maps, vinegar.
        "We sell oil paintings by local artists.",
        "We make sunflower oil from locally grown seeds.",
        "We sell gas masks and respirators to hospitals.",
        "We supply diesel generators to rural hospitals.",
        "We make wine gums and fruit jellies.",
        "We run pub quizzes for charity fundraising.",
        "We make bath bombs and scented candles.",
        "We sell water pistols and beach toys.",
        "We run guided tours of the old copper mine for school groups.",
        "Nous produisons des cartes des carrières illégales pour les autorités.",
        "Nous produisons du vinaigre de cidre bio.",
        "Vendemos utensilios de cocina de cobre.",
        "Desarrollamos detectores de software espía para periodistas.",
        "Wir betreiben ein Bergbaumuseum im Ruhrgebiet.",
        "Wir verkaufen Pelzimitate aus Recyclingfasern.",
        "Wir verkaufen Spielzeugwaffen aus Holz.",
        # Closing, stopping or replacing the trade.
        "Nous finançons la fermeture des centrales à charbon.",
        "Financiamos el fin del carbón en Chile.",
        "Wir finanzieren Windparks statt Kohlekraftwerke.",
        "Nous avons cessé de vendre du tabac en 2019.",
        "Dejamos de vender tabaco en 2018.",
        # Handing out medicines is aid, not the pharmaceutical industry; selling copper is no mining.
        "Nous distribuons des médicaments aux réfugiés.",
        "Wir liefern Arzneimittel an Flüchtlingslager.",
        "We sell copper pans.",
        # A German split verb: negated, in the past, someone else's, a remedy, or an adverbial between.
        "Wir stellen keine Zigaretten mehr her.",
        "Früher stellten wir Zigaretten her.",
        "Unsere Kunden stellen Zigaretten her.",
        "Wir stellen Nikotinpflaster her.",
        "Wir bieten Beratung für Spieler an.",
        "Wir bauen Kohlekraftwerke ab.",
        # Questions ask; members are someone else (the fifth review, 2026-12-07).
        "Stellen Sie Zigaretten her?",
        "Bieten Sie Sportwetten an?",
        "Verkaufen Sie Zigaretten?",
        "Heute bauen unsere Mitglieder Tabak an.",
        # The second review's new false crossings (2026-12-07): substitutes named like the trade,
        # drinks sold by a club, a place that was the trade, a tie that ended in a year, a genitive.
        "We brew ginger beer and lemonade from an old family recipe.",
        "We sell car parts, tyres and motor oil.",
        "We make beard oil and natural soaps for men.",
        "We sell seed bombs to help city gardeners grow wildflowers.",
        "Our bakery serves pubs and restaurants across Wales with fresh bread.",
        "We run the old colliery as a visitor attraction.",
        "Local banks finance coal plants; we publish the figures every year.",
        "Nous produisons du charbon de bois pour les barbecues.",
        "De 1950 à 2015, la famille cultive le tabac ; aujourd'hui elle produit des noix.",
        "Notre association gère la buvette du stade et vend de la bière les jours de match.",
        "Nous gérons la carrière réaménagée en réserve naturelle.",
        "Vendemos carbón vegetal para barbacoas.",
        "Importamos cerveza artesanal de Bélgica hasta 2020; ahora importamos té.",
        "Wir betreiben die Kantine der Brauerei.",
        "Wir betreiben das Bergwerk Rammelsberg als Besucherbergwerk.",
        "Unser Sportverein verkauft beim Heimspiel Bier und Bratwurst.",
        "We don't sell tobacco, alcohol or lottery tickets in our shops.",
        # The fourth review's two (words of two meanings): a sharpening steel, a talent pool.
        "Coutellerie familiale, nous fabriquons des fusils à aiguiser et des couteaux de cuisine à Thiers.",
        "Explotamos una cantera de talentos: nuestra academia forma a 200 jóvenes futbolistas.",
        # "No longer but", not "only"; flights sold, not flown; a plan up to a year to come is
        # not a tie that ended, nor a claim.
        "Nous ne produisons plus que du cidre.",
        "Nous ne vendons pas de vin.",
        "We sell flights to Greece.",
        "Wir verkaufen Flugtickets.",
        # Place and time phrases left out, what stays is still read whole.
        "Wir stellen in Zusammenarbeit mit der Suchthilfe Infomaterial her.",
        "Wir bauen in der Region keinen Tabak mehr an.",
        "Wir bauen im Garten Tomaten an.",
        "Wir bieten seit 2020 Beratung für Spieler an.",
    ],
)
def test_nothing_is_claimed_when_the_object_is_not_the_organisations_product(text: str) -> None:
    assert claimed_industries(text) == {}


def test_an_english_claim_needs_the_classifiers_to_agree() -> None:
    # "vintage fur coats" in a charity shop: the words claim fur, the classifiers do not agree.
    engine = get_engine()
    texts = [
        "We sell vintage second-hand fur coats in our charity shop.",
        "Our café serves cakes and local wine.",
    ]
    readings = read_texts(texts, engine.embed(texts), engine=engine)
    assert [{m.sector for m in r.pushes} for r in readings] == [set(), set()]


def test_a_statement_that_names_two_industries_keeps_both(crossing: Crossing) -> None:
    # Each claimed industry is a named one (similarity 1.0), so neither is dropped as a runner-up.
    assert crossing(
        "Ningún acuerdo con la industria del alcohol.", "Elaboramos cerveza artesanal y refrescos."
    ) in (
        ConflictSeverity.BLOCKER,
        ConflictSeverity.HIGH,
    )


def test_bitcoin_mining_is_crypto_not_mining() -> None:
    assert set(claimed_industries("We run bitcoin mining farms.")) == {"crypto_assets"}


def test_a_plain_self_description_is_placed_in_its_industry() -> None:
    # The classifier read "We make and sell pesticides." at 0.91, under its 0.92 line.
    engine = get_engine()
    texts = ["We make and sell pesticides.", "Wir züchten Nerze und verkaufen die Felle an Modehäuser"]
    readings = read_texts(texts, engine.embed(texts), engine=engine)
    assert [{m.sector for m in r.pushes} for r in readings] == [{"toxic_chemicals"}, {"fur_and_wildlife"}]


def test_an_explicit_cue_of_working_against_still_vetoes_a_claim() -> None:
    engine = get_engine()
    texts = ["We campaign against coal and sell solar panels."]
    [reading] = read_texts(texts, engine.embed(texts), engine=engine)
    assert not reading.pushes


@pytest.mark.parametrize(
    ("red_line", "activity"),
    [
        pytest.param(
            "No fur",
            "We operate mink farms in Denmark",
            marks=pytest.mark.xfail(
                strict=True,
                raises=AssertionError,
                reason="known miss: an English claim needs the classifiers to agree (at least 0.2), and "
                "the screens' classifier gives fur 0.001 for mink farms; strict, so a fix asks for the "
                "mark to go",
            ),
        ),
        ("Aucun partenariat avec l'industrie de la fourrure", "Nous élevons des visons pour leur fourrure."),
        ("Keine Zusammenarbeit mit dem Bergbau", "Wir betreiben einen Braunkohletagebau in der Lausitz"),
        (
            "Sin alianzas con la industria farmacéutica",
            "Somos un laboratorio que desarrolla y comercializa vacunas",
        ),
    ],
)
def test_a_partner_that_says_it_makes_the_product_crosses_the_red_line(
    red_line: str, activity: str, crossing: Crossing
) -> None:
    assert crossing(red_line, activity) in (ConflictSeverity.BLOCKER, ConflictSeverity.HIGH)


@pytest.mark.parametrize(
    ("red_line", "activity"),
    [
        ("No fur", "Nous fabriquons des manteaux en fausse fourrure végétale"),
        ("Sin alianzas con la industria farmacéutica", "Vendemos seguros a laboratorios farmacéuticos"),
    ],
)
def test_a_partner_near_the_product_does_not_cross(red_line: str, activity: str, crossing: Crossing) -> None:
    assert crossing(red_line, activity) is None


def test_the_evidence_names_the_partners_own_word(finding: Callable[[str, str], Conflict | None]) -> None:
    # The finding says what the partner's text claims, as written, not a closeness in meaning.
    found = finding(
        "Pas de partenariat avec l'industrie minière.", "Nous exploitons des mines d'or en Guyane."
    )
    assert found is not None
    assert found.evidence.detail is not None
    assert found.evidence.detail.startswith('the text says the partner makes, sells or runs "mines d\'or"')


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        # Drinks, medicines and arms sold to the trade are the trade (a café's wine for its guests
        # is not: below).
        ("We sell whisky to hotels, restaurants and duty-free shops.", "alcohol"),
        ("Nous vendons du vin aux hôtels et aux restaurants.", "alcohol"),
        ("Vendemos vino y cava a hoteles y restaurantes.", "alcohol"),
        ("Wir verkaufen Weingläser und Wein an Restaurants.", "alcohol"),
        # The product before a relative clause of the organisation's own verb.
        ("Nous fournissons du personnel aux carrières de granit que nous exploitons.", "mining"),
        ("Suministramos máquinas a las minas de cobre que explotamos.", "mining"),
        ("Wir liefern Sicherheitspersonal an die Spielbanken, die wir selbst betreiben.", "gambling"),
        ("Unsere Kunden verkaufen die Zigarren, die wir in Bremen herstellen.", "tobacco"),
        # "We" beside another subject, or after "and" in a sentence about ourselves.
        ("Our members and we grow tobacco.", "tobacco"),
        ("Unsere Mitglieder und wir bauen Tabak an.", "tobacco"),
        ("Somos el arrendador del edificio y explotamos el casino de la planta baja.", "gambling"),
        ("Wir sind Vermieter des Gebäudes und betreiben die Spielbank im Erdgeschoss.", "gambling"),
        ("Notre bailleur est propriétaire des murs ; c'est nous qui exploitons le casino.", "gambling"),
        # Spanish articles and adverbs before the object's head; drinks and arms named by their kind.
        ("Explotamos los casinos de la costa.", "gambling"),
        ("Nous fabriquons aussi des missiles.", "weapons"),
        ("No solo fabricamos copas: también elaboramos nuestro propio vino.", "alcohol"),
        ("Par l'intermédiaire de notre filiale, nous distillons du calvados.", "alcohol"),
        ("Wir erzeugen und verkaufen Weine.", "alcohol"),
        ("Nous opérons des vols charters pour les voyagistes.", "aviation"),
        # A relative clause before the main verb, a customer named by trade.
        ("Les carrières que nous exploitons fournissent du granit aux maçons.", "mining"),
        ("Las minas de cobre que explotamos están en Chile.", "mining"),
        ("Nous livrons du vin aux restaurateurs de la région.", "alcohol"),
    ],
)
def test_trade_sales_relative_clauses_and_we_beside_others_claim_the_industry(
    text: str, industry: str
) -> None:
    assert industry in claimed_industries(text)


@pytest.mark.parametrize(
    "text",
    [
        "We sell wine to our guests with every dinner.",
        "Nous vendons des verres à vin aux hôtels et aux restaurants.",
        "Vendemos uniformes a ejércitos y policías.",
        "Nous vendons des médicaments à nos patients.",
        "We clean the casino that our landlord runs.",
        "We insure the mines that our clients operate.",
        "Wir reinigen die Spielbanken, die unsere Kunden betreiben.",
        "Les carrières que nous exploitions ont fermé en 2010.",
        "We are the landlord and run the café next to the casino.",
        "Our members and we campaign against tobacco.",
        "Nous opérons des patients atteints de cancer.",
        "Wir verkaufen Bierdeckel und Weinessig.",
        # The review of 2026-12-07 (second batch, written to break these readings): the customer
        # someone's, words of two meanings, a relative clause whose subject, verb or tense is not
        # ours, a condition, "and" after someone else's verbs, a negated cleft.
        "Nous vendons du vin aux clients de nos hôtels.",
        "Wir verkaufen Wein an die Gäste unserer Hotels.",
        "Wir erzeugen Schweine und Rinder.",
        "Exportamos orujo de aceituna para biomasa.",
        "El casino que nosotros denunciamos explota a los jugadores.",
        "Le casino que nous refusons d'exploiter a fermé.",
        "The casino we run shuttle buses to is in Monaco.",
        "Die Zigarren, die wir 1995 verkauft haben, lagern im Museum.",
        "Las minas que explotamos durante treinta años cerraron en 2001.",
        "Si nos membres et nous cultivons encore du tabac, nous perdons le label.",
        "We believe the city owns and runs the casino.",
        "We urge the council to close and sell the casino.",
        "Ce n'est pas nous qui exploitons le casino.",
        "No somos nosotros quienes explotamos el casino.",
    ],
)
def test_near_misses_of_those_readings_claim_nothing(text: str) -> None:
    assert claimed_industries(text) == {}
