"""The example agreements: the good ones are complete, the flawed one shows each flaw it claims to have.

Dates are fixed (as of 31 March 2026), so the results do not depend on the day the tests run.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from commonground.core.agreement.check import check_agreement
from commonground.core.agreement.findings import Level
from commonground.core.agreement.loading import load_agreement

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = datetime.date(2026, 3, 31)
GOOD = ("agreement-strong-fit.yaml", "agreement-workable.yaml")


def test_every_example_partnership_that_deserves_an_agreement_has_one() -> None:
    names = {p.name for p in EXAMPLES.glob("agreement-*.yaml")}
    assert set(GOOD) | {"agreement-flawed.yaml"} == names
    # The blocked partnership should not be agreed at all.
    assert "agreement-blocked.yaml" not in names


@pytest.mark.parametrize("name", GOOD)
def test_a_good_example_has_no_problem_anywhere(name: str) -> None:
    check = check_agreement(load_agreement(EXAMPLES / name), today=AS_OF)
    problems = [f for f in check.findings if f.level is Level.PROBLEM]
    assert problems == []


def test_the_flawed_example_shows_each_flaw_it_claims() -> None:
    check = check_agreement(load_agreement(EXAMPLES / "agreement-flawed.yaml"), today=AS_OF)
    found = {(f.code, f.path) for f in check.findings}
    codes = {code for code, _ in found}
    # Structure: no review date, exit without notice, a red line in no clause.
    assert ("structure.no_review_date", "how.review.date") in found
    assert ("structure.exit_without_notice", "how.exit.notice_days") in found
    assert ("structure.red_line_unreflected", "open_items[1]") in found
    # Two Accountables on a task, and a task nobody is Responsible for.
    assert ("roles.several_accountable", "what.workstreams[0].tasks[0].accountable") in found
    assert ("roles.no_responsible", "what.workstreams[0].tasks[1].responsible") in found
    # The van money is overdue, the surplus KPI off track.
    assert ("commitments.overdue", "what.commitments[0]") in found
    assert ("kpis.off_track", "what.kpis[0].measurements") in found
    # Meadowgate holds all the power with 70% of the weight; the split is flagged for discussion.
    assert ("decisions.power_differs_from_weight", "how.decisions.rule.weights") in found
    assert {"equity.contribution_vs_power", "equity.contribution_vs_benefit"} <= codes
    assert "structure.no_shared_vision" not in codes
