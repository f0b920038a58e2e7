"""Country codes: the codes ISO 3166-1 has assigned, in any case and spacing; anything else named as it is."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from commonground.core.countries import code_problem, country_code, country_names
from commonground.core.loading import LoadError, load_profile, parse_profile
from commonground.core.profiles import Profile


@pytest.mark.parametrize(
    ("given", "stored"),
    [("GB", "GB"), (" gb ", "GB"), ("ke", "KE"), ("US", "US"), ("Ax", "AX"), ("UK", "GB"), ("uk", "GB")],
)
def test_assigned_codes_are_read_in_any_case_and_uk_as_gb(given: str, stored: str) -> None:
    assert country_code(given) == stored


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("ZZ", "'ZZ' is two letters but no country's ISO 3166-1 alpha-2 code (codes are like GB or KE)"),
        ("EU", "'EU' is two letters but no country's ISO 3166-1 alpha-2 code"),
        ("XK", "'XK' is two letters but no country's ISO 3166-1 alpha-2 code"),
        ("GBR", "'GBR' is not a two-letter country code (ISO 3166-1 alpha-2, e.g. GB or KE)"),
        ("United Kingdom", "'United Kingdom' is not a two-letter country code"),
        ("ẞE", "'ẞE' is not a two-letter country code"),  # "ẞ".upper() is no ASCII letter
        ("", "'' is not a two-letter country code"),
    ],
)
def test_anything_else_is_no_country_and_the_reason_names_it(given: str, why: str) -> None:
    assert country_code(given) is None
    assert code_problem(given).startswith(why)


def test_the_shipped_list_holds_the_249_assigned_codes_and_no_alias() -> None:
    names = country_names()
    assert len(names) == 249
    assert names["GB"] == "Britain (UK)"
    assert names["NO"] == "Norway"
    assert "UK" not in names  # reserved, never assigned: read as GB, not listed


def test_the_shipped_list_agrees_with_the_time_zone_database_it_was_copied_from() -> None:
    """A new or withdrawn code in a later tz database (the tzdata package, pinned by the environment)
    fails here, so the shipped copy is brought up to date rather than drifting."""
    tzdata = pytest.importorskip("tzdata", reason="the tzdata package is not installed to compare with")
    table = resources.files(tzdata).joinpath("zoneinfo/iso3166.tab").read_text(encoding="utf-8")
    codes = {line.split("\t", 1)[0] for line in table.splitlines() if line and not line.startswith("#")}
    assert codes == set(country_names())


def test_a_profile_stores_its_country_as_the_code_and_refuses_anything_else_with_its_line() -> None:
    profile = parse_profile("name: Alpha\nkind: nonprofit\nmission: Feed families.\ncountry: ' ke '\n")
    assert profile.country == "KE"
    with pytest.raises(LoadError) as caught:
        parse_profile("name: Alpha\nkind: nonprofit\nmission: Feed families.\ncountry: ZZ\n", source="a.yaml")
    assert str(caught.value) == (
        "a.yaml:4: country: 'ZZ' is two letters but no country's ISO 3166-1 alpha-2 code "
        "(codes are like GB or KE)"
    )
    # YAML reads a bare NO as false: the message says to quote it.
    with pytest.raises(LoadError, match="put it in quotes"):
        parse_profile("name: Alpha\nkind: nonprofit\nmission: Feed families.\ncountry: NO\n")
    assert parse_profile('name: A\nkind: nonprofit\nmission: M.\ncountry: "NO"\n').country == "NO"


def test_a_profile_without_a_country_keeps_its_content_hash() -> None:
    """Existing profiles stay valid and keep the hash that stored assessments name them by (README)."""
    example = load_profile(Path(__file__).resolve().parents[2] / "examples" / "brightstart-child-health.yaml")
    assert example.fingerprint() == "104d50309125adb8"  # as the README's report names it
    profile = Profile.model_validate({"name": "A", "kind": "nonprofit", "mission": "M."})
    assert profile.country is None
    assert "country" not in profile.to_document()
    with_country = profile.model_copy(update={"country": "GB"})
    assert with_country.fingerprint() != profile.fingerprint()
    assert Profile.model_validate(with_country.to_document()).country == "GB"
