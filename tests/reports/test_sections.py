"""The report's sections, defined once: order, counts, empty states and ids every renderer relies on."""

from __future__ import annotations

from commonground.core.results import AssessmentResult, GoalMatrix, SdgOverlap
from commonground.reports.blocks import Chart, FindingList, QuestionList, Table
from commonground.reports.sections import PairList, assessment_report

TITLES = [
    "Questions to settle first",
    "Score components",
    "Conflicts",
    "Synergies",
    "Goal interactions",
    "Values",
    "Culture",
    "SDG overlap",
    "Stakeholders",
    "Joint initiatives",
]


def test_two_partners_get_the_sections_in_report_order(two_party: AssessmentResult) -> None:
    report = assessment_report(two_party)
    assert [s.title for s in report.sections] == TITLES
    headings = {s.id: s.heading for s in report.sections}
    assert headings["conflicts"] == "Conflicts (4)"
    assert headings["synergies"] == "Synergies (2)"
    assert report.lead.headline == "Compatibility 47/100: At risk"  # 46.5, half up


def test_conflicts_come_worst_first_and_questions_by_priority(two_party: AssessmentResult) -> None:
    sections = {s.id: s for s in assessment_report(two_party).sections}
    (conflicts,) = sections["conflicts"].blocks
    assert isinstance(conflicts, FindingList)
    assert [f.severity for f in conflicts.items] == ["Blocker", "High", "Medium", "Low"]
    assert conflicts.items[0].parties == "Harbor Health Alliance & FizzCo Beverages Ltd"
    (questions,) = sections["questions"].blocks
    assert isinstance(questions, QuestionList)
    assert questions.items[0].about == "Red line"


def test_culture_flags_the_significant_gaps(two_party: AssessmentResult) -> None:
    culture = next(s for s in assessment_report(two_party).sections if s.id == "culture")
    (table,) = culture.blocks
    assert isinstance(table, Table)
    gaps = {row[0].text: (row[-1].text, row[-1].emphasis) for row in table.rows}
    assert gaps == {
        "Clan": ("25", "significant"),
        "Adhocracy": ("—", ""),
        "Market": ("30", "significant"),
        "Hierarchy": ("—", ""),
    }


def test_a_section_with_nothing_to_show_has_no_blocks_and_says_why(two_party: AssessmentResult) -> None:
    bare = two_party.model_copy(
        update={
            "questions": [],
            "conflicts": [],
            "synergies": [],
            "goal_matrix": GoalMatrix(rows=[], columns=[], cells=[]),
            "values": [],
            "culture": None,
            "sdgs": SdgOverlap(partners={}, shared=[]),
            "stakeholders": [],
            "initiatives": [],
        }
    )
    sections = assessment_report(bare).sections
    assert [s.title for s in sections] == TITLES  # the same outline, whatever is missing
    empty = {s.id: s.empty for s in sections if not s.blocks}
    assert empty == {
        "questions": "Nothing in particular to settle.",
        "conflicts": "No conflicts found.",
        "synergies": "No synergies found.",
        "goals": "No goals to compare.",
        "values": "No values to compare.",
        "culture": "No partner has described its culture.",
        "sdgs": "No SDGs identified.",
        "stakeholders": "No stakeholders named.",
        "initiatives": "No joint initiatives proposed.",
    }
    assert next(s for s in sections if s.id == "conflicts").heading == "Conflicts (0)"


def test_charts_carry_their_caption_and_sdg_caption_names_the_shared_goals(
    two_party: AssessmentResult,
) -> None:
    sections = {s.id: s for s in assessment_report(two_party).sections}
    assert sections["goals"].has_chart
    assert isinstance(sections["stakeholders"].blocks[0], Chart)
    assert isinstance(sections["stakeholders"].blocks[1], Table)
    assert sections["sdgs"].caption.endswith("Shared: SDG 3: Good health and well-being.")


def test_a_coalition_adds_each_pair_with_unique_ids_and_what_all_share(
    three_party: AssessmentResult,
) -> None:
    sections = assessment_report(three_party).sections
    assert [s.title for s in sections] == [*TITLES, "Each pair", "Shared by all"]
    (pairs,) = sections[-2].blocks
    assert isinstance(pairs, PairList)
    assert [p.title for p in pairs.items][1] == "Harbor Health Alliance & Northside Food Bank"
    ids = [s.id for s in sections] + [s.id for p in pairs.items for s in p.sections]
    assert len(ids) == len(set(ids))
    assert pairs.items[2].sections[2].id == "pair-3-conflicts"


def test_two_partners_are_not_shown_twice(two_party: AssessmentResult) -> None:
    # The engine returns the single pair in ``pairs`` too; the report must not repeat it.
    assert [s.id for s in assessment_report(two_party).sections][-1] == "initiatives"
