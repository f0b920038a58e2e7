"""Survey files: the example reads, and every bad file names the field, the line and what to do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commonground.core.loading import LoadError, load_any
from commonground.core.network import Survey, UnknownRound, load_survey, parse_survey

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "network-riverside.yaml"

HEAD = """\
kind: network-survey
coalition: Test
organisations:
  - {id: a, name: Alpha}
  - {id: b, name: Beta}
rounds:
  - label: r1
    date: 2025-01-01
    ratings:
"""
GOOD = "level: 3, value: {power: 3, involvement: 3, resources: 3}, trust: {reliable: 4, mission: 4, open: 4}"


def _rating(by: str, about: str, **changes: object) -> str:
    body = GOOD
    for key, value in changes.items():
        body = re.sub(rf"\b{key}: \d", f"{key}: {value}", body)
    return f"      - {{by: {by}, about: {about}, {body}}}\n"


def _problems(text: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse_survey(text, source="survey.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_example_has_thirty_organisations_and_two_rounds() -> None:
    survey = load_survey(EXAMPLE)
    assert len(survey.organisations) == 30
    assert [r.label for r in survey.rounds] == ["2025-spring", "2026-spring"]
    assert isinstance(load_any(EXAMPLE), Survey)


def test_a_good_file_reads() -> None:
    survey = parse_survey(HEAD + _rating("a", "b") + _rating("b", "a", level=2))
    ratings = survey.round("r1").ratings
    assert [(r.by, r.about, r.level) for r in ratings] == [("a", "b", 3), ("b", "a", 2)]
    assert ratings[0].trust.mean() == 4.0


def test_a_rating_of_an_organisation_not_listed_names_it_and_its_line() -> None:
    assert _problems(HEAD + _rating("a", "c")) == [
        "survey.yaml:10: rounds[0].ratings[0].about: unknown organisation 'c'; "
        "list it under organisations first"
    ]


def test_a_near_miss_gets_a_suggestion() -> None:
    problems = _problems(HEAD.replace("id: b,", "id: beta,") + _rating("a", "betta"))
    assert "did you mean 'beta'?" in problems[0]


def test_a_rating_out_of_range_says_the_range() -> None:
    assert _problems(HEAD + _rating("a", "b", level=5)) == [
        "survey.yaml:10: rounds[0].ratings[0].level: must be between 1 and 4 (got 5)"
    ]
    problem = _problems(HEAD + _rating("a", "b", power=0))
    assert problem == ["survey.yaml:10: rounds[0].ratings[0].value.power: must be between 1 and 4 (got 0)"]


def test_rating_oneself_is_refused() -> None:
    assert _problems(HEAD + _rating("a", "a")) == [
        "survey.yaml:10: rounds[0].ratings[0].about: 'a' rates itself; rate only the other organisations"
    ]


def test_a_second_rating_of_the_same_pair_points_at_the_first() -> None:
    assert _problems(HEAD + _rating("a", "b") + _rating("a", "b", level=1)) == [
        "survey.yaml:11: rounds[0].ratings[1]: 'a' already rates 'b' in this round at rounds[0].ratings[0]; "
        "give one rating per pair and round"
    ]


def test_repeated_ids_and_round_labels_are_refused() -> None:
    text = (
        HEAD.replace("{id: b, name: Beta}", "{id: a, name: Beta}")
        + _rating("a", "a")
        + "  - {label: r1, date: 2025-02-01}\n"
    )
    assert _problems(text) == [
        "survey.yaml:5: organisations[1].id: organisation id 'a' is already used at organisations[0]; "
        "ids must be unique",
        "survey.yaml:10: rounds[0].ratings[0].about: 'a' rates itself; rate only the other organisations",
        "survey.yaml:11: rounds[1].label: round label 'r1' is already used at rounds[0]; "
        "labels must be unique",
    ]


def test_every_problem_of_a_kind_is_reported_at_once() -> None:
    # Values out of range are all named first; who rates whom is checked once the values read.
    values = HEAD + _rating("a", "b", level=0) + _rating("b", "a", mission=9)
    assert len(_problems(values)) == 2
    references = HEAD + _rating("a", "z") + _rating("b", "b") + _rating("b", "y")
    assert len(_problems(references)) == 3


def test_a_missing_dimension_and_an_unknown_field_are_named() -> None:
    text = HEAD + (
        "      - {by: a, about: b, level: 2, value: {power: 1, involvement: 1}, "
        "trust: {reliable: 1, mission: 1, open: 1}, how: 2}\n"
    )
    problems = _problems(text)
    assert any("value.resources: required field 'resources' is missing" in p for p in problems)
    assert any("unknown field 'how'" in p and "by, about" in p for p in problems)


def test_a_file_that_is_not_a_mapping_says_what_a_survey_looks_like() -> None:
    assert "a network survey must be a mapping of fields" in _problems("- just\n- a list\n")[0]


def test_an_unknown_round_names_the_rounds_there_are() -> None:
    survey = parse_survey(HEAD + _rating("a", "b"))
    with pytest.raises(UnknownRound, match=r"no round labelled 'r2'; the rounds are r1"):
        survey.round("r2")


def test_the_latest_round_is_by_date_not_by_position() -> None:
    text = HEAD + _rating("a", "b") + "  - {label: earlier, date: 2024-01-01}\n"
    assert parse_survey(text).latest().label == "r1"


def test_a_non_respondent_who_gives_ratings_is_a_contradiction() -> None:
    text = HEAD.replace("    ratings:\n", "    not_responding: [a]\n    ratings:\n") + _rating("a", "b")
    assert _problems(text) == [
        "survey.yaml:11: rounds[0].ratings[0].by: 'a' is listed as not responding but gives ratings"
    ]


def test_we_do_not_work_with_them_reads_per_organisation() -> None:
    text = HEAD.replace("    ratings:\n", "    not_working_with: {b: [a]}\n    ratings:\n") + _rating(
        "a", "b"
    )
    item = parse_survey(text).round("r1")
    assert item.says_no_tie("b", "a") is True
    assert item.says_no_tie("a", "b") is False


def test_a_file_without_not_working_with_still_reads_and_has_no_explicit_no() -> None:
    item = parse_survey(HEAD + _rating("a", "b")).round("r1")
    assert item.not_working_with == {}
    assert item.says_no_tie("b", "a") is False


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("{c: [a]}", "rounds[0].not_working_with.c: unknown organisation 'c'"),
        ("{b: [c]}", "rounds[0].not_working_with.b[0]: unknown organisation 'c'"),
        ("{b: [b]}", "rounds[0].not_working_with.b[0]: 'b' lists itself"),
        ("{b: [a, a]}", "rounds[0].not_working_with.b[1]: 'b' already lists 'a'"),
        ("{a: [b]}", "rounds[0].not_working_with.a[0]: 'a' rates 'b' at rounds[0].ratings[0] and also says"),
    ],
)
def test_bad_not_working_with_answers_are_named(answers: str, message: str) -> None:
    text = HEAD.replace("    ratings:\n", f"    not_working_with: {answers}\n    ratings:\n") + _rating(
        "a", "b"
    )
    problems = _problems(text)
    assert len(problems) == 1
    assert message in problems[0]


def test_a_list_of_no_ties_longer_than_any_survey_is_refused_with_its_place() -> None:
    ids = ", ".join(f"x{i}" for i in range(501))
    text = HEAD.replace("    ratings:\n", f"    not_working_with: {{b: [{ids}]}}\n    ratings:\n") + _rating(
        "a", "b"
    )
    problems = _problems(text)
    assert any("rounds[0].not_working_with.b" in p and "500" in p for p in problems), problems
