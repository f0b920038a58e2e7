"""How a text acts on a measure, in English, French, Spanish and German (core/semantics/measures.py)."""

from __future__ import annotations

import pytest

from commonground.core.semantics.measures import (
    load_measure_words,
    measure_object,
    measure_parts,
    measure_stance,
)


@pytest.mark.parametrize(
    "text",
    [
        "Obtenir un report de cinq ans de l'interdiction des véhicules diesel dans le centre-ville.",
        "Notre fédération demande au gouvernement d'assouplir les plafonds d'émissions des cimenteries.",
        "Presentamos estudios sobre el impuesto a las bebidas azucaradas y pedimos su derogación",
        "Die Verschärfung der CO₂-Grenzwerte für Lkw verhindern",
        "Persuade the council to push back the diesel ban in the old town by five years.",
        "Our public affairs team argues in Brussels for softer maximum residue limits.",
        "Stop the proposed tax on sugary drinks from passing parliament.",
        # Measures 2026.3: a tobacco-control measure by its name, a German "brake" on rents, and
        # a Spanish verb in the subjunctive after "que".
        "Lobby to delay plain packaging for cigarettes",
        "Die Mietpreisbremse abschaffen",
        "Conseguir que se retrase la prohibición del glifosato",
    ],
)
def test_delaying_or_softening_a_measure_holds_it_back_in_four_languages(text: str) -> None:
    assert measure_stance(text) == -1


@pytest.mark.parametrize(
    "text",
    [
        "Initiative, die sich für ein strengeres Lieferkettengesetz einsetzt",
        "Association de locataires qui défend l'encadrement des loyers",
        "Militar a favor de una ley de vivienda más estricta",
        "Campaigns to raise the plastic bag levy and extend it to all single-use packaging",
        "Oppose exemptions from the clean air zone",
        "End exemptions for diesel vans",
        "Scrap the waiver for small farms",
    ],
)
def test_tightening_defending_or_blocking_exemptions_puts_a_measure_in_force(text: str) -> None:
    assert measure_stance(text) == 1


@pytest.mark.parametrize(
    "text",
    [
        # These fight a harm; no law, tax or limit is acted on.
        "Tenants' union defending renters against no-fault evictions",
        "Campaign against air pollution near schools",
        # The verb acts on the harm; the levy is the means.
        "Prevent obesity through a sugar levy",
        "Bis 2026 alle Lieferanten offenlegen und jährlich Risikoanalysen veröffentlichen",
    ],
)
def test_a_text_that_names_no_measure_or_acts_on_a_harm_acts_on_no_measure(text: str) -> None:
    assert measure_stance(text) is None


def test_verbs_listed_with_or_count_once_and_a_relative_clause_does_not_turn_the_stance() -> None:
    assert measure_stance("lobby against clean air standards or seek to delay them") == -1
    assert measure_stance("lobby to weaken, delay or carve exemptions out of accessibility laws") == -1
    assert measure_stance("Gives owners a voice, opposing rent caps that shrink housing supply") == -1
    assert measure_stance("Secure an exemption from the particulate limits until the plant's closure") == -1


def test_a_measures_name_drops_who_is_lobbied_and_keeps_what_is_controlled() -> None:
    name = measure_object("Persuade the agriculture ministry to postpone the ban on neonicotinoid coatings.")
    assert name == "ban neonicotinoid coatings"
    assert measure_object("Obtenir la suppression de l'encadrement des loyers") == "encadrement loyers"


