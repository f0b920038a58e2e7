"""``commonground directory`` and ``discover``: every source kind, skipped rows, the JSON contract."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from commonground.cli import cli
from commonground.core.directory.importers import IMPORTERS
from commonground.core.profiles import Kind
from commonground.directory_cli import IMPORTER_NAMES, KINDS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "directory"
EXAMPLES = ROOT / "examples"
CSV_MAP = "name=Org,mission=Purpose,country=Country,kind=Type,goals=Goals,sdgs=SDGs"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def discover_json(profile: str, directory: Path, *extra: str) -> dict[str, Any]:
    """What ``discover --format json`` prints for an example profile."""
    result = run("discover", EXAMPLES / profile, "--directory", directory, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.stdout)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """One directory built from every kind of source (the engine is slow to load, so once)."""
    output = tmp_path_factory.mktemp("directory") / "orgs"
    result = run(
        "directory", "build", EXAMPLES, DATA / "organisations.jsonl", DATA / "ccew", DATA / "irs990",
        DATA / "organisations.csv", "--map", CSV_MAP, "--output", output,
    )  # fmt: skip
    return output, result


@pytest.fixture
def target(built: tuple[Path, Result], tmp_path: Path) -> Path:
    """A copy of the built directory that a test may change."""
    copy = tmp_path / "copy"
    shutil.copytree(built[0], copy)
    return copy


def test_the_cli_lists_every_registered_importer() -> None:
    assert set(IMPORTER_NAMES) == set(IMPORTERS)


def test_the_cli_lists_every_kind_of_the_profile_format() -> None:
    assert tuple(k.value for k in Kind) == KINDS


def test_build_reads_every_source_kind_and_reports_each_skipped_row(built: tuple[Path, Result]) -> None:
    output, result = built
    assert result.exit_code == 0, result.output
    # 7 example profiles, 3 JSON Lines, 2 charities, 2 returns, 3 CSV rows.
    assert f"{output}: 17 organisations (17 read, 16 rows skipped)" in result.stdout
    assert "organisations/s" in result.stdout
    for line in (
        "organisations.jsonl:5: skipped: not JSON",
        "organisations.csv:5: skipped: no mission",
        "publicextract.charity.txt:3: skipped: a linked charity",
        "publicextract.charity.txt:5: skipped: removed from the register",
        "990pf-201234569.xml: skipped: a 990PF return",
        # Our other files are named for what they are, not "required field 'name' is missing (and 11 more)".
        "partnership-blocked.yaml: skipped: not an organisation profile: this is a partnership file",
        "network-riverside.yaml: skipped: not an organisation profile: this is a network survey",
        "agreement-flawed.yaml: skipped: not an organisation profile: this is a partnership agreement",
    ):
        assert line in result.stderr
    assert "required field" not in result.stderr
    assert len([ln for ln in result.stderr.splitlines() if ": skipped: " in ln]) == 16


def test_discover_json_contract(built: tuple[Path, Result]) -> None:
    output, _ = built
    found = discover_json("brightstart-child-health.yaml", output, "--top", "4")
    results = found["results"]
    assert len(results) == 4
    assert found["considered"] == 17
    assert [r["rank"] for r in results] == [1, 2, 3, 4]
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    for r in results:
        assert set(r) >= {"name", "score", "verdict", "reasons", "similarity", "shared_sdgs"}
        assert r["verdict"] in {"aligned", "workable", "at_risk", "blocked"}
        assert r["reasons"]
        assert all({"kind", "summary", "evidence"} <= set(x) for x in r["reasons"])
        # Each finding once: a conflict the score's reasons name is not listed again on its own.
        summaries = [x["summary"] for x in r["reasons"]]
        assert not [a for a in summaries for b in summaries if a != b and a in b], summaries
    names = {r["name"] for r in results}
    excluded = {e["name"]: e for e in found["excluded"]}
    # Its red line against makers of sugary drinks and snacks leaves Sparkbay out, with why.
    assert "Sparkbay Beverages & Snacks" not in names
    sparkbay = excluded["Sparkbay Beverages & Snacks"]
    assert sparkbay["action"] == "left out"
    assert "unhealthy_food" in sparkbay["sectors"]
    assert "sugary drinks" in sparkbay["why"]
    assert excluded["Bright Start Child Health Trust"]["why"] == "this is the organisation searching"


def test_discover_marks_a_sector_that_works_against_the_seekers_mission(built: tuple[Path, Result]) -> None:
    output, _ = built
    # The food bank has no red line about food makers, but nutrition is its mission: the snack
    # maker is marked (not left out) with why, the same row the full assessment scores it by.
    found = discover_json("riverside-food-bank.yaml", output, "--top", "17", "--shortlist", "17")
    sparkbay = {e["name"]: e for e in found["excluded"]}["Sparkbay Beverages & Snacks"]
    assert sparkbay["action"] == "marked"
    assert sparkbay["why"] == (
        "works in unhealthy food, widely seen as working against nutrition and healthy diets, "
        "which your mission pursues"
    )
    hit = next(r for r in found["results"] if r["name"] == "Sparkbay Beverages & Snacks")
    assert hit["marked"] == sparkbay["why"]
    assert any(x["kind"] == "conflict:sensitive_sector" for x in hit["reasons"])
    # An organisation in no sensitive sector carries no mark.
    assert all(r["marked"] is None for r in found["results"] if r["name"].startswith("DESERT BLOOM"))
    # Where a red line names the sector, the red line is the mark: Bright Start leaves Sparkbay out.
    bright = {e["name"]: e for e in discover_json("brightstart-child-health.yaml", output)["excluded"]}
    assert bright["Sparkbay Beverages & Snacks"]["action"] == "left out"


def test_discover_filters_before_ranking(built: tuple[Path, Result]) -> None:
    output, _ = built
    found = discover_json("riverside-food-bank.yaml", output, "--country", "us", "--top", "5")
    assert found["considered"] == 2
    assert {r["name"] for r in found["results"]} == {"CASCADE WATERSHED ALLIANCE", "DESERT BLOOM FOOD PANTRY"}
    assert found["results"][0]["name"] == "DESERT BLOOM FOOD PANTRY"  # the food pantry fits a food bank best
    text = run(
        "discover",
        EXAMPLES / "riverside-food-bank.yaml",
        "-d",
        output,
        "--sdg",
        "2",
        "--kind",
        "nonprofit",
        "--top",
        "3",
    )
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("3 of ")
    assert "/100" in text.stdout


def test_the_listing_and_explain_show_a_score_the_same_way(built: tuple[Path, Result]) -> None:
    output, _ = built
    profile = EXAMPLES / "brightstart-child-health.yaml"
    listing = run("discover", profile, "-d", output, "--top", "3")
    assert listing.exit_code == 0, listing.output
    # As every assessment shows a score: the verdict, then a whole number ("Aligned (69/100)").
    first = re.search(
        r"^ 1\. (.+?)  ((?:Aligned|Workable|At risk|Blocked) \((\d+)/100\))", listing.stdout, re.M
    )
    assert first is not None, listing.stdout
    assert not re.search(r"\d\.\d/100", listing.stdout)
    explained = run("discover", profile, "-d", output, "--explain", first[1])
    assert explained.exit_code == 0, explained.output
    assert first[2] in explained.stdout
    page = run("discover", profile, "-d", output, "--top", "3", "--format", "html")
    assert f'(<span class="score">{first[3]}/100</span>)' in page.stdout


def test_explain_runs_the_full_assessment_for_one_hit(built: tuple[Path, Result]) -> None:
    output, _ = built
    result = run(
        "discover",
        EXAMPLES / "riverside-food-bank.yaml",
        "-d",
        output,
        "--explain",
        "desert bloom food pantry",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assessment = json.loads(result.stdout)
    assert assessment["parties"] == ["Riverside Community Food Bank", "DESERT BLOOM FOOD PANTRY"]
    missing = run("discover", EXAMPLES / "riverside-food-bank.yaml", "-d", output, "--explain", "Nobody Ltd")
    assert missing.exit_code == 2
    assert "'Nobody Ltd' is not in the directory" in missing.output


def test_add_update_and_remove_without_a_rebuild(target: Path, tmp_path: Path) -> None:
    extra = tmp_path / "more.jsonl"
    extra.write_text(
        json.dumps(
            {
                "name": "Tidewater Oyster Project",
                "kind": "nonprofit",
                "mission": "Rebuild oyster reefs to clean the bay.",
                "country": "US",
            }
        )
        + "\n"
    )
    added = run("directory", "add", extra, "--directory", target)
    assert added.exit_code == 0, added.output
    assert f"{target}: 18 organisations" in added.stdout
    removed = run("directory", "remove", "Copperline Mining plc", "--directory", target)
    assert removed.exit_code == 0
    assert "17 organisations" in removed.stdout
    info = run("directory", "info", "--directory", target)
    assert "17 organisations" in info.stdout
    assert "2 segments, 1 removed row awaiting compaction" in info.stdout
    compacted = run("directory", "compact", "--directory", target)
    assert compacted.exit_code == 0
    assert "17 organisations in one segment" in compacted.stdout
    assert run("directory", "remove", "Nobody", "-d", target).exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("directory", "build", "nowhere.csv", "-o", "{tmp}/d"), "nowhere.csv: not found"),
        (("directory", "build", DATA / "organisations.csv", "-o", "{tmp}/d"), "no column for name=name"),
        (
            ("directory", "build", DATA / "organisations.csv", "--map", "name", "-o", "{tmp}/d"),
            "is not FIELD=COLUMN",
        ),
        (("discover", EXAMPLES / "sunshare-energy.yaml", "-d", "{tmp}"), "not a directory of organisations"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path: Path, args: tuple[str | Path, ...], message: str) -> None:
    result = run(*(str(a).replace("{tmp}", str(tmp_path)) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_build_refuses_to_replace_an_existing_directory_without_replace(
    target: Path, tmp_path: Path
) -> None:
    refused = run("directory", "build", EXAMPLES / "sunshare-energy.yaml", "-o", target)
    assert refused.exit_code == 2, refused.output
    assert f"{target} already holds a directory of 17 organisations" in refused.output
    assert "directory add" in refused.output
    assert "--replace" in refused.output
    assert "17 organisations" in run("directory", "info", "-d", target).stdout  # nothing was written
    replaced = run("directory", "build", EXAMPLES / "sunshare-energy.yaml", "-o", target, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert f"{target}: 1 organisation (1 read" in replaced.stdout
    # A new or empty folder needs no --replace.
    (tmp_path / "empty").mkdir()
    assert (
        run("directory", "build", EXAMPLES / "sunshare-energy.yaml", "-o", tmp_path / "empty").exit_code == 0
    )


@pytest.mark.parametrize(("separator", "named"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_csv_with_another_separator_says_so_and_how_to_fix_it(
    tmp_path: Path, separator: str, named: str
) -> None:
    table = tmp_path / "orgs.csv"
    rows = (("Org", "Purpose", "Country"), ("Harbour Trust", "We feed families in need", "GB"))
    table.write_text("".join(separator.join(row) + "\n" for row in rows), encoding="utf-8")
    result = run("directory", "build", table, "--map", "name=Org,mission=Purpose", "-o", tmp_path / "d")
    assert result.exit_code == 2, result.output
    assert f"seems to separate its columns with {named}, not commas" in result.output
    assert "save it as comma-separated CSV" in result.output
    assert not (tmp_path / "d").exists()


def test_a_build_with_nothing_usable_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    result = run("directory", "build", bad, "-o", tmp_path / "d")
    assert result.exit_code == 2
    assert "bad.jsonl:1: skipped: not JSON" in result.output
    assert "no organisation to build from (1 skipped)" in result.output
    assert not (tmp_path / "d").exists()


HOSTILE = '<script>alert(1)</script> & "Pantry" <img src=x onerror=alert(2)>'


def test_discover_html_is_one_readable_page_with_every_name_escaped(target: Path, tmp_path: Path) -> None:
    from html.parser import HTMLParser

    extra = tmp_path / "hostile.jsonl"
    hostile = {"name": HOSTILE, "kind": "nonprofit", "country": "US", "region": "<b>Bay</b>"}
    hostile["mission"] = "Collect surplus food and share it with families who go hungry."
    extra.write_text(json.dumps(hostile) + "\n")
    assert run("directory", "add", extra, "--directory", target).exit_code == 0
    page_file = tmp_path / "partners.html"
    result = run(
        "discover", EXAMPLES / "riverside-food-bank.yaml", "-d", target, "--format", "html", "-o", page_file
    )
    assert result.exit_code == 0, result.output
    page = page_file.read_text(encoding="utf-8")
    tags: list[str] = []
    headings: list[str] = []
    within: list[bool] = [False]  # inside a hit's heading (its name sits in a <bdi> there)

    class Page(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append(tag)
            if tag == "h2" and (dict(attrs).get("id") or "").startswith("hit-"):
                within[0] = True
                headings.append("")

        def handle_endtag(self, tag: str) -> None:
            if tag == "h2":
                within[0] = False

        def handle_data(self, data: str) -> None:
            if within[0]:
                headings[-1] += data

    Page(convert_charrefs=True).feed(page)
    assert not {"script", "img", "link"} & set(tags)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Pantry&quot;" in page
    assert "&lt;b&gt;Bay&lt;/b&gt;" in page
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    assert "Partners for Riverside Community Food Bank" in page
    # Every result in rank order, as the JSON gives them, the hostile one by its own name.
    found = discover_json("riverside-food-bank.yaml", target)
    assert headings == [f"{rank}. {r['name']}" for rank, r in enumerate(found["results"], start=1)]
    assert f"{HOSTILE}" in {r["name"] for r in found["results"]}


def test_approximate_discovery_needs_a_fresh_index_and_says_which_search_answered(
    built: tuple[Path, Result], tmp_path: Path
) -> None:
    source, _ = built
    target = tmp_path / "copy"
    shutil.copytree(source, target)
    profile = EXAMPLES / "riverside-food-bank.yaml"
    missing = run("discover", profile, "-d", target, "--approximate")
    assert missing.exit_code == 2
    assert "no approximate index; build one with `commonground directory index" in missing.output
    indexed = run("directory", "index", "-d", target)
    assert indexed.exit_code == 0, indexed.output
    assert f"{target}: hnsw index of 17 organisations in " in indexed.stdout
    assert "approximate index: up to date" in run("directory", "info", "-d", target).stdout
    # On 17 organisations the graph is searched whole: the same answer as the exact search.
    exact = discover_json("riverside-food-bank.yaml", target, "--top", "5")
    fast = discover_json("riverside-food-bank.yaml", target, "--top", "5", "--approximate")
    assert exact["search_mode"] == "exact"
    assert fast["search_mode"] == "approximate"
    assert fast["search_reason"].startswith("HNSW index, expansion ")
    assert [r["name"] for r in fast["results"]] == [r["name"] for r in exact["results"]]
    # Most of the 17 are nonprofits, above the 50% share: still the index, and the same answer.
    broad = discover_json("riverside-food-bank.yaml", target, "--kind", "nonprofit", "--approximate")
    assert broad["considered"] >= 0.5 * 17
    assert broad["search_mode"] == "approximate"
    exact_broad = discover_json("riverside-food-bank.yaml", target, "--kind", "nonprofit")
    assert [r["name"] for r in broad["results"]] == [r["name"] for r in exact_broad["results"]]
    # Two of 17 in the US is under it: the exact search answers, and says why.
    strict = discover_json("riverside-food-bank.yaml", target, "--country", "us", "--approximate")
    assert strict["search_mode"] == "exact"
    assert "the filters keep 11.7% of the directory, under the 50%" in strict["search_reason"]
    assert {r["name"] for r in strict["results"]} == {
        "CASCADE WATERSHED ALLIANCE",
        "DESERT BLOOM FOOD PANTRY",
    }
    text = run("discover", profile, "-d", target, "--country", "us", "--approximate")
    assert "Search: exact (the filters keep 11.7% of the directory" in text.stdout
    text = run("discover", profile, "-d", target, "--top", "2", "--approximate", "--expansion", "500")
    assert "Search: approximate (HNSW index, expansion 500; exact float re-rank" in text.stdout
    # Any change makes the index stale: the change says so, and --approximate refuses until rebuilt.
    removed = run("directory", "remove", "Copperline Mining plc", "-d", target)
    assert "the approximate index of" in removed.stderr
    assert "is now out of date" in removed.stderr
    assert "approximate index: out of date" in run("directory", "info", "-d", target).stdout
    stale = run("discover", profile, "-d", target, "--approximate")
    assert stale.exit_code == 2
    assert "the approximate index is out of date (built for 17 organisations; the directory now has 16" in (
        stale.output
    )
    assert run("directory", "index", "-d", target).exit_code == 0
    assert discover_json("riverside-food-bank.yaml", target, "--approximate")["search_mode"] == "approximate"


def test_expansion_goes_with_approximate(built: tuple[Path, Result]) -> None:
    output, _ = built
    result = run("discover", EXAMPLES / "riverside-food-bank.yaml", "-d", output, "--expansion", "64")
    assert result.exit_code == 2
    assert "--expansion goes with --approximate" in result.output


def test_text_html_and_json_say_why_a_low_score_is_still_workable_as_the_page_does(
    built: tuple[Path, Result], tmp_path: Path
) -> None:
    output, _ = built
    profile = EXAMPLES / "riverside-food-bank.yaml"
    found = discover_json("riverside-food-bank.yaml", output, "--top", "17")
    text = run("discover", profile, "-d", output, "--top", "17").stdout
    page_file = tmp_path / "partners.html"
    report = run("discover", profile, "-d", output, "--top", "17", "--format", "html", "-o", page_file)
    assert report.exit_code == 0, report.output
    page = page_file.read_text(encoding="utf-8")
    blocks = re.split(r"\n\n(?=\s*\d+\. )", text.split("\nLeft out or marked:")[0])[1:]
    assert len(blocks) == len(found["results"])
    notes = []
    for block, result in zip(blocks, found["results"], strict=True):
        note = re.search(r"^    (.*, nothing (serious )?against it)$", block, re.MULTILINE)
        heading = re.search(r"^ *\d+\. .+?  (.+?) \((\d+)/100\)", block)
        assert heading, block
        if result["verdict"] == "workable" and result["score"] < 40:
            assert note, block
            # Never a bare "Workable" beside a low score: the verdict is worded as the weak fit it is.
            assert heading[1] == "Workable, weak fit", block
            # JSON carries the same line, for whoever shows the results elsewhere.
            assert result["score_note"] == note.group(1)
            # What pulled the score down (reports/summary.score_note), then the differences to talk over.
            assert re.fullmatch(
                r"(Little common ground found|\w[\w–]*( \w+)? \d+/100 pulls the score down"
                r"|Penalties for the findings pull the score down)( \(mission and goals \d+/100\))?"
                r"(, \d+ differences? to talk over)?, nothing (serious )?against it",
                note.group(1),
            ), note.group(1)
            notes.append(note.group(1))
        else:
            assert note is None, block
            assert result["score_note"] is None
            assert "weak fit" not in heading[1], block
    assert notes  # the directory has low workable fits for a food bank (a watershed, a mining company)
    assert any(r["verdict"] == "aligned" for r in found["results"])
    # The HTML report says the same words under the same hits, under the same headings.
    assert re.findall(r'<p class="score-note">([^<]*)</p>', page) == [html.escape(n) for n in notes]
    assert page.count("Workable, weak fit (") == len(notes)


# --- Issue 12's newcomer audit. ---


def _add(target: Path, tmp_path: Path, *organisations: dict[str, str]) -> None:
    extra = tmp_path / "extra.jsonl"
    extra.write_text("".join(json.dumps(o) + "\n" for o in organisations), encoding="utf-8")
    added = run("directory", "add", extra, "--directory", target)
    assert added.exit_code == 0, added.output


def test_explain_with_the_seekers_own_name_says_so_and_exits_2(built: tuple[Path, Result]) -> None:
    output, _ = built
    profile = EXAMPLES / "brightstart-child-health.yaml"
    result = run("discover", profile, "-d", output, "--explain", "Bright Start Child Health Trust")
    assert result.exit_code == 2, result.output
    assert "'Bright Start Child Health Trust' is the organisation searching itself: there is no pair to" in (
        result.stderr
    )
    assert "unexpected error" not in result.output


def test_the_seeker_written_in_capitals_is_never_a_hit(target: Path, tmp_path: Path) -> None:
    seeker = "Bright Start Child Health Trust"
    # A register writes the seeker's own name in capitals: still the seeker, not its best partner.
    _add(
        target,
        tmp_path,
        {
            "name": seeker.upper(),
            "kind": "nonprofit",
            "mission": "Improve the health of young children through home visits and vaccinations.",
        },
    )
    found = discover_json("brightstart-child-health.yaml", target, "--top", "17")
    assert not {seeker.casefold()} & {r["name"].casefold() for r in found["results"]}
    # (It replaced the examples' copy, whose key is the same name: the one left is in capitals.)
    itself = {e["name"]: e["why"] for e in found["excluded"] if e["name"].casefold() == seeker.casefold()}
    assert itself == {seeker.upper(): "this is the organisation searching"}
    explain = run(
        "discover", EXAMPLES / "brightstart-child-health.yaml", "-d", target, "--explain", seeker.upper()
    )
    assert explain.exit_code == 2
    assert f"is the organisation searching itself ('{seeker}')" in explain.stderr


def test_remove_is_all_or_nothing(target: Path) -> None:
    refused = run("directory", "remove", "Copperline Mining plc", "No Such Org", "-d", target)
    assert refused.exit_code == 2
    assert "not in the directory: No Such Org; nothing was removed" in refused.stderr
    assert f"{target}: 17 organisations, " in run("directory", "info", "-d", target).stdout
    # Copperline is still there: removing it with a known name works.
    removed = run("directory", "remove", "Copperline Mining plc", "Harbourlight Literacy Trust", "-d", target)
    assert removed.exit_code == 0, removed.output
    assert f"{target}: removed 2; 15 organisations" in removed.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--kind", "cartel"), "'cartel' is not one of 'nonprofit', 'company', 'social_enterprise'"),
        (("--country", "GBR"), "--country: country 'GBR' is not a two-letter country code"),
        (
            ("--country", "ZZ"),
            "--country: country 'ZZ' is two letters but no country's ISO 3166-1 alpha-2 code",
        ),
        (("--shortlist", "2", "--top", "5"), "--shortlist 2 is fewer than --top 5"),
    ],
)
def test_discover_refuses_what_would_silently_find_nobody_or_assess_more(
    built: tuple[Path, Result], extra: tuple[str, ...], message: str
) -> None:
    result = run("discover", EXAMPLES / "riverside-food-bank.yaml", "-d", built[0], *extra)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "of 17 organisations" not in result.output


def test_a_source_that_cannot_be_read_is_reported_the_rest_built_and_the_build_exits_2(
    tmp_path: Path,
) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"Org,Purpose\nCaf\xe9 Solidaire,Un repas pour tous\n")
    output = tmp_path / "d"
    result = run(
        "directory", "build", EXAMPLES / "sunshare-energy.yaml", latin, "--map", "name=Org,mission=Purpose",
        "-o", output,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "latin.csv: skipped: not UTF-8 text at byte 15" in result.stderr
    assert (
        f"{output}: 1 organisation (1 read, 1 row skipped, 1 of them a file that could not be read) in "
        in result.stdout
    )
    assert f"1 source file could not be read ({latin}; reasons above)" in result.stderr
    assert "1 organisation, " in run("directory", "info", "-d", output).stdout  # the good source is in


def test_profile_files_carry_their_country_into_the_directory_and_its_filter(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    for name, country in (
        ("Kenyan Water Trust", "ke"),
        ("British Water Trust", "UK"),
        ("Odd Water Trust", "ZZ"),
    ):
        (folder / f"{name.split()[0].lower()}.yaml").write_text(
            f"name: {name}\nkind: nonprofit\nmission: Bring clean water to villages.\ncountry: {country}\n",
            encoding="utf-8",
        )
    output = tmp_path / "d"
    built = run("directory", "build", folder, "-o", output)
    assert built.exit_code == 0, built.output
    assert f"{folder / 'odd.yaml'}: warning: country 'ZZ' is two letters but no country's" in built.stderr
    assert "3 organisations (3 read, 0 rows skipped, 1 warning)" in built.stdout
    kenyan = discover_json("sunshare-energy.yaml", output, "--country", "KE")
    assert [(r["name"], r["country"]) for r in kenyan["results"]] == [("Kenyan Water Trust", "KE")]
    # UK is the United Kingdom's reserved code: stored as GB, so a filter on either finds it.
    for asked in ("GB", "uk"):
        british = discover_json("sunshare-energy.yaml", output, "--country", asked)
        assert [(r["name"], r["country"]) for r in british["results"]] == [("British Water Trust", "GB")]


def test_charity_commission_rows_that_do_not_line_up_are_reported_and_the_rest_built(tmp_path: Path) -> None:
    extract = DATA / "ccew-misaligned"
    output = tmp_path / "d"
    built = run("directory", "build", extract, "-o", output)
    assert built.exit_code == 0, built.output
    for table, line, cells, header in (
        ("publicextract.charity_governing_document.txt", 3, 8, 7),
        ("publicextract.charity.txt", 3, 21, 22),
        ("publicextract.charity.txt", 4, 23, 22),
    ):
        assert (
            f"{extract / table}:{line}: skipped: {cells} cells where the header has {header}: "
            in built.stderr
        )
    assert "2 organisations (2 read, 3 rows skipped)" in built.stdout


def test_csv_countries_are_found_by_their_code_and_bad_ones_are_warned_about(tmp_path: Path) -> None:
    table = tmp_path / "orgs.csv"
    table.write_text(
        "Org,Purpose,Country\n"
        "Lower Case Trust,Bring clean water to villages,gb\n"
        "Three Letter Trust,Bring clean water to towns,GBR\n",
        encoding="utf-8",
    )
    output = tmp_path / "d"
    built = run(
        "directory", "build", table, "--map", "name=Org,mission=Purpose,country=Country", "-o", output
    )
    assert built.exit_code == 0, built.output
    assert "orgs.csv:3: warning: country 'GBR' is not a two-letter country code" in built.stderr
    assert "2 organisations (2 read, 0 rows skipped, 1 warning)" in built.stdout
    found = discover_json("sunshare-energy.yaml", output, "--country", "GB")
    assert [r["name"] for r in found["results"]] == ["Lower Case Trust"]
    assert found["results"][0]["country"] == "GB"
    text = run("discover", EXAMPLES / "sunshare-energy.yaml", "-d", output, "--country", "gb")
    assert text.stdout.startswith("1 of 1 organisation, best first")


REVERSED = "Good \u202eWater Trust"  # U+202E: everything after it reads right to left


def test_a_name_with_a_bidirectional_override_cannot_reverse_the_text_output(
    target: Path, tmp_path: Path
) -> None:
    _add(
        target,
        tmp_path,
        {
            "name": REVERSED,
            "kind": "nonprofit",
            "country": "US",
            "mission": "Collect surplus food for families.",
        },
    )
    text = run("discover", EXAMPLES / "riverside-food-bank.yaml", "-d", target, "--country", "US")
    assert text.exit_code == 0, text.output
    assert "Good [U+202E]Water Trust" in text.stdout
    assert "\u202e" not in text.stdout
    page_file = tmp_path / "partners.html"
    report = run(
        "discover", EXAMPLES / "riverside-food-bank.yaml", "-d", target, "--country", "US",
        "--format", "html", "-o", page_file,
    )  # fmt: skip
    assert report.exit_code == 0, report.output
    assert re.search(r'<h2 id="hit-\d+">\d+\. <bdi>Good \u202eWater Trust</bdi></h2>', page_file.read_text())
