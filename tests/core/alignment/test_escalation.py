"""The escalation rules for conflicts between partners: Glasl stage estimate, ladder, deadlines."""

from __future__ import annotations

import datetime

import pytest

from commonground.core.agreement.how import DisputeStep, LadderStep
from commonground.core.alignment.escalation import (
    ACKNOWLEDGE_DAYS,
    APPROACH_WORDS,
    DEFAULT_LADDER,
    INTERVENTIONS,
    STAGES,
    Approach,
    ConflictFacts,
    Level,
    Severity,
    Trigger,
    acknowledge_by,
    escalation_step,
    estimate_stage,
    first_rung,
    is_repeat,
    ladder_of,
    rung_on,
)


def test_nine_stages_in_three_levels_each_with_its_intervention() -> None:
    assert [stage.number for stage in STAGES] == list(range(1, 10))
    assert [stage.level for stage in STAGES] == [Level.WIN_WIN] * 3 + [Level.WIN_LOSE] * 3 + [
        Level.LOSE_LOSE
    ] * 3
    assert INTERVENTIONS[Level.WIN_WIN].kind == "facilitation or moderation"
    assert INTERVENTIONS[Level.WIN_LOSE].kind == "process consultation or mediation"
    assert INTERVENTIONS[Level.LOSE_LOSE].kind == "arbitration or power intervention"


def test_thomas_kilmann_has_five_words_each_described() -> None:
    assert [a.value for a in Approach] == [
        "collaborating", "compromising", "accommodating", "competing", "avoiding"
    ]  # fmt: skip
    assert all(APPROACH_WORDS[a].endswith(".") for a in Approach)


def test_acknowledgement_deadline_depends_on_severity() -> None:
    raised = datetime.date(2026, 3, 2)
    assert ACKNOWLEDGE_DAYS == {Severity.HIGH: 2, Severity.MEDIUM: 5, Severity.LOW: 10}
    assert acknowledge_by(raised, Severity.HIGH) == datetime.date(2026, 3, 4)
    assert acknowledge_by(raised, Severity.LOW) == datetime.date(2026, 3, 12)


def test_every_point_of_the_estimate_is_a_reason() -> None:
    estimate = estimate_stage(ConflictFacts(severity=Severity.MEDIUM, days_overdue=3, rejected_resolutions=1))
    assert estimate.stage.number == 4
    assert estimate.reasons == (
        "severity medium (+1)",
        "acknowledgement 3 days overdue (+1)",
        "1 resolution rejected (+1)",
    )
    assert estimate.intervention.kind == "process consultation or mediation"


def test_without_a_threat_the_estimate_stays_below_stage_six() -> None:
    facts = ConflictFacts(
        severity=Severity.HIGH, days_overdue=30, rejected_resolutions=5, related_repeats=4,
        approaches=(Approach.COMPETING, Approach.COMPETING),
    )  # fmt: skip
    estimate = estimate_stage(facts)
    assert estimate.stage.number == 5
    assert estimate.reasons[-1] == "no threat on record (at most stage 5)"
    threatened = estimate_stage(ConflictFacts(**{**facts.__dict__, "exit_threatened": True}))
    assert threatened.stage.number == 9
    assert threatened.level is Level.LOSE_LOSE


def test_a_quiet_entry_says_so() -> None:
    assert estimate_stage(ConflictFacts(severity=Severity.LOW)).reasons == (
        "nothing on record beyond the entry itself",
    )


def test_one_rung_at_a_time_whatever_the_number_of_triggers() -> None:
    step = escalation_step(ladder=DEFAULT_LADDER, rung=LadderStep.LEADS, triggers=list(Trigger))
    assert step is not None
    assert step.to.step is LadderStep.SENIOR_LEADERS
    assert step.reason.startswith("the proposed resolution was rejected; the answer is overdue")


def test_no_trigger_no_move_and_nothing_above_the_top() -> None:
    assert escalation_step(ladder=DEFAULT_LADDER, rung=LadderStep.LEADS, triggers=[]) is None
    top = LadderStep.ARBITRATION_OR_EXIT
    assert escalation_step(ladder=DEFAULT_LADDER, rung=top, triggers=[Trigger.REJECTED]) is None


def test_the_agreements_ladder_is_read_in_rung_order_and_gaps_borrow_default_days() -> None:
    from commonground.core.agreement.models import Agreement

    agreement = Agreement.model_validate(
        {
            "title": "T",
            "who": {"partners": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]},
            "how": {"dispute_resolution": {"ladder": [
                {"step": "mediation", "days": 30, "who": "Our facilitator"}, {"step": "leads", "days": 7},
            ]}},
        }
    )  # fmt: skip
    ladder = ladder_of(agreement)
    assert [step.step for step in ladder] == [LadderStep.LEADS, LadderStep.MEDIATION]
    assert first_rung(ladder) is LadderStep.LEADS
    assert rung_on(ladder, LadderStep.MEDIATION).who == "Our facilitator"
    assert rung_on(ladder, LadderStep.SENIOR_LEADERS).days == 21  # the default's
    assert ladder_of(None) == DEFAULT_LADDER


@pytest.mark.parametrize(("days", "repeat"), [(0, True), (90, True), (91, False), (-1, False)])
def test_repeats_count_within_ninety_days(days: int, repeat: bool) -> None:
    raised = datetime.date(2026, 6, 1)
    assert is_repeat(raised_on=raised, earlier_on=raised - datetime.timedelta(days=days)) is repeat


def test_default_ladder_climbs_every_rung() -> None:
    assert [step.step for step in DEFAULT_LADDER] == list(LadderStep)
    assert all(isinstance(step, DisputeStep) and step.days > 0 for step in DEFAULT_LADDER)
