"""The report of a large coalition stays readable: the summary and a bounded pair table, not every finding."""

from __future__ import annotations

from itertools import combinations

from commonground.core.coalition import coalition_summary
from commonground.core.results import AssessmentResult, GoalMatrix, Verdict
from commonground.reports import render_text_format
from commonground.reports.coalition import PAIR_ROWS
from commonground.reports.sections import assessment_report


def coalition_of(base: AssessmentResult, n: int) -> AssessmentResult:
    """The stored three-party result grown to ``n`` partners, each pair a renamed copy of a stored pair."""
    names = [f"Partner {k:03d}" for k in range(n)]
    stored = base.pairs
    empty = GoalMatrix(rows=[], columns=[], cells=[])
    pairs = []
    for k, (a, b) in enumerate(combinations(names, 2)):
        template = stored[k % len(stored)]
        # The copied findings still name the stored partners; only the pair's own fields are renamed.
        update = {"parties": [a, b], "score": float(k % 97), "goal_matrix": empty}
        pairs.append(template.model_copy(update=update))
    return base.model_copy(
        update={
            "parties": names,
            "title": " × ".join(names),
            "pairs": pairs,
            "verdict": max((p.verdict for p in pairs), key=list(Verdict).index),
            "coalition": coalition_summary(names, pairs, sdgs={}, values=[]),
        }
    )


def test_a_coalition_of_thirty_reads_as_a_whole_in_text_and_html(three_party: AssessmentResult) -> None:
    result = coalition_of(three_party, 30)
    report = assessment_report(result)
    assert report.title == "A coalition of 30 partners"
    assert [s.id for s in report.sections] == [
        "questions",
        "components",
        "attention",
        "common-ground",
        "clusters",
        "ties",
        "pairs",
        "shared",
    ]
    pairs = next(s for s in report.sections if s.id == "pairs")
    assert pairs.title == "Weakest pairs"
    assert pairs.count == 435
    assert f"The {PAIR_ROWS} weakest of 435 pairs" in pairs.caption
    assert len(report.lead.reasons) < 5  # not one line per pair

    text = render_text_format(result, "text")
    assert "Partner 011 … and 18 more" in text
    assert "Pair: " not in text
    html = render_text_format(result, "html")
    assert "A coalition of 30 partners" in html
    assert html.count("<tr>") < PAIR_ROWS + 200  # bounded whatever the number of pairs


def test_small_coalitions_keep_every_pair_in_full(three_party: AssessmentResult) -> None:
    report = assessment_report(three_party)
    assert [s.id for s in report.sections][-2:] == ["pairs", "shared"]
    assert report.sections[-2].title == "Each pair"