def test_the_measure_vocabulary_has_every_language_in_every_list() -> None:
    words = load_measure_words()
    for section in ("weakening", "upholding", "nouns", "addressees"):
        assert set(words[section]) == {"en", "fr", "es", "de"}, section


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Fighting FOR a measure, or resisting cuts to it, upholds it.
        ("Fight for a higher minimum wage", 1),
        ("Fight to keep the diesel ban", 1),
        ("Block the tax cut for the rich", 1),
        # A tax named as a harm ("tax evasion") is not a measure being weakened.
        ("Fight tax evasion", None),
        ("Stop tax dodging by big companies", None),
        ("Luchar contra la evasión de impuestos", None),
        # A verb acts on the measure of its own conjunct, not on one named in a later one.
        ("Contra la pobreza y a favor del salario mínimo", 1),
        ("Gegen Lohndumping und für den Mindestlohn", None),
        ("Challenge the zoning rules that block housing", -1),
        # Raising a cap loosens it; raising a floor or a tax tightens it.
        ("Raise the speed limit on the coast road to 60 mph", -1),
        ("Raise the national fish catch quota by 20%", -1),
        ("Raise the minimum wage to a living wage", 1),
        ("Raise the quota of women on company boards to 40%", 1),
        ("Raise the legal age limit for buying tobacco to 21", 1),
        # Lifting a ban or a cap removes it; lifting a wage raises it (no sign for that).
        ("Lift the cap on annual rent increases", -1),
        ("Lift the minimum wage to 15 pounds an hour", None),
        # "Without" undoes a weakening word after it and says nothing alone.
        ("Den Mindestlohn ohne Wenn und Aber durchsetzen", 1),
        ("Appliquer sans délai l'encadrement des loyers", 1),
        ("Aprobar una tasa turística sin excepciones", 1),
        # Stopping or resisting cuts to a programme upholds it.
        ("Stop cuts to the school meals programme", 1),
        ("Resist cuts to the minimum wage", 1),
        ("Prorrogar el impuesto a la banca más allá de 2025", None),
        ("Oppose compulsory redundancies", None),
        # "Without any exemption" upholds the ban; a treatment is not a rule.
        ("Faire appliquer dès 2025, sans aucune dérogation, l'interdiction des néonicotinoïdes", 1),
        ("Stop degrading treatment of autistic adults in care", None),
    ],
)
def test_allies_of_a_measure_are_not_read_as_holding_it_back(text: str, stance: int | None) -> None:
    assert measure_stance(text) == stance


@pytest.mark.parametrize(
    ("text", "stance", "measure"),
    [
        ("Block any bill that weakens the ban on single-use plastics.", 1, "ban single-use plastics"),
        ("Lobby against the amendment that tightens the emission limits.", -1, "emission limits"),
        ("Stop the government from watering down the plastic ban.", 1, "plastic ban"),
        ("Prevent regulators from tightening the emission limits.", -1, "emission limits"),
    ],
)
def test_acting_on_a_bill_or_an_actor_composes_with_what_it_does_to_the_measure(
    text: str, stance: int, measure: str
) -> None:
    assert measure_stance(text) == stance
    assert measure_object(text) == measure


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        # Who acts is not the measure: the snack makers' name pulled the levy away from health taxes.
        (
            "Trade association for snack makers that is suing the government to block the new junk-food levy",
            "junk-food levy",
        ),
        ("Funded a retailer coalition to oppose plain packaging", "plain packaging"),
        # German puts the verb after the measure: the name stays whole.
        (
            "Unser Verband fordert, die Sorgfaltspflichten für Zulieferer auszusetzen, "
            "bis eine EU-Regelung gilt",
            "sorgfaltspflichten zulieferer bis eu-regelung gilt",
        ),
    ],
)
def test_a_measure_is_named_from_the_verb_acting_on_it(text: str, measure: str) -> None:
    assert measure_stance(text) == -1
    assert measure_object(text) == measure


