"""Behaviour of the conflict engine, including every labelled case in tests/data/conflict_cases.yaml.

Run as a script to print agreement per split (the figures quoted in the report):
    .venv/bin/python tests/core/test_conflicts.py
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from commonground.core.conflicts import SECTOR_MAP_VERSION, SemanticFindings, semantic_findings
from commonground.core.profiles import Profile
from commonground.core.results import Conflict, ConflictKind, ConflictSeverity
from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.sector_map import load_sector_map

CASES_PATH = Path(__file__).resolve().parents[1] / "data" / "conflict_cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))["cases"]
SCREENED = {ConflictKind.RED_LINE, ConflictKind.SENSITIVE_SECTOR, ConflictKind.GOAL_TENSION}
SERIOUS = {ConflictSeverity.BLOCKER, ConflictSeverity.HIGH, ConflictSeverity.MEDIUM}
HOLDOUT_BAR = 0.75  # holdout cases were never looked at while tuning; three in four must agree

pytestmark = pytest.mark.slow


def _actor(conflict: Conflict) -> str:
    """The party that crosses the line: second on a red line (the owner comes first), else first."""
    return conflict.parties[1] if conflict.kind == ConflictKind.RED_LINE else conflict.parties[0]


def run_case(case: dict[str, Any]) -> tuple[SemanticFindings, list[str]]:
    """Assess one labelled case; return the findings and the reasons it disagrees (empty = agrees)."""
    a, b = Profile.model_validate(case["a"]), Profile.model_validate(case["b"])
    found = semantic_findings(a, b, engine=get_engine())
    problems: list[str] = []
    matched: set[int] = set()
    for want in case["expect"]:
        hit = next(
            (
                i
                for i, c in enumerate(found.conflicts)
                if c.kind.value == want["kind"]
                and ("severity" not in want or c.severity.value == want["severity"])
                and ("data_row" not in want or c.evidence.data_row == want["data_row"])
                and ("by" not in want or _actor(c) == want["by"])
            ),
            None,
        )
        if hit is None:
            problems.append(f"missing {want}")
        else:
            matched.add(hit)
    allowed = set(case.get("allow", []))
    for i, c in enumerate(found.conflicts):
        expected_kind = any(w["kind"] == c.kind.value for w in case["expect"])
        if i in matched or c.kind not in SCREENED or c.severity not in SERIOUS:
            continue
        if c.kind.value in allowed or expected_kind:
            continue
        problems.append(f"unexpected {c.kind.value}/{c.severity.value}: {c.summary}")
    return found, problems


def agreement(split: str) -> tuple[int, int, list[tuple[str, list[str]]]]:
    """(agreeing, total, failures) over one split."""
    failures = []
    total = 0
    for case in CASES:
        if case["split"] != split:
            continue
        total += 1
        _, problems = run_case(case)
        if problems:
            failures.append((case["id"], problems))
    return total - len(failures), total, failures


def test_cases_file_is_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 30
    assert {c["split"] for c in CASES} == {"calibration", "holdout"}
    assert all(c["reason"].strip() for c in CASES)


def test_holdout_agreement_is_above_the_bar() -> None:
    agree, total, failures = agreement("holdout")
    assert agree / total >= HOLDOUT_BAR, failures


def test_calibration_agreement_is_high() -> None:
    agree, total, failures = agreement("calibration")
    assert agree / total >= 0.85, failures


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["group"] == "good_partnership"], ids=lambda c: c["id"]
)
def test_good_partnerships_never_get_a_blocker_or_high_conflict(case: dict[str, Any]) -> None:
    found, _ = run_case(case)
    severe = [c for c in found.conflicts if c.severity in (ConflictSeverity.BLOCKER, ConflictSeverity.HIGH)]
    assert severe == []


@pytest.mark.parametrize("case", [c for c in CASES if c["group"] == "negation_trap"], ids=lambda c: c["id"])
def test_negation_traps_raise_no_red_line_or_sector_conflict(case: dict[str, Any]) -> None:
    found, _ = run_case(case)
    assert [
        c for c in found.conflicts if c.kind in (ConflictKind.RED_LINE, ConflictKind.SENSITIVE_SECTOR)
    ] == []


def _pair(case_id: str) -> tuple[Profile, Profile]:
    case = next(c for c in CASES if c["id"] == case_id)
    return Profile.model_validate(case["a"]), Profile.model_validate(case["b"])


def test_red_line_conflict_names_both_texts_and_severity() -> None:
    a, b = _pair("rl-tobacco-maker")
    found = semantic_findings(a, b, engine=get_engine())
    red = next(c for c in found.conflicts if c.kind == ConflictKind.RED_LINE)
    assert red.severity == ConflictSeverity.BLOCKER
    assert red.parties == ["Lungs First", "Northwind Tobacco"]
    fields = {(t.party, t.field) for t in red.evidence.texts}
    assert ("Lungs First", "red_lines[0]") in fields
    assert any(party == "Northwind Tobacco" for party, _ in fields)
    assert red.evidence.rule == "red_line.semantic"
    assert red.evidence.similarity is not None


def test_sector_conflict_cites_its_data_row_and_source() -> None:
    a, b = _pair("sec-soda-obesity")
    found = semantic_findings(a, b, engine=get_engine())
    sector = next(c for c in found.conflicts if c.kind == ConflictKind.SENSITIVE_SECTOR)
    assert sector.evidence.rule == "sector_map"
    assert sector.evidence.data_row is not None
    assert sector.evidence.data_row.startswith("unhealthy_food->")
    assert sector.evidence.source
    assert "WHO" in sector.evidence.source
    assert sector.evidence.texts[0].field.startswith("activities[")


def test_findings_are_deterministic_and_sorted_worst_first() -> None:
    a, b = _pair("rl-tobacco-maker")
    first = semantic_findings(a, b, engine=get_engine())
    second = semantic_findings(a, b, engine=get_engine())
    assert first == second
    ranks = [c.severity.rank for c in first.conflicts]
    assert ranks == sorted(ranks)


def test_goal_matrix_uses_profile_goal_ids_rows_first_partner() -> None:
    a, b = _pair("goal-oil-netzero")
    found = semantic_findings(a, b, engine=get_engine())
    assert [r.id for r in found.goal_matrix.rows] == a.goal_ids()
    assert [c.id for c in found.goal_matrix.columns] == b.goal_ids()
    assert found.goal_matrix.rows[0].party == a.name
    assert found.goal_matrix.cells[0][0] is not None
    assert found.goal_matrix.cells[0][0].relation == "tension"


def test_mission_similarity_is_clipped_cosine() -> None:
    climate = Profile(name="A", kind="nonprofit", mission="Tackle climate change by cutting emissions.")
    warming = Profile(name="B", kind="nonprofit", mission="Cut greenhouse gases to slow global warming.")
    bikes = Profile(name="C", kind="company", mission="Sell affordable bicycles.")
    close = semantic_findings(climate, warming, engine=get_engine()).mission_similarity
    far = semantic_findings(climate, bikes, engine=get_engine()).mission_similarity
    assert 0.0 <= far < close <= 1.0
    a, _ = _pair("good-solar-climate")
    same = semantic_findings(a, a.model_copy(update={"name": "Twin"}), engine=get_engine())
    assert same.mission_similarity == pytest.approx(1.0, abs=1e-3)


def test_profiles_without_goals_or_red_lines_give_an_empty_matrix() -> None:
    a = Profile(name="A", kind="nonprofit", mission="Plant trees in cities.")
    b = Profile(name="B", kind="company", mission="Sell bicycles.")
    found = semantic_findings(a, b, engine=get_engine())
    assert found.goal_matrix.rows == []
    assert found.goal_matrix.cells == []
    assert found.conflicts == []


def test_warm_pair_assessment_is_fast() -> None:
    a, b = _pair("mix-sugar-lobby-youth")
    semantic_findings(a, b, engine=get_engine())  # warm the caches
    start = time.perf_counter()
    for _ in range(10):
        semantic_findings(a, b, engine=get_engine())
    assert (time.perf_counter() - start) / 10 < 0.05


def test_sector_map_version_is_exposed() -> None:
    assert SECTOR_MAP_VERSION


if __name__ == "__main__":
    for split in ("calibration", "holdout"):
        agree, total, failures = agreement(split)
        print(f"{split}: {agree}/{total} agree ({agree / total:.0%})")
        for case_id, problems in failures:
            for problem in problems:
                print(f"  {case_id}: {problem}")


def _red_line_pair(red_line: str, partner_activity: str, *more: str) -> tuple[Profile, Profile]:
    owner = Profile.model_validate(
        {
            "name": "Owner Trust",
            "kind": "nonprofit",
            "mission": "Improve the lives of families in our region",
            "red_lines": [{"text": red_line, "severity": "absolute"}],
        }
    )
    partner = Profile.model_validate(
        {
            "name": "Partner Co",
            "kind": "company",
            "mission": "Serve our customers well",
            "activities": [{"text": t} for t in (partner_activity, *more)],
        }
    )
    return owner, partner


def _red_line_conflicts(red_line: str, partner_activity: str) -> list[Conflict]:
    owner, partner = _red_line_pair(red_line, partner_activity)
    found = semantic_findings(owner, partner, engine=get_engine())
    return [c for c in found.conflicts if c.kind == ConflictKind.RED_LINE]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("red_line", "activity"),
    [
        ("We take no money from mining companies", "Runs two open-pit copper and cobalt mines in Katanga"),
        ("No partners that use child labour", "Pays twelve-year-olds by the basket to pick our cotton"),
    ],
)
def test_a_red_line_naming_a_screen_is_crossed_by_a_partner_that_does_it(
    red_line: str, activity: str
) -> None:
    conflicts = _red_line_conflicts(red_line, activity)
    assert conflicts, "the partner does what the red line rules out"
    # The finding rests on the screen of data/sectors.yaml, and quotes the partner's own text.
    assert conflicts[0].evidence.data_row in {s.id for s in load_sector_map().screens}
    assert conflicts[0].evidence.texts[1].text == activity


@pytest.mark.slow
def test_helping_growers_leave_tobacco_does_not_cross_a_red_line_against_tobacco() -> None:
    # A good partner for a cancer charity was reported "at risk" with a high red-line breach that
    # quoted the very text saying it helps farmers leave tobacco (blind set 2, the ex-growers case).
    red_line = "We never partner with or accept funds from the tobacco industry, including leaf growers"
    helping = "Gives tobacco farmers seed, training and guaranteed buyers so they can leave tobacco"
    assert _red_line_conflicts(red_line, helping) == []
    assert _red_line_conflicts(red_line, "Buys tobacco leaf from 3,000 farmers for cigarette makers")


@pytest.mark.slow
def test_lobbying_to_soften_emissions_limits_crosses_a_red_line_on_climate_legislation() -> None:
    # Blind set 1: read whole, "climate or clean-air legislation" and "the coal phase-out and
    # emissions limits" were too far apart to match; "emissions limits" alone is the same measure.
    red_line = (
        "We will not partner with any organisation that lobbies against climate or clean-air legislation"
    )
    assert _red_line_conflicts(
        red_line, "Lobbies parliament to delay the coal phase-out and soften emissions limits"
    )
    # Upholding the same limits is no crossing.
    assert not _red_line_conflicts(
        red_line, "Lobbies parliament to tighten emissions limits for power stations"
    )


@pytest.mark.slow
def test_who_a_measure_exempts_is_not_compared_as_a_measure() -> None:
    # Review finding: "dairy farmers" read as a measure of its own crossed a red line on farm
    # animal welfare rules at reader 0.49.
    red_line = "No partners who lobby to weaken farm animal welfare rules"
    assert not _red_line_conflicts(
        red_line, "Seeks exemptions from the sugar tax for juice makers and dairy farmers"
    )


_BANK = (
    "Arranges project finance for new thermal coal mines in Southeast Asia",
    "Lends to mid-sized manufacturers",
    "Provides community grants",
)
_ARMS_LENDER = (
    "Provides loans and credit lines to missile and fighter-jet manufacturers",
    "Offers current accounts to households",
    "Runs 200 branches",
)
_GROCER = (
    "Sells cigarettes and rolling tobacco at the till",
    "Runs 40 neighbourhood grocery shops",
    "Sells fresh bread, fruit and vegetables",
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("red_line", "activities", "severity", "minority"),
    [
        # One activity of three is coal: the portfolio rule made it "touches", though the red line
        # rules out any bank that finances new coal, whatever its share of the lending book.
        (
            "We will not accept grants from banks or investors that finance new coal, oil or gas extraction",
            _BANK,
            ConflictSeverity.BLOCKER,
            False,
        ),
        (
            "We won't work with anyone financing new coal mines or coal power",
            _BANK,
            ConflictSeverity.BLOCKER,
            False,
        ),
        # "Anyone LENDING to arms makers" rules out lenders, though it names makers too.
        ("We reject money from anyone lending to arms makers", _ARMS_LENDER, ConflictSeverity.BLOCKER, False),
        # "No financing FROM tobacco companies" names the money, not financiers: a general grocer
        # that also sells cigarettes still only touches it.
        ("We accept no financing from tobacco companies", _GROCER, ConflictSeverity.HIGH, True),
        # A red line against financiers does not make a grocer a financier, and a food bank is no bank.
        (
            "We take no money from companies that invest heavily in tobacco advertising",
            _GROCER,
            ConflictSeverity.HIGH,
            True,
        ),
        ("No tobacco sponsorship at our food bank", _GROCER, ConflictSeverity.HIGH, True),
    ],
)
def test_a_red_line_against_financiers_of_a_harm_is_crossed_by_any_share_of_it(
    red_line: str, activities: tuple[str, ...], severity: ConflictSeverity, minority: bool
) -> None:
    owner, partner = _red_line_pair(red_line, *activities)
    found = semantic_findings(owner, partner, engine=get_engine())
    [breach] = [c for c in found.conflicts if c.kind == ConflictKind.RED_LINE]
    assert breach.severity == severity
    assert ("minority line" in (breach.evidence.detail or "")) is minority


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "flagged"), [("public_agency", False), ("company", True)])
def test_a_public_prison_service_is_not_a_private_prison_company(kind: str, flagged: bool) -> None:
    # Blind set 2: a state prison service that "runs seven prisons" was a private-prison operator
    # to a decarceration charity. The sector is running prisons for profit; a company doing it is.
    charity = Profile.model_validate(
        {
            "name": "Fewer Cells",
            "kind": "nonprofit",
            "mission": "A smaller, more humane justice system, with fewer people in prison",
        }
    )
    operator = Profile.model_validate(
        {
            "name": "Northern Prisons",
            "kind": kind,
            "mission": "Keep the public safe and help prisoners lead law-abiding lives",
            "activities": [{"text": "Runs seven prisons"}],
        }
    )
    found = semantic_findings(charity, operator, engine=get_engine())
    sectors = {c.evidence.data_row for c in found.conflicts if c.kind == ConflictKind.SENSITIVE_SECTOR}
    assert ("private_prisons->human_rights" in sectors) is flagged


# The kinds of conduct added in sector map 2026.4, each with a partner that does it in plain words
# and one that fights it. "Land grabs" is named by no prototype: the red line reaches the screen
# through its name.
_CONDUCT_2026_4 = [
    pytest.param(
        "We will not work with companies involved in land grabs",
        "Cleared two villages with police help to make room for our sugar plantation",
        "Gives legal aid to villagers threatened with eviction from their farmland",
        marks=pytest.mark.xfail(
            strict=True,
            raises=AssertionError,
            reason=(
                "known miss since screens 2026.3: the retrained classifier gives land grabs 0.93 for the "
                "plain-words text, under the named-screen threshold 0.95 (2026.2: at least 0.98); "
                "strict, so a fix turns this into a failure that asks for the mark to go"
            ),
        ),
    ),
    (
        "No partners that pay poverty wages",
        "Keeps its warehouse pickers on the legal minimum, far below a living wage",
        "Accredits employers that pay the real living wage",
    ),
    (
        "We refuse partners who sue critics to silence them",
        "Sued two local journalists for ten million euros over their reporting on our mine",
        "Defends journalists facing abusive lawsuits",
    ),
    (
        "No partners that destroy protected ecosystems",
        "Bottom trawls inside the marine protected area off the north coast",
        "Patrols marine protected areas against illegal fishing",
    ),
    (
        "No partners that discriminate in hiring",
        "Does not hire women for warehouse or management roles",
        "Runs anonymous CV schemes with local employers",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("red_line", "does", "fights"), _CONDUCT_2026_4)
def test_conduct_told_in_plain_words_crosses_and_fighting_it_does_not(
    red_line: str, does: str, fights: str
) -> None:
    # Fighting it first, so a known miss of the crossing (marked xfail) still checks this half.
    assert _red_line_conflicts(red_line, fights) == []
    crossing = _red_line_conflicts(red_line, does)
    assert crossing, "the partner does what the red line rules out"
    assert crossing[0].evidence.data_row in {s.id for s in load_sector_map().screens if s.conduct}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("red_line", "activity"),
    [
        # Fights the thing the red line names.
        ("No partners that use child labour", "Runs catch-up schools for children taken out of the fields"),
        # A neighbouring industry the red line does not name: gas is not mining.
        ("We take no money from mining companies", "Supplies natural gas to homes in three counties"),
    ],
)
def test_a_red_line_naming_a_screen_is_not_crossed_by_its_opponents_or_neighbours(
    red_line: str, activity: str
) -> None:
    assert _red_line_conflicts(red_line, activity) == []


def test_a_red_line_only_touched_is_not_said_to_be_crossed() -> None:
    # "No funding from makers of sugary drinks" and a grocer that sells them: the detail says the line
    # is touched rather than crossed, so the summary a reader sees first must not say "appears to cross".
    a, b = _pair("role-grocer-makers-redline")
    found = semantic_findings(a, b, engine=get_engine())
    red = next(c for c in found.conflicts if c.kind == ConflictKind.RED_LINE)
    assert "rather than crossing it" in (red.evidence.detail or "")
    assert "appears to cross" not in red.summary
    assert red.summary == (
        "Corner Fresh Stores comes close to Healthy Kids Eastmoor's red line \"No funding from makers of "
        'sugary drinks or confectionery" without clearly crossing it'
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("red_line", "activity", "crossed"),
    [
        # A coal exclusion, as banks publish them, is not crossed by oil and gas, and is by coal.
        ("No money from banks that finance coal", "A bank that finances oil and gas pipelines", False),
        ("No money from banks that finance coal", "Lends to coal mining companies in Queensland", True),
        # The whole sector named beside one kind is still the whole sector.
        ("No money from fossil fuel firms, especially coal", "Drills for oil and gas in the North Sea", True),
        ("We take no money from makers of cluster munitions", "Makes hunting rifles and shotguns", False),
        ("No coal mining companies", "Runs two open-pit copper and cobalt mines in Katanga", False),
    ],
)
def test_a_red_line_naming_one_kind_of_a_sector_is_crossed_only_by_that_kind(
    red_line: str, activity: str, crossed: bool
) -> None:
    assert bool(_red_line_conflicts(red_line, activity)) is crossed


@pytest.mark.slow
def test_a_partner_text_in_the_named_kind_crosses_beside_a_text_in_another_kind() -> None:
    # Review of sector kinds 2026.1: pooling the partner's kinds let the coal lending through.
    owner, partner = _red_line_pair(
        "No money from banks that finance coal",
        "We finance natural gas pipelines",
        "We are the main lender to coal-based power plants in India",
    )
    conflicts = [
        c
        for c in semantic_findings(owner, partner, engine=get_engine()).conflicts
        if c.kind == ConflictKind.RED_LINE
    ]
    assert conflicts
    assert "coal-based" in conflicts[0].evidence.texts[1].text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("red_line", "activity", "crossed"),
    [
        # Overseeing an industry is not working in it: "Gambling regulator" was read as gambling.
        ("No partnership with gambling companies of any kind", "Gambling regulator", False),
        (
            "Wir gehen keine Partnerschaft mit Glücksspielanbietern ein",
            "Glücksspielaufsicht eines Bundeslandes",
            False,
        ),
        (
            "No partnership with gambling companies of any kind",
            "The national gambling regulator licenses and inspects casinos and betting shops",
            False,
        ),
        # Mentioning a regulator does not make a casino one.
        (
            "No partnership with gambling companies of any kind",
            "Runs 40 betting shops and keeps the gambling regulator informed of every complaint",
            True,
        ),
        # Burning a fuel is not selling it (the brief's failure class 2: diesel vans read as oil).
        ("No money from oil, gas or coal companies", "A parcel courier whose 300 vans run on diesel", False),
        (
            "No money from oil, gas or coal companies",
            "Sells diesel and heating oil to farms and hauliers",
            True,
        ),
        # Many charities that refuse casino or bookmaker money take lottery grants (sector kinds
        # 2026.3); whoever refuses even lottery money refuses casinos too.
        (
            "We take no money from casinos or betting companies",
            "Operates the national lottery and gives 25% of sales to good causes",
            False,
        ),
        ("We take no money from casinos or betting companies", "Runs an online casino and sportsbook", True),
        ("No money from lotteries or bingo", "Runs an online casino and sportsbook", True),
        (
            "We take no money from casinos or betting companies",
            "Lottery operator that also runs instant-win online games and jackpot slots",
            True,
        ),
        # A price under the sector's line: a credit union is no payday lender.
        (
            "No money from payday lenders or loan sharks",
            "A credit union lending to members at 12.7% APR",
            False,
        ),
        (
            "No money from payday lenders or loan sharks",
            "Short-term loans at 1,294% APR, paid out in minutes",
            True,
        ),
        # A controversial-weapons exclusion leaves conventional arms allowed.
        (
            "We exclude makers of nuclear weapons, cluster munitions and landmines",
            "Builds conventional fighter jets for European air forces",
            False,
        ),
        (
            "We exclude makers of nuclear weapons, cluster munitions and landmines",
            "Makes cluster munitions and artillery shells",
            True,
        ),
        (
            "We exclude makers of nuclear weapons, cluster munitions and landmines",
            "Delivers artillery shells that scatter submunitions over a wide area",
            True,
        ),
    ],
)
def test_overseeing_using_or_making_an_allowed_kind_of_a_sector_does_not_cross(
    red_line: str, activity: str, crossed: bool
) -> None:
    assert bool(_red_line_conflicts(red_line, activity)) is crossed
