"""Policy areas of measures: a red line about one kind of rule is crossed by any rule of that kind."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.core.assessment import assess
from commonground.core.profiles import Partnership
from commonground.core.results import AssessmentResult, ConflictKind, ConflictSeverity
from commonground.core.semantics.engines import MULTILINGUAL_ENGINE, get_engine
from commonground.core.semantics.measure_domains import (
    DOMAIN_THRESHOLD,
    closest_domains,
    domain_phrases,
    domains_covered,
    load_measure_domains,
    measure_domains,
)


def test_every_area_is_well_formed_and_sits_in_a_known_broader_one() -> None:
    domains = load_measure_domains()
    ids = {d.id for d in domains}
    assert len(ids) == len(domains)
    assert all(d.phrases and (d.within is None or d.within in ids) for d in domains)
    assert len(domain_phrases()) == sum(len(d.phrases) for d in domains)


def test_a_broad_area_covers_its_narrower_ones_but_not_the_other_way_round() -> None:
    assert {"air_quality", "climate", "pesticides"} <= domains_covered("environment")
    assert domains_covered("air_quality") == {"air_quality"}
    assert "environment" not in domains_covered("air_quality")
    assert "housing" not in domains_covered("environment")
    assert domains_covered(None) == frozenset()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Win a three-year delay to the city's low-emission zone for delivery vans", "air_quality"),
        ("Nous demandons le report de la taxe sur les sodas", "health_taxes"),
        ("Die Mietpreisbremse in unserer Stadt abschaffen und den Kündigungsschutz lockern", "housing"),
        ("Keep the national wage floor where it is for another two years", "wages"),
    ],
)
def test_the_closest_policy_area_is_the_measures_own_in_any_language(text: str, area: str) -> None:
    # Only the closest area: whether it is close enough (DOMAIN_THRESHOLD) is the pairs' business.
    ((found, _),) = closest_domains([text], reader=get_engine(MULTILINGUAL_ENGINE))
    assert found == area


@pytest.mark.slow
def test_a_text_about_no_measure_is_placed_nowhere() -> None:
    assert measure_domains(["We bake bread"], reader=get_engine(MULTILINGUAL_ENGINE)) == [None]


def _red_line_conflicts(red_line: str, partner: dict[str, Any]) -> list[Any]:
    owner = {
        "name": "Clean Air Parents",
        "kind": "nonprofit",
        "mission": "Protect children's lungs from polluted air.",
        "red_lines": [red_line],
    }
    result: AssessmentResult = assess(
        Partnership.model_validate({"name": "pair", "partners": [owner, partner]})
    )
    return [c for c in result.conflicts if c.kind is ConflictKind.RED_LINE]


_CEMENT = {
    "name": "Valley Cement",
    "kind": "company",
    "mission": "Make cement for the region's builders.",
    "goals": ["Exempt our cement kilns from the new dust and sulphur dioxide limits"],
}


@pytest.mark.slow
def test_delaying_one_clean_air_rule_crosses_a_red_line_about_clean_air_rules() -> None:
    found = _red_line_conflicts("We do not partner with anyone lobbying to delay clean-air rules", _CEMENT)
    assert found, "an exemption from dust and sulphur dioxide limits weakens a clean-air rule"
    assert found[0].evidence.texts[1].party == "Valley Cement"
    assert "clean-air rules, which the red line is about" in (found[0].evidence.detail or "")
    # The closeness shown is the placement the crossing rests on, not the names' loose cosine.
    assert (found[0].evidence.similarity or 0.0) >= DOMAIN_THRESHOLD
    # Another measure of the same kind is for a person to confirm: high, not a blocker.
    assert found[0].severity is ConflictSeverity.HIGH


@pytest.mark.slow
@pytest.mark.parametrize(
    "goal",
    [
        "Win a delay to the low-emission zone for delivery vans",
        "Win an exemption from the PFAS restrictions for our firefighting foams",
    ],
)
def test_a_measure_of_another_kind_does_not_cross_a_red_line_about_tenant_protections(goal: str) -> None:
    partner = {
        "name": "Fleet and Foam Ltd",
        "kind": "company",
        "mission": "Run vans and make foams.",
        "goals": [goal],
    }
    assert _red_line_conflicts("No partners lobbying to weaken tenant protections", partner) == []


@pytest.mark.slow
def test_a_red_line_about_another_policy_area_is_not_crossed() -> None:
    red_line = "No partners that lobby against rent caps or other tenant protections"
    assert _red_line_conflicts(red_line, _CEMENT) == []


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="the reader places 'particulate filters on older lorries' nearest plastics and waste (0.21)",
)
def test_postponing_filters_on_lorries_is_read_as_clean_air() -> None:
    hauliers = {
        "name": "Northern Hauliers' Federation",
        "kind": "company",
        "mission": "Speak for the road haulage firms of the north.",
        "goals": ["Get the ministry to push back the 2028 deadline for particulate filters on older lorries"],
    }
    assert _red_line_conflicts("We do not partner with anyone lobbying to delay clean-air rules", hauliers)
