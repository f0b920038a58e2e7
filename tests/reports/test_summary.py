"""A low score that is still workable: the line saying what pulled it down, from the result's own figures,
and the verdict worded as a weak fit wherever it stands beside the score."""

from __future__ import annotations

import re
from typing import Any

import pytest

from commonground.core.results import AssessmentResult, Components, Conflict
from commonground.reports import render
from commonground.reports.charts import verdict_heading
from commonground.reports.summary import board_summary, score_note


def _conflict(template: Conflict, kind: str, severity: str) -> Conflict:
    return Conflict.model_validate({**template.model_dump(), "kind": kind, "severity": severity})


def _workable(base: AssessmentResult, *, score: float, conflicts: list[tuple[str, str]], **parts: Any) -> Any:
    components = {"mission": None, "values": None, "culture": None, "stakeholders": None, "orientation": None}
    template = base.conflicts[0]
    return base.model_copy(
        update={
            "score": score,
            "verdict": "workable",
            "components": Components(**{**components, **parts}),
            "conflicts": [_conflict(template, kind, severity) for kind, severity in conflicts],
        }
    )


def test_little_common_ground_is_said_only_when_the_mission_score_is_itself_low(
    two_party: AssessmentResult,
) -> None:
    low = _workable(two_party, score=12, conflicts=[], mission=8.2, values=30)
    assert score_note(low) == "Little common ground found (mission and goals 8/100), nothing against it"


def test_a_high_mission_score_under_a_low_total_names_the_lowest_component(
    two_party: AssessmentResult,
) -> None:
    result = _workable(
        two_party,
        score=36,
        conflicts=[("value_gap", "high")],
        mission=62,
        values=12,
        culture=30,
        stakeholders=45,
        orientation=50,
    )
    note = score_note(result)
    assert note == (
        "Values 12/100 pulls the score down (mission and goals 62/100), 1 difference to talk over, "
        "nothing against it"
    )
    assert "Little common ground" not in note


def test_a_mission_that_shows_as_40_is_not_called_little_common_ground(two_party: AssessmentResult) -> None:
    result = _workable(two_party, score=30, conflicts=[], mission=39.6, culture=20)
    assert score_note(result).startswith("Culture 20/100 pulls the score down (mission and goals 40/100)")


def test_penalties_are_named_when_every_component_is_40_or_more(two_party: AssessmentResult) -> None:
    result = _workable(
        two_party,
        score=38,
        conflicts=[("value_gap", "high"), ("value_gap", "medium"), ("stakeholder", "low")],
        mission=45,
        values=41,
        stakeholders=44,
    )
    assert score_note(result) == (
        "Penalties for the findings pull the score down (mission and goals 45/100), "
        "2 differences to talk over, nothing serious against it"
    )


@pytest.mark.parametrize(
    ("conflicts", "tail"),
    [
        ([("red_line", "low")], ", nothing serious against it"),
        (
            [("red_line", "low"), ("value_gap", "high")],
            ", 1 difference to talk over, nothing serious against it",
        ),
        (
            [("sensitive_sector", "low"), ("value_gap", "high"), ("culture_gap", "medium")],
            ", 2 differences to talk over, nothing serious against it",
        ),
        ([("value_gap", "high"), ("culture_gap", "low")], ", 2 differences to talk over, nothing against it"),
    ],
)
def test_a_low_severity_opposing_finding_keeps_the_count_of_differences(
    two_party: AssessmentResult, conflicts: list[tuple[str, str]], tail: str
) -> None:
    result = _workable(two_party, score=20, conflicts=conflicts, mission=15, values=25)
    assert score_note(result) == f"Little common ground found (mission and goals 15/100){tail}"


def test_only_a_low_workable_score_gets_a_note(two_party: AssessmentResult) -> None:
    assert score_note(_workable(two_party, score=40, conflicts=[], mission=10)) == ""
    assert score_note(two_party) == ""  # at risk: the verdict says it already


# --- A workable verdict on a low score is worded as what it is, wherever it stands beside the score. ---


def test_a_zero_workable_score_reads_as_a_weak_fit_not_as_an_encouragement(
    two_party: AssessmentResult,
) -> None:
    # Validated as the engine's result would be (the renderers read the verdict as its enum).
    components = {"mission": 0.0, "values": None, "culture": None, "stakeholders": None, "orientation": None}
    zero = AssessmentResult.model_validate(
        {
            **two_party.model_dump(),
            "score": 0,
            "verdict": "workable",
            "conflicts": [],
            "components": components,
        }
    )
    sentence = board_summary(zero).sentence
    assert sentence.startswith(
        "Workable, weak fit (0/100): nothing stands in the way, but the partners fit poorly"
    ), sentence
    assert "Next: find what both partners would achieve together before going further" in sentence
    # The words of a partnership that works are not next to a zero.
    assert "can work once" not in sentence
    assert "then go ahead" not in sentence
    for fmt, heading in (
        ("text", "Compatibility 0/100 — Workable, weak fit"),
        ("html", "0/100: Workable, weak fit"),
    ):
        out = render(zero, fmt)
        assert isinstance(out, str)
        assert heading in out, fmt


def test_a_workable_score_of_40_or_more_keeps_the_workable_words(two_party: AssessmentResult) -> None:
    fair = board_summary(_workable(two_party, score=55, conflicts=[], mission=60))
    assert fair.sentence.startswith(
        "Workable (55/100): the partnership can work once a few differences are settled"
    )
    # Compared as shown: 39.6 reads "40/100", which is not called weak; 39.4 reads "39/100", which is.
    assert verdict_heading("workable", 39.6) == "Workable"
    assert verdict_heading("workable", 39.4) == "Workable, weak fit"
    assert score_note(_workable(two_party, score=39.6, conflicts=[], mission=10)) == ""


@pytest.mark.parametrize("score", [0.0, 0.4, 12.0, 25.5, 39.4])
@pytest.mark.parametrize("verdict", ["workable", "at_risk", "blocked"])
def test_no_score_shown_under_40_is_worded_as_a_fit(
    two_party: AssessmentResult, verdict: str, score: float
) -> None:
    """Every verdict the engine gives under 40 (``core/scoring.py``: aligned starts at 60): the heading
    and the sentence say the fit is weak or at risk, never that the partners fit or can go ahead."""
    result = _workable(two_party, score=score, conflicts=[], mission=score).model_copy(
        update={"verdict": verdict}
    )
    summary = board_summary(result)
    assert summary.verdict == verdict_heading(verdict, score) != "Workable"
    assert not re.search(r"fit well|can work once|then go ahead", summary.sentence), summary.sentence
