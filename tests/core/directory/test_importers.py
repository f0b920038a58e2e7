"""Importers read each source kind, and every row they cannot use is reported with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.core.directory.importers import (
    IMPORTERS,
    ImportOptions,
    UnknownSource,
    import_sources,
    importer_for,
)
from commonground.core.directory.importers.tables import MappingError

DATA = Path(__file__).resolve().parents[2] / "data" / "directory"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CSV_MAP = {
    "name": "Org",
    "mission": "Purpose",
    "country": "Country",
    "kind": "Type",
    "goals": "Goals",
    "sdgs": "SDGs",
}


def _reasons(report) -> dict[str, str]:
    return {s.source.rsplit("/", 1)[-1]: s.reason for s in report.skipped}


def test_each_source_kind_is_recognised() -> None:
    assert importer_for(DATA / "ccew") == "charity-commission"
    assert importer_for(DATA / "irs990") == "irs990"
    assert importer_for(DATA / "organisations.jsonl") == "jsonl"
    assert importer_for(DATA / "organisations.csv") == "csv"
    assert importer_for(EXAMPLES) == "profiles"
    assert importer_for(EXAMPLES / "sunshare-energy.yaml") == "profiles"
    with pytest.raises(UnknownSource, match="unknown importer"):
        importer_for(DATA, "spreadsheet")
    assert set(IMPORTERS) == {"charity-commission", "irs990", "jsonl", "csv", "profiles"}


def test_json_lines_keep_filter_fields_and_report_bad_lines() -> None:
    report = import_sources([DATA / "organisations.jsonl"])
    assert [e.profile.name for e in report.entries] == [
        "Harbourlight Literacy Trust",
        "Greenfold Seed Cooperative",
        "Copperline Mining plc",
    ]
    first = report.entries[0]
    assert (first.identity, first.country, first.region) == ("hl-001", "GB", "Cornwall")
    assert _reasons(report)["organisations.jsonl:5"].startswith("not JSON")
    assert "mission" in _reasons(report)["organisations.jsonl:6"]


def test_csv_rows_follow_the_mapping_and_bad_rows_are_reported() -> None:
    report = import_sources([DATA / "organisations.csv"], options=ImportOptions(mapping=CSV_MAP))
    rivers = report.entries[0]
    assert rivers.profile.name == "Brightwater Clean Rivers"
    assert [g.text for g in rivers.profile.goals] == ["Remove 50 weirs", "Plant 10 km of riverbank trees"]
    assert rivers.sdgs == (6, 14, 15)
    assert rivers.country == "GB"
    assert report.entries[2].profile.kind.value == "company"
    assert _reasons(report) == {
        "organisations.csv:5": "no mission",
        "organisations.csv:6": (
            "kind 'guild' is not one of nonprofit, company, social_enterprise, public_agency, funder, "
            "community_group, other"
        ),
    }


def test_csv_without_the_columns_it_needs_names_them() -> None:
    with pytest.raises(MappingError, match="no column for name=name, mission=mission"):
        import_sources([DATA / "organisations.csv"])
    with pytest.raises(MappingError, match="unknown field colour"):
        import_sources([DATA / "organisations.csv"], options=ImportOptions(mapping={"colour": "Org"}))


def test_charity_commission_extract() -> None:
    report = import_sources([DATA / "ccew"])
    food, music = report.entries
    assert food.profile.name == "THE MEADOWBANK FOOD SHARE"
    assert food.profile.mission.startswith("THE RELIEF OF FINANCIAL HARDSHIP")  # the charitable objects
    assert food.profile.activities[0].text.startswith("COLLECTS SURPLUS FOOD")
    assert food.profile.sector == "The Prevention Or Relief Of Poverty"
    assert (food.identity, food.country, food.region, food.size) == (
        "GB-CHC-1190001",
        "GB",
        "Leeds City",
        "£100k–£1m",
    )
    assert music.region == "Rhondda Cynon Taf; Merthyr Tydfil"
    assert _reasons(report) == {
        "publicextract.charity.txt:3": "a linked charity; its main charity stands for it",
        "publicextract.charity.txt:5": "removed from the register",
    }


def test_charity_commission_rows_whose_cells_do_not_line_up_are_skipped_at_their_line() -> None:
    """``ccew-misaligned/``: a row with a tab lost (21 cells), one with a tab typed inside a cell (23), a
    blank line, and a governing-document row with a tab inside its objects (8 cells for 7 columns)."""
    report = import_sources([DATA / "ccew-misaligned"])
    assert _reasons(report) == {
        "publicextract.charity_governing_document.txt:3": (
            "8 cells where the header has 7: a tab lost or added, so its cells cannot be matched to their "
            "columns"
        ),
        "publicextract.charity.txt:3": (
            "21 cells where the header has 22: a tab lost or added, so its cells cannot be matched to their "
            "columns"
        ),
        "publicextract.charity.txt:4": (
            "23 cells where the header has 22: a tab lost or added, so its cells cannot be matched to their "
            "columns"
        ),
    }
    pantry, bees = report.entries
    assert (pantry.profile.name, pantry.source.rsplit("/", 1)[-1]) == (
        "HILLSIDE COMMUNITY PANTRY",
        "publicextract.charity.txt:2",
    )
    assert pantry.profile.mission.startswith("THE RELIEF OF POVERTY IN HILLSIDE")
    # Counted by physical line, the blank line included; its objects' row was skipped, so the charity
    # is kept with its activities as the mission, as for a charity with no objects on file.
    assert (bees.profile.name, bees.source.rsplit("/", 1)[-1]) == (
        "MOORLAND BEE TRUST",
        "publicextract.charity.txt:6",
    )
    assert bees.profile.mission == "KEEPS BEES AND TEACHES BEEKEEPING ON THE MOORS."


def test_irs_990_returns_with_the_master_file() -> None:
    report = import_sources([DATA / "irs990"])
    cascade, desert = report.entries
    assert cascade.profile.name == "CASCADE WATERSHED ALLIANCE"
    assert cascade.profile.mission.startswith("TO PROTECT AND RESTORE THE RIVERS")  # Part III, not Part I
    assert [a.text for a in cascade.profile.activities][
        1
    ] == "RAN WATER-QUALITY MONITORING WITH 22 HIGH SCHOOLS."
    assert (cascade.identity, cascade.country, cascade.region) == ("US-EIN-931234567", "US", "OR")
    assert cascade.profile.sector == "environment (C32)"
    assert desert.profile.mission.startswith("PROVIDE FREE GROCERIES")  # a 990-EZ's primary exempt purpose
    assert desert.size == "$100k–$1m"
    assert _reasons(report) == {
        "990pf-201234569.xml": "a 990PF return, which states no mission (only 990 and 990-EZ are read)"
    }


def test_a_folder_of_profiles_reports_the_files_it_cannot_use(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text((EXAMPLES / "sunshare-energy.yaml").read_text())
    (tmp_path / "b.yaml").write_text("name: Half\nkind: nonprofit\n")
    (tmp_path / "notes.txt").write_text("hello")
    report = import_sources([tmp_path])
    assert [e.profile.name for e in report.entries] == ["SunShare Community Energy"]
    reasons = _reasons(report)
    assert "mission" in reasons["b.yaml"]
    assert reasons["notes.txt"].startswith("not a profile file")


def test_an_xml_bomb_is_skipped_not_expanded(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        '<Return xmlns="http://www.irs.gov/efile">&b;</Return>'
    )
    (tmp_path / "bomb.xml").write_text(bomb)
    report = import_sources([tmp_path], name="irs990")
    assert not report.entries
    assert _reasons(report)["bomb.xml"].startswith("not a readable XML return")


def test_a_file_that_is_not_utf8_is_reported_and_the_other_sources_still_read(tmp_path: Path) -> None:
    table = tmp_path / "orgs.csv"
    table.write_bytes(b"Org,Purpose\nCaf\xe9 Solidaire,Un repas pour tous\n")
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"name": "Harbor Food Bank", "kind": "nonprofit", "mission": "Feed families."}\n')
    report = import_sources(
        [table, lines], options=ImportOptions(mapping={"name": "Org", "mission": "Purpose"})
    )
    assert [e.profile.name for e in report.entries] == ["Harbor Food Bank"]
    assert "not UTF-8 text" in _reasons(report)["orgs.csv"]


def test_a_json_line_nested_too_deep_is_one_skipped_line(tmp_path: Path) -> None:
    lines = tmp_path / "orgs.jsonl"
    good = '{"name": "Harbor Food Bank", "kind": "nonprofit", "mission": "Feed families."}'
    lines.write_text(good + "\n" + "[" * 200_000 + "\n", encoding="utf-8")
    report = import_sources([lines])
    assert [e.profile.name for e in report.entries] == ["Harbor Food Bank"]
    assert _reasons(report)["orgs.jsonl:2"] == "not JSON: nested too deep"


def test_a_named_importer_still_says_a_missing_source_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(UnknownSource, match="not found"):
        importer_for(tmp_path / "missing.csv", "csv")


# --- A CSV row whose cells do not line up with its header is skipped with the reason, never shifted. ---

MAPPED = {"name": "Org", "mission": "Purpose", "country": "Country"}


def _csv(tmp_path: Path, text: str) -> Path:
    table = tmp_path / "orgs.csv"
    table.write_text(text, encoding="utf-8")
    return table


def test_csv_rows_with_a_stray_quote_or_the_wrong_number_of_cells_are_skipped_at_their_line(
    tmp_path: Path,
) -> None:
    table = _csv(
        tmp_path,
        "Org,Purpose,Country,Notes\n"
        '"Good Clean Water,Bring clean water to villages,GB,x\n'  # 2: a quote never closed
        '"Beta Rivers",Clean rivers for all,GB,y\n'  # 3: swallowed by it, then read again
        "Extra Cells Ltd,Help people,GB,z,surplus\n"  # 4: one cell too many
        "Short Row Trust,Teach children\n"  # 5: no cell for Country
        "Short Unmapped,Feed families,KE\n"  # 6: lacks only Notes, which nothing reads
        '"Quoted"Badly,Grow food,GB,w\n'  # 7: a quote closed in the middle of a cell
        "\n"
        "After Blank,Grow food,KE,c\n"  # 9: a blank line before it is no row
        '"Multi ""line""\nname",Mission text,US,d\n',  # 10-11: a quoted line break is one cell
    )
    report = import_sources([table], options=ImportOptions(mapping=MAPPED))
    kept = {
        e.source.rsplit("/", 1)[-1]: (e.profile.name, e.profile.mission, e.country) for e in report.entries
    }
    assert kept == {
        "orgs.csv:3": ("Beta Rivers", "Clean rivers for all", "GB"),
        "orgs.csv:6": ("Short Unmapped", "Feed families", "KE"),
        "orgs.csv:9": ("After Blank", "Grow food", "KE"),
        "orgs.csv:10": ('Multi "line"\nname', "Mission text", "US"),
    }
    assert _reasons(report) == {
        "orgs.csv:2": 'a quote (") opened in this row is not closed where its cell ends (it runs to line 3)',
        "orgs.csv:4": "5 cells where the header has 4",
        "orgs.csv:5": "2 cells where the header has 4: no cell for Country",
        "orgs.csv:7": (
            'a quote (") closes in the middle of a cell; quote the whole cell and double any quote in it'
        ),
    }
    assert not report.unread  # rows of a file that could be read


def test_a_quote_left_open_to_the_end_of_the_file_costs_only_its_row(tmp_path: Path) -> None:
    table = _csv(
        tmp_path, 'Org,Purpose\nFirst Trust,Feed families\n"Open Quote,Teach\nLast Trust,Plant trees\n'
    )
    report = import_sources([table], options=ImportOptions(mapping={"name": "Org", "mission": "Purpose"}))
    assert [e.profile.name for e in report.entries] == ["First Trust", "Last Trust"]
    assert _reasons(report) == {"orgs.csv:3": 'a quote (") opened in this row is never closed'}


# --- Countries are stored as two-letter codes; anything else is dropped from the row with a warning. ---


def test_countries_are_stored_as_codes_and_other_values_are_dropped_with_a_warning(tmp_path: Path) -> None:
    table = _csv(
        tmp_path,
        "Org,Purpose,Country\nLower Trust,Feed families,gb\nSpaced Trust,Teach, KE \n"
        "Three Letters,Plant trees,GBR\nIn Words,Build homes,United Kingdom\nNo Country,Sing,\n",
    )
    lines = tmp_path / "orgs.jsonl"
    lines.write_text(
        '{"name": "Alpha", "kind": "nonprofit", "mission": "Feed families.", "country": "us"}\n'
        '{"name": "Beta", "kind": "nonprofit", "mission": "Feed families.", "country": "USA"}\n',
        encoding="utf-8",
    )
    report = import_sources([table, lines], options=ImportOptions(mapping=MAPPED))
    assert [(e.profile.name, e.country) for e in report.entries] == [
        ("Lower Trust", "GB"),
        ("Spaced Trust", "KE"),
        ("Three Letters", None),
        ("In Words", None),
        ("No Country", None),
        ("Alpha", "US"),
        ("Beta", None),
    ]
    warnings = [str(w).rsplit("/", 1)[-1] for w in report.warnings]
    assert warnings == [
        f"orgs.csv:4: warning: country 'GBR' {NOT_A_CODE}",
        f"orgs.csv:5: warning: country 'United Kingdom' {NOT_A_CODE}",
        f"orgs.jsonl:2: warning: country 'USA' {NOT_A_CODE}",
    ]
    assert not report.skipped


NOT_A_CODE = (
    "is not a two-letter country code (ISO 3166-1 alpha-2, e.g. GB or KE); kept without a country, "
    "so country filters leave it out"
)
NO_COUNTRY_HAS_IT = (
    "is two letters but no country's ISO 3166-1 alpha-2 code (codes are like GB or KE); kept without a "
    "country, so country filters leave it out"
)


def test_two_letters_no_country_has_are_dropped_with_a_warning_and_uk_is_gb(tmp_path: Path) -> None:
    table = _csv(tmp_path, "Org,Purpose,Country\nMade Up,Feed families,ZZ\nBritish,Teach,uk\n")
    lines = tmp_path / "orgs.jsonl"
    lines.write_text(
        '{"name": "Europe Wide", "kind": "nonprofit", "mission": "Feed families.", "country": "EU"}\n',
        encoding="utf-8",
    )
    report = import_sources([table, lines], options=ImportOptions(mapping=MAPPED))
    assert [(e.profile.name, e.country) for e in report.entries] == [
        ("Made Up", None),
        ("British", "GB"),
        ("Europe Wide", None),
    ]
    assert [str(w).rsplit("/", 1)[-1] for w in report.warnings] == [
        f"orgs.csv:2: warning: country 'ZZ' {NO_COUNTRY_HAS_IT}",
        f"orgs.jsonl:1: warning: country 'EU' {NO_COUNTRY_HAS_IT}",
    ]


def test_a_profile_files_own_country_is_the_organisations_country(tmp_path: Path) -> None:
    """The profile format's optional ``country``: stored for filters; one that is not a code costs the
    country, not the organisation, as in every other source."""
    mission = "mission: Feed families.\nkind: nonprofit\n"
    (tmp_path / "a-kenyan.yaml").write_text(f"name: Kenyan Trust\n{mission}country: ke\n")
    (tmp_path / "b-made-up.yaml").write_text(f"name: Made Up Trust\n{mission}country: ZZ\n")
    (tmp_path / "c-norway.yaml").write_text(f"name: Bare Norway Trust\n{mission}country: NO\n")
    (tmp_path / "d-quoted.json").write_text(
        '{"name": "Quoted Norway Trust", "kind": "nonprofit", "mission": "Feed families.", "country": "NO"}'
    )
    (tmp_path / "e-none.yaml").write_text(f"name: Nowhere Trust\n{mission}")
    report = import_sources([tmp_path])
    assert [(e.profile.name, e.country, e.profile.country) for e in report.entries] == [
        ("Kenyan Trust", "KE", "KE"),
        ("Made Up Trust", None, None),
        ("Bare Norway Trust", None, None),
        ("Quoted Norway Trust", "NO", "NO"),
        ("Nowhere Trust", None, None),
    ]
    assert [str(w).rsplit("/", 1)[-1] for w in report.warnings] == [
        f"b-made-up.yaml: warning: country 'ZZ' {NO_COUNTRY_HAS_IT}",
        "c-norway.yaml: warning: country reads as false (YAML's no, yes, off or on): write the code in "
        'quotes, e.g. country: "NO"; kept without a country, so country filters leave it out',
    ]
    assert not report.skipped


# --- A file that cannot be read at all is told apart from a row skipped inside a file that could. ---


def test_files_that_cannot_be_read_are_marked_unread_and_invalid_profiles_are_not(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((EXAMPLES / "sunshare-energy.yaml").read_text())
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n")
    (tmp_path / "half.yaml").write_text("name: Half\nkind: nonprofit\n")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"Org,Purpose\nCaf\xe9 Solidaire,Un repas pour tous\n")
    report = import_sources(
        [tmp_path, latin], options=ImportOptions(mapping={"name": "Org", "mission": "Purpose"})
    )
    assert [e.profile.name for e in report.entries] == ["SunShare Community Energy"]
    unread = {s.source.rsplit("/", 1)[-1]: s.reason for s in report.unread}
    assert set(unread) == {"broken.yaml", "latin.csv"}
    assert unread["broken.yaml"].startswith("cannot be read: line 2: YAML syntax error")
    assert "mission" in _reasons(report)["half.yaml"]  # parsed, but not a profile: a skipped row
