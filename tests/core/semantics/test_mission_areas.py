"""Mission areas of profiles in a language MiniLM reads poorly, read by the multilingual reader."""

from __future__ import annotations

from commonground.core.assessment import assess
from commonground.core.profiles import Partnership
from commonground.core.results import ConflictKind
from commonground.core.semantics.engines import DEFAULT_ENGINE, get_engine
from commonground.core.semantics.mission_areas import reader_areas
from commonground.core.semantics.sectors import read_texts
from commonground.core.semantics.stance_model import load_stance_model

LUNG_CHARITY = {
    "name": "Air Pur Occitanie",
    "kind": "nonprofit",
    "mission": "Prévenir les maladies respiratoires et aider les fumeurs à arrêter de fumer.",
    "activities": ["Consultations gratuites d'aide à l'arrêt du tabac dans les hôpitaux de la région"],
    "goals": ["Réduire de moitié le nombre de fumeurs quotidiens chez les jeunes d'ici 2032"],
}
CIGARETTE_MAKER = {
    "name": "Tabacs du Causse",
    "kind": "company",
    "mission": "Nous fabriquons et vendons des cigarettes et du tabac à rouler.",
    "activities": ["Produit chaque année deux milliards de cigarettes dans notre usine de Rodez"],
    "goals": ["Gagner trois points de part de marché sur le tabac à rouler d'ici 2028"],
}


def _reader() -> str:
    model = load_stance_model(DEFAULT_ENGINE)
    assert model is not None
    return model.reader


def test_a_french_health_mission_pursues_health_through_the_reader_not_through_minilm() -> None:
    engine = get_engine(DEFAULT_ENGINE)
    text = [LUNG_CHARITY["mission"]]
    assert read_texts(text, engine.embed(text), engine=engine)[0].areas == ()  # the gap
    [areas] = reader_areas(text, [set()], reader=_reader())
    assert "health" in {a.area for a in areas}


def test_an_area_the_text_works_against_by_its_own_sector_is_left_out() -> None:
    [areas] = reader_areas([LUNG_CHARITY["mission"]], [{"health"}], reader=_reader())
    assert "health" not in {a.area for a in areas}


def test_a_french_cigarette_maker_and_a_french_lung_charity_get_the_sensitive_sector_finding() -> None:
    result = assess(Partnership.model_validate({"name": "fr", "partners": [LUNG_CHARITY, CIGARETTE_MAKER]}))
    found = [c for c in result.conflicts if c.kind == ConflictKind.SENSITIVE_SECTOR]
    assert [(c.parties, "health" in c.evidence.data_row) for c in found] == [
        (["Tabacs du Causse", "Air Pur Occitanie"], True)
    ]


def test_an_english_profile_keeps_minilms_areas() -> None:
    english = {
        "name": "Clear Lungs Trust",
        "kind": "nonprofit",
        "mission": "Prevent lung disease and help smokers quit.",
    }
    maker = {
        "name": "Causse Tobacco",
        "kind": "company",
        "mission": "Manufactures cigarettes and rolling tobacco.",
    }
    result = assess(Partnership.model_validate({"name": "en", "partners": [english, maker]}))
    [conflict] = [c for c in result.conflicts if c.kind == ConflictKind.SENSITIVE_SECTOR]
    assert "(multilingual reader)" not in conflict.evidence.detail
