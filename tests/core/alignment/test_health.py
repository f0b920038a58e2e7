"""The health view: every part judged from its own figures, the overall line names them, the stage."""

from __future__ import annotations

import datetime

from commonground.core.alignment.health import (
    AgreementFacts,
    ConflictFacts,
    FactorFacts,
    Health,
    PulseFacts,
    Stage,
    Status,
    health_view,
)

TODAY = datetime.date(2026, 12, 5)


def _view(**overrides: object) -> Health:
    arguments: dict[str, object] = {
        "pulse": None,
        "factors": None,
        "agreement": None,
        "conflicts": None,
        "has_assessment": True,
        "review_open": False,
        "exit_planned": False,
        "months_signed": 0,
        "today": TODAY,
    }
    arguments.update(overrides)
    return health_view(**arguments)  # type: ignore[arg-type]


def _agreement(**overrides: object) -> AgreementFacts:
    values: dict[str, object] = {
        "signed": True,
        "kpis": 4,
        "kpis_off_track": 0,
        "kpis_at_risk": 0,
        "commitments": 8,
        "commitments_overdue": 0,
    }
    values.update(overrides)
    return AgreementFacts(**values)  # type: ignore[arg-type]


def test_a_new_partnership_has_nothing_to_judge_and_says_so() -> None:
    health = _view(has_assessment=False)
    assert health.status is Status.NONE
    assert health.stage is Stage.SCOPING
    assert "Nothing to judge yet" in health.headline
    assert [part.status for part in health.parts] == [Status.NONE] * 5


def test_a_drift_alert_makes_the_pulse_a_concern_and_the_headline_names_it() -> None:
    pulse = PulseFacts(
        checkins_closed=9,
        latest="2026-11-01",
        pooled_means=(("Trust", 4.2), ("Voice in decisions", 3.6)),
        open_alerts=("Voice in decisions of Harbour Foods down 0.8 since 2026-07-01",),
    )
    health = _view(pulse=pulse, agreement=_agreement(), conflicts=ConflictFacts(0, 0, 0, None))
    pulse_part = health.parts[0]
    assert pulse_part.status is Status.CONCERN
    assert "1 drift alert open" in pulse_part.headline
    assert health.status is Status.CONCERN
    assert health.headline.startswith("Needs attention: Pulse check-ins")
    # The parts that are fine are shown as fine, not hidden behind the overall line.
    assert {part.name: part.status for part in health.parts}["kpis"] is Status.GOOD


def test_kpis_off_track_and_overdue_commitments_are_judged_separately() -> None:
    health = _view(agreement=_agreement(kpis_off_track=1, commitments_overdue=1))
    parts = {part.name: part for part in health.parts}
    assert parts["kpis"].status is Status.CONCERN
    assert parts["kpis"].headline == "1 of 4 KPIs off track."
    assert parts["commitments"].status is Status.WATCH  # one of eight: under a quarter
    assert _view(agreement=_agreement(commitments_overdue=2)).parts[3].status is Status.CONCERN


def test_an_escalated_conflict_is_a_concern_and_a_low_one_is_worth_watching() -> None:
    escalated = _view(conflicts=ConflictFacts(open=1, high=0, escalated=1, highest_level=2))
    assert escalated.parts[4].status is Status.CONCERN
    low = _view(conflicts=ConflictFacts(open=1, high=0, escalated=0, highest_level=1))
    assert low.parts[4].status is Status.WATCH
    assert low.headline == "Worth watching: Conflicts."


def test_a_log_with_no_issue_yet_is_not_judged_and_one_with_all_resolved_is_good() -> None:
    empty = _view(conflicts=ConflictFacts(open=0, high=0, escalated=0, highest_level=None, total=0))
    assert empty.parts[4].status is Status.NONE
    resolved = _view(conflicts=ConflictFacts(open=0, high=0, escalated=0, highest_level=None, total=3))
    assert resolved.parts[4].status is Status.GOOD
    overdue = _view(conflicts=ConflictFacts(open=1, high=0, escalated=0, highest_level=1, overdue=1, total=1))
    assert overdue.parts[4].status is Status.CONCERN
    assert "1 not acknowledged in time" in overdue.parts[4].facts


def test_factor_concerns_are_named() -> None:
    health = _view(
        factors=FactorFacts(strengths=12, borderline=6, concerns=("Enough money, people and time",))
    )
    assert health.parts[1].headline == "Concerns: Enough money, people and time."


def test_the_stage_follows_the_facts_unless_the_partners_set_it() -> None:
    assert _view().stage is Stage.BUILDING
    assert _view(agreement=_agreement()).stage is Stage.MANAGING
    good_year = _view(agreement=_agreement(), conflicts=ConflictFacts(0, 0, 0, None), months_signed=14)
    assert good_year.stage is Stage.SUSTAINING
    due = _view(agreement=_agreement(review_due=TODAY - datetime.timedelta(days=1)))
    assert due.stage is Stage.REVIEWING
    assert _view(agreement=_agreement(), exit_planned=True).stage is Stage.MOVING_ON
    chosen = _view(agreement=_agreement(), stage=Stage.REVIEWING)
    assert chosen.stage is Stage.REVIEWING
    assert "set by the partners" in chosen.stage_reason
    assert "managing" in chosen.stage_reason


def test_the_json_keeps_every_part_with_its_facts() -> None:
    data = _view(agreement=_agreement(kpis_at_risk=2)).as_json()
    assert data["status"] == "watch"
    kpis = next(part for part in data["parts"] if part["name"] == "kpis")  # type: ignore[attr-defined]
    assert kpis["facts"] == ["2 on track or not yet due", "2 at risk", "0 off track"]
