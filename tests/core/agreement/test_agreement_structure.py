"""The structure check and the check's registry: what a broker would ask about first."""

from __future__ import annotations

import datetime
from typing import Any

from commonground.core.agreement.check import PARTS, AgreementCheck, check_agreement
from commonground.core.agreement.findings import CheckPart, Finding, Level
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.structure import structure_part

TODAY = datetime.date(2026, 3, 31)
FULL: dict[str, Any] = {"status": "fully"}


def complete(**changes: Any) -> Agreement:
    """An agreement with nothing for the structure check to say, changed by ``changes``."""
    data: dict[str, Any] = {
        "title": "T",
        "who": {
            **FULL,
            "partners": [
                {"id": "a", "name": "A", "representatives": [{"name": "Ann"}]},
                {"id": "b", "name": "B", "representatives": [{"name": "Bo"}]},
            ],
        },
        "why": {**FULL, "shared_vision": "Together"},
        "what": FULL,
        "how": {
            **FULL,
            **{c: FULL for c in ("governance", "decisions", "checkins", "communication", "confidentiality")},
            "review": {**FULL, "date": "2026-12-31"},
            "dispute_resolution": {
                **FULL,
                "ladder": [
                    {"step": "leads", "days": 14},
                    {"step": "senior_leaders", "days": 30},
                    {"step": "mediation", "days": 45},
                    {"step": "arbitration_or_exit", "days": 60},
                ],
            },
            "exit": {**FULL, "notice_days": 90},
        },
    }
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for key in parents:
            target = target[key]
        target[last] = value
    return Agreement.model_validate(data)


def findings(agreement: Agreement) -> list[Finding]:
    return list(structure_part(agreement, today=TODAY).findings)


def codes(agreement: Agreement) -> list[str]:
    return [f.code for f in findings(agreement)]


def test_a_complete_agreement_has_nothing_to_report() -> None:
    assert findings(complete()) == []


def test_sections_not_in_place_are_problems_and_partial_ones_warnings() -> None:
    found = findings(complete(why__status="not_in_place", how__confidentiality={"status": "partially"}))
    assert [(f.path, f.level, f.code) for f in found] == [
        ("why.status", Level.PROBLEM, "structure.not_in_place"),
        ("how.confidentiality.status", Level.WARNING, "structure.partially"),
    ]


def test_not_relevant_is_the_partners_call_and_stays_silent() -> None:
    agreement = complete(how__exit={"status": "not_relevant"}, how__review={"status": "not_relevant"})
    assert findings(agreement) == []


def test_missing_review_date_ladder_notice_vision_and_representative() -> None:
    agreement = complete(
        how__review={"status": "fully"},
        how__dispute_resolution={"status": "fully"},
        how__exit={"status": "fully"},
        why__shared_vision=None,
        who__partners=[
            {"id": "a", "name": "A"},
            {"id": "b", "name": "B", "representatives": [{"name": "Bo"}]},
        ],
    )
    assert {(f.path, f.code) for f in findings(agreement)} == {
        ("how.review.date", "structure.no_review_date"),
        ("how.dispute_resolution.ladder", "structure.no_dispute_ladder"),
        ("how.exit.notice_days", "structure.exit_without_notice"),
        ("why.shared_vision", "structure.no_shared_vision"),
        ("who.partners[0].representatives", "structure.no_representative"),
    }


def test_a_clause_not_in_place_with_a_gap_is_named_once_by_its_gap() -> None:
    assert codes(complete(how__review={"status": "not_in_place"})) == ["structure.no_review_date"]


def test_a_review_date_passed_is_due() -> None:
    assert codes(complete(how__review={"status": "fully", "date": "2026-01-31"})) == ["structure.review_due"]


def test_a_ladder_out_of_order_or_missing_a_step() -> None:
    ladder = [{"step": "mediation", "days": 30}, {"step": "leads", "days": 14}]
    assert codes(complete(how__dispute_resolution={"status": "fully", "ladder": ladder})) == [
        "structure.ladder_out_of_order",
        "structure.ladder_missing_step",
    ]


def test_a_red_line_in_no_clause_is_a_problem_until_placed_or_resolved() -> None:
    item = {"text": "No tobacco money", "kind": "red_line", "partner": "a"}
    found = findings(complete(open_items=[item]))
    assert [(f.path, f.level, f.code) for f in found] == [
        ("open_items[0]", Level.PROBLEM, "structure.red_line_unreflected")
    ]
    assert "A's red line “No tobacco money”" in found[0].message
    assert findings(complete(open_items=[{**item, "where": "how.communication"}])) == []
    assert findings(complete(open_items=[{**item, "resolved": True}])) == []
    question = {"text": "Who pays?", "kind": "question"}
    assert codes(complete(open_items=[question])) == ["structure.open_item"]


def test_the_part_lists_every_section_and_clause_with_figures() -> None:
    part = structure_part(complete(), today=TODAY)
    assert len(part.tables[0].rows) == 12
    assert part.figures["statuses"]["how.exit"] == "fully"
    assert part.figures["review_date"] == "2026-12-31"


def test_check_runs_every_registered_part_in_order() -> None:
    check = check_agreement(complete(), today=TODAY)
    assert isinstance(check, AgreementCheck)
    assert next(p.name for p in check.parts) == "structure"
    assert len(check.parts) == len(PARTS)
    data = check.as_json()
    assert data["as_of"] == "2026-03-31"
    assert data["counts"] == {level.value: count for level, count in check.counts().items()}


def test_a_new_part_needs_only_a_function() -> None:
    def shouting(agreement: Agreement, *, today: datetime.date) -> CheckPart:
        return CheckPart(
            "shout", "Shout", (Finding("title", Level.INFO, "shout.title", agreement.title.upper()),)
        )

    check = check_agreement(complete(), today=TODAY, parts=(shouting,))
    assert [f.message for f in check.findings] == ["T"]
    assert check.counts() == {Level.PROBLEM: 0, Level.WARNING: 0, Level.INFO: 1}
