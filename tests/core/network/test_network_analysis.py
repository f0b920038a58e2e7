"""Scores, perception gaps, round changes, the JSON form and the edge table of a network analysis."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest

from commonground.core.network import (
    EDGE_COLUMNS,
    Survey,
    analyse_round,
    analysis_document,
    compare_rounds,
    edge_rows,
    edges_csv,
    edges_xlsx,
)

NODES = ["a", "b", "c", "d"]
Rate = Callable[..., dict[str, Any]]
SurveyOf = Callable[..., Survey]


def test_value_and_trust_come_from_the_others_ratings_only(rate: Rate, survey_of: SurveyOf) -> None:
    survey = survey_of(
        NODES,
        [
            (
                "r1",
                [
                    rate("a", "b", trust=4, value=2),
                    rate("c", "b", trust=2, value=4),
                    rate("b", "a", trust=1, value=1),
                    rate("a", "c", trust=3, value=3, level=2),
                ],
            )
        ],
    )
    result = analyse_round(survey)
    b = result.organisation("b")
    assert (b.trust, b.value, b.rated_by) == (3.0, 3.0, 2)
    assert result.organisation("d").trust is None
    # Network-wide: the mean of every rating's own score.
    assert result.trust == pytest.approx((4 + 2 + 1 + 3) / 4)
    assert result.value == pytest.approx((2 + 4 + 1 + 3) / 4)
    tie = result.ties[0]
    assert (tie.a, tie.b, tie.reported_by, tie.trust) == ("a", "b", ("a", "b"), 2.5)


def test_a_score_is_the_mean_of_its_three_dimensions(rate: Rate, survey_of: SurveyOf) -> None:
    answer = rate("a", "b")
    answer["trust"] = {"reliable": 4, "mission": 2, "open": 3}
    answer["value"] = {"power": 1, "involvement": 1, "resources": 4}
    result = analyse_round(survey_of(NODES, [("r1", [answer])]))
    assert result.organisation("b").trust == pytest.approx(3.0)
    assert result.organisation("b").value == pytest.approx(2.0)


def test_perception_gaps_name_the_dimension_and_both_answers(rate: Rate, survey_of: SurveyOf) -> None:
    survey = survey_of(
        NODES,
        [("r1", [rate("a", "b", level=4, trust=4), rate("b", "a", level=3, trust=2), rate("c", "d")])],
        not_working_with={"r1": {"d": ["c"]}},
    )
    gaps = analyse_round(survey).gaps
    assert [(g.a, g.b, g.kind, g.dimension, g.a_says, g.b_says) for g in gaps] == [
        ("a", "b", "differs", "trust.reliable", 4, 2),
        ("a", "b", "differs", "trust.mission", 4, 2),
        ("a", "b", "differs", "trust.open", 4, 2),
        ("c", "d", "one-sided", None, 3, None),
    ]


def test_the_gap_threshold_is_a_setting(rate: Rate, survey_of: SurveyOf) -> None:
    survey = survey_of(NODES, [("r1", [rate("a", "b", level=4), rate("b", "a", level=3)])])
    assert analyse_round(survey).gaps == ()
    loose = analyse_round(survey, gap_threshold=1)
    assert [(g.dimension, g.a_says, g.b_says) for g in loose.gaps] == [("level", 4, 3)]
    with pytest.raises(ValueError, match="1, 2 or 3"):
        analyse_round(survey, gap_threshold=4)


def test_a_tie_only_a_non_respondent_could_confirm_is_not_a_gap(rate: Rate, survey_of: SurveyOf) -> None:
    survey = survey_of(NODES, [("r1", [rate("a", "b")])], not_responding={"r1": ["b"]})
    result = analyse_round(survey)
    assert result.gaps == ()
    assert result.not_answered == (("a", "b"),)
    assert result.reciprocity is None
    assert result.organisation("b").responded is False


def test_a_partner_skipped_by_an_organisation_that_answered_others_is_not_answered_not_a_gap(
    rate: Rate, survey_of: SurveyOf
) -> None:
    # b answers about c (and says it does not work with d) but skips a, which reports working with b.
    survey = survey_of(
        NODES,
        [("r1", [rate("a", "b"), rate("b", "c"), rate("c", "b")])],
        not_working_with={"r1": {"b": ["d"]}},
    )
    result = analyse_round(survey)
    assert result.organisation("b").responded is True
    assert result.gaps == ()
    assert result.not_answered == (("a", "b"),)
    # Of the two ties, only b–c was answered by both sides, and both report it.
    assert result.reciprocity == 1.0


def test_an_explicit_no_makes_the_tie_one_sided_and_counts_against_reciprocity(
    rate: Rate, survey_of: SurveyOf
) -> None:
    survey = survey_of(
        NODES,
        [("r1", [rate("a", "b", level=2), rate("b", "c"), rate("c", "b")])],
        not_working_with={"r1": {"b": ["a", "d"]}},
    )
    result = analyse_round(survey)
    assert [(g.a, g.b, g.kind, g.a_says) for g in result.gaps] == [("a", "b", "one-sided", 2)]
    assert result.not_answered == ()
    assert result.reciprocity == 0.5


def test_comparing_two_rounds(rate: Rate, survey_of: SurveyOf) -> None:
    first = [rate("a", "b", trust=4), rate("b", "c", trust=4), rate("c", "d", trust=4)]
    second = [
        rate("a", "b", trust=2),
        rate("b", "c", trust=2),
        rate("a", "d", trust=2),
        rate("a", "c"),
    ]
    survey = survey_of(NODES, [("before", first), ("after", second)])
    change = compare_rounds(survey, "before", "after")
    assert change.new_ties == (("a", "c"), ("a", "d"))
    assert change.lost_ties == (("c", "d"),)
    assert change.trust_change == pytest.approx((2 + 2 + 2 + 3) / 4 - 4)
    assert change.density_change == pytest.approx(4 / 6 - 3 / 6)
    assert change.degree_centralization_change == pytest.approx(
        change.after.degree_centralization - change.before.degree_centralization  # type: ignore[operator]
    )
    a = next(o for o in change.organisations if o.id == "a")
    assert (a.degree_before, a.degree_after, a.new_ties, a.lost_ties) == (1, 3, ("c", "d"), ())
    d = next(o for o in change.organisations if o.id == "d")
    assert (d.new_ties, d.lost_ties) == (("a",), ("c",))
    # In the path b and c each held it together; in the second round only a does (d hangs on it).
    assert change.before.single_points_of_failure == ("b", "c")
    assert change.after.single_points_of_failure == ("a",)


def test_the_json_form_is_plain_data_with_the_change(rate: Rate, survey_of: SurveyOf) -> None:
    survey = survey_of(NODES, [("before", [rate("a", "b")]), ("after", [rate("a", "c")])])
    change = compare_rounds(survey, "before", "after")
    document = json.loads(json.dumps(analysis_document(change.after, change)))
    assert document["kind"] == "network-analysis"
    assert document["label"] == "after"
    assert document["date"] == "2025-02-01"
    assert document["organisations"][0]["id"] == "a"
    assert document["change"]["before"] == "before"
    assert document["change"]["new_ties"] == [["a", "c"]]


def test_edges_as_csv_keep_a_hostile_name_as_text(rate: Rate, survey_of: SurveyOf) -> None:
    survey = survey_of(NODES, [("r1", [rate("a", "b", frequency=2)])])
    survey = survey.model_copy(
        update={
            "organisations": [
                o.model_copy(update={"name": "=cmd|' /C calc'!A0"}) for o in survey.organisations
            ]
        }
    )
    text = edges_csv(analyse_round(survey)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(EDGE_COLUMNS)
    assert rows[0]["organisation_a"] == "'=cmd|' /C calc'!A0"
    assert (rows[0]["level"], rows[0]["frequency"], rows[0]["reported_by"], rows[0]["bridge"]) == (
        "3.00",
        "2.00",
        "a",
        "yes",
    )


def test_edges_as_xlsx_store_figures_as_numbers(rate: Rate, survey_of: SurveyOf) -> None:
    survey = survey_of(NODES, [("r1", [rate("a", "b", level=4), rate("b", "a", level=2)])])
    workbook = openpyxl.load_workbook(io.BytesIO(edges_xlsx(analyse_round(survey))))
    rows = list(workbook.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0] == EDGE_COLUMNS
    assert rows[1][:7] == ("r1", "A", "B", "a", "b", "both", 3.0)


def test_the_ties_table_says_what_the_other_side_answered(rate: Rate, survey_of: SurveyOf) -> None:
    survey = survey_of(
        NODES,
        [("r1", [rate("a", "b"), rate("b", "a"), rate("a", "c"), rate("d", "a")])],
        not_working_with={"r1": {"c": ["a"]}},
    )
    rows = edge_rows(analyse_round(survey))
    assert [(r["id_a"], r["id_b"], r["reported_by"], r["other_side"]) for r in rows] == [
        ("a", "b", "both", "reports it"),
        ("a", "c", "a", "no tie"),
        ("a", "d", "d", "not answered"),
    ]
