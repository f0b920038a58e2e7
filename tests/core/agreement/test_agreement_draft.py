"""Drafting an agreement from an assessment: what the partners share, and every red line and question open."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.core.agreement.document import dump_agreement
from commonground.core.agreement.draft import SHARED_GOAL_SIMILARITY, draft_agreement, slug
from commonground.core.agreement.loading import parse_agreement
from commonground.core.agreement.models import Agreement, OpenItemKind
from commonground.core.agreement.parts import SectionStatus
from commonground.core.assessment import assess
from commonground.core.loading import load_partnership
from commonground.core.profiles import Partnership
from commonground.core.results import AssessmentResult

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PARTNERSHIPS = sorted(p.name for p in EXAMPLES.glob("partnership-*.yaml"))


@pytest.fixture(scope="module", params=PARTNERSHIPS)
def drafted(request: pytest.FixtureRequest) -> tuple[Partnership, AssessmentResult, Agreement]:
    partnership = load_partnership(EXAMPLES / request.param)
    result = assess(partnership)
    return partnership, result, draft_agreement(partnership, result)


@pytest.mark.slow
def test_a_draft_is_a_draft_with_honest_statuses(
    drafted: tuple[Partnership, AssessmentResult, Agreement],
) -> None:
    partnership, _, agreement = drafted
    assert agreement.state == "draft"
    assert agreement.title == partnership.title
    assert agreement.who.status is SectionStatus.PARTIALLY
    assert agreement.how.status is SectionStatus.NOT_IN_PLACE
    assert [p.name for p in agreement.who.partners] == [p.name for p in partnership.partners]


@pytest.mark.slow
def test_every_red_line_and_question_becomes_an_open_item(
    drafted: tuple[Partnership, AssessmentResult, Agreement],
) -> None:
    partnership, result, agreement = drafted
    red_lines = [i for i in agreement.open_items if i.kind is OpenItemKind.RED_LINE]
    assert [i.text for i in red_lines] == [r.text for p in partnership.partners for r in p.red_lines]
    by_id = {p.id: p.name for p in agreement.who.partners}
    for item in red_lines:
        assert item.source
        assert by_id[item.partner or ""] in item.source
    questions = [i for i in agreement.open_items if i.kind is OpenItemKind.QUESTION]
    assert len(questions) == len(result.questions)
    assert all(q.source and q.source.startswith("question to settle first") for q in questions)


@pytest.mark.slow
def test_shared_objectives_say_where_they_came_from(
    drafted: tuple[Partnership, AssessmentResult, Agreement],
) -> None:
    _, result, agreement = drafted
    for objective in agreement.why.shared_objectives:
        assert objective.source
        if objective.source.startswith("shared goal:"):
            similarity = float(objective.source.rsplit("similarity ", 1)[1].rstrip(")"))
            assert similarity >= SHARED_GOAL_SIMILARITY
    covered = {sdg for o in agreement.why.shared_objectives for sdg in o.sdgs}
    assert set(result.shared.sdgs) <= covered
    # A goal is either shared or the partner's own, never both.
    own = {(o.partner, o.text) for o in agreement.why.partner_objectives}
    for objective in agreement.why.shared_objectives:
        assert not any(text in objective.text for _, text in own)


@pytest.mark.slow
def test_the_draft_written_out_reads_back_equal(
    drafted: tuple[Partnership, AssessmentResult, Agreement],
) -> None:
    _, _, agreement = drafted
    assert parse_agreement(dump_agreement(agreement, comments=True)) == agreement


@pytest.mark.slow
def test_the_strong_fit_draft_pairs_the_goals_about_surplus_food() -> None:
    partnership = load_partnership(EXAMPLES / "partnership-strong-fit.yaml")
    agreement = draft_agreement(partnership, assess(partnership))
    first = agreement.why.shared_objectives[0]
    assert "Rescue 300 tonnes of surplus food" in first.text
    assert "Redistribute all edible surplus food" in first.text
    assert [p.text for p in agreement.why.principles] == [
        "Being a good neighbour",
        "Dignity",
        "Reducing waste",
    ]
    assert [w.id for w in agreement.what.workstreams] == [
        "daily-surplus-collection",
        "community-pantry-points",
    ]


def test_ids_are_slugged_from_names_and_kept_unique() -> None:
    assert slug("Riverside Community Food Bank") == "riverside-community-food-bank"
    assert slug("Sparkbay Beverages & Snacks") == "sparkbay-beverages-snacks"
    assert slug("Café Ünïon", ["caf-n-on"]) == "caf-n-on-2"
    assert slug("!!!") == "partner"
    assert len(slug("x" * 300)) <= 64