def test_a_verb_after_before_only_dates_it_but_as_soon_as_possible_still_acts() -> None:
    # "antes de aplicar" says when, not that the zone is applied.
    assert measure_stance("Un aplazamiento antes de aplicar la zona de bajas emisiones.") == -1
    assert measure_stance("Exigimos cuanto antes aplicar el impuesto al carbono.") == 1
    # "Prórroga" extends a tax as often as it postpones a deadline, so it says nothing alone.
    assert measure_stance("Apoyamos la prórroga del impuesto extraordinario a la banca.") is None


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("We welcome the amendment that strengthens the ban.", 1),
        ("We support the amendment that exempts small farms from the pesticide ban.", -1),
        ("Nous soutenons le projet qui renforce l'interdiction du glyphosate.", 1),
    ],
)
def test_a_change_the_outer_verb_says_nothing_of_is_read_by_its_own_clause(text: str, stance: int) -> None:
    assert measure_stance(text) == stance


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # Each act that names a measure ("phase-out" is one since measures 2026.5).
        (
            "Lobbies parliament to delay the coal phase-out and soften emissions limits",
            ["coal phase-out", "emissions limits"],
        ),
        # Who is exempted is no measure: "dairy farmers" must not be compared on its own.
        (
            "Seeks exemptions from the sugar tax for juice makers and dairy farmers",
            ["exemptions sugar tax juice makers"],
        ),
        # An act with its own verb the other way is not the text's.
        ("Lobbies to delay the sugar tax and supports the tobacco duty", ["sugar tax"]),
        # One measure has no parts: its whole name is compared.
        ("Campaign to delay the Clean Air Zone charges", []),
    ],
)
def test_a_text_listing_acts_on_measures_names_each_one(text: str, parts: list[str]) -> None:
    assert measure_parts(text) == parts


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Measures 2026.4: "fight" a rule holds it back; "fight to ..." is read by the verb after it.
        ("fight vehicle emission controls", -1),
        ("fight to stop the ban on fracking", -1),
        ("fight to keep the ban on fracking", 1),
        ("fighting for a sugar tax", 1),
        ("We fight against the sugar tax", -1),
        ("We fight loopholes in the tobacco tax", 1),
        ("We fight child poverty", None),
        ("Our wildfire programme fights fires across the region", None),
        ("We fight back against the levy", -1),
        ("Nous combattons la taxe carbone", -1),
        # A measure word close after a cue carries it to the measure further on.
        ("We fight the expansion of the ultra low emission zone", -1),
        # A particle after the measure still belongs to its verb.
        ("Push the 2035 zero-emission sales requirement back to 2040", -1),
        ("Water the new packaging rules down", -1),
        ("Bring the diesel ban forward to 2027", 1),
        ("Push our vans back into the depot", None),
        # A particle followed by a direction is not part of the verb.
        ("We will push the ban on single-use plastics back onto the agenda", None),
        ("We want to push the minimum wage back up to two-thirds of median earnings", None),
        # The yearly rise of a minimum wage is a measure; "crop protection" is a product, not a rule.
        ("urge ministers to pause this year's uprating", -1),
        (
            "We defend farmers' access to the crop protection tools they rely on, lobbying EU "
            "institutions to weaken the proposed pesticide reduction targets",
            -1,
        ),
    ],
)
def test_fighting_a_rule_separated_particles_and_product_names_read_as_people_mean_them(
    text: str, stance: int | None
) -> None:
    assert measure_stance(text) == stance


def test_a_purposive_fight_is_not_part_of_the_measures_name() -> None:
    assert measure_object("fight to stop the ban on fracking") == "ban fracking"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Measures 2026.4: cutting a tax, duty or wage holds it back; cutting a cap tightens it.
        ("Campaign to cut beer duty", -1),
        ("Lobby to freeze or cut the minimum wage", -1),
        ("Baisser la taxe sur les sodas", -1),
        ("Reducir el impuesto a las bebidas azucaradas", -1),
        ("Die Tabaksteuer senken", -1),
        ("cut the catch quotas", 1),
        ("lower the emission limits", 1),
        # A limit or quota that may be a floor, a measure used as an instrument, or no measure.
        ("Reduce the quota of women on boards", None),
        ("reduce traffic with the congestion charge", None),
        ("cut emissions under the climate law", None),
        ("Wir senken unsere Preise", None),
    ],
)
def test_lowering_a_measure_holds_back_a_tax_or_wage_and_tightens_a_cap(
    text: str, stance: int | None
) -> None:
    assert measure_stance(text) == stance
