"""The one-page board summary: one A4 page, the verdict sentence of the web page, dated, no codes."""

from __future__ import annotations

from datetime import date

import pytest
from pdf_text import page_count, squashed, text_of

from commonground.core.results import AssessmentResult, Question
from commonground.reports import render
from commonground.reports.about import About, ProfileUsed
from commonground.reports.summary import board_summary

ABOUT = About(
    date(2026, 12, 5),
    (ProfileUsed("Harbor Health Alliance", 3, "ab12"), ProfileUsed("FizzCo Beverages Ltd", 7, "cd34")),
)


def _with(result: AssessmentResult, **changes: object) -> AssessmentResult:
    return AssessmentResult.model_validate({**result.model_dump(), **changes})


def test_the_board_summary_pdf_is_one_page_with_the_verdict_sentence(two_party: AssessmentResult) -> None:
    pdf = render(two_party, "summary-pdf", about=ABOUT)
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 1
    text = squashed(text_of(pdf))
    assert squashed(board_summary(two_party).sentence) in text
    assert squashed("Assessed on 5 December 2026") in text
    assert squashed("Harbor Health Alliance, profile version 3") in text


def test_a_long_assessment_still_fits_one_page(two_party: AssessmentResult) -> None:
    # Long names, long findings and many questions: the summary shortens them rather than spill over.
    long = "A very long sentence about what the partners must settle before they sign anything " * 8
    conflicts = [{**c.model_dump(), "summary": long} for c in two_party.conflicts]
    questions = [
        Question(text=long, reason=long, priority=i + 1, about="general").model_dump() for i in range(12)
    ]
    result = _with(
        two_party,
        title="The Extraordinarily Long-Named Regional Partnership for Health " * 3,
        conflicts=conflicts,
        questions=questions,
        reasons=[long] * 6,
        limitations=[long] * 3,
    )
    pdf = render(result, "summary-pdf", about=ABOUT)
    assert isinstance(pdf, bytes)
    assert page_count(pdf) == 1


def test_the_html_summary_has_partners_date_verdict_score_reasons_questions_and_a_chart(
    two_party: AssessmentResult,
) -> None:
    html = render(two_party, "summary", about=ABOUT)
    assert isinstance(html, str)
    summary = board_summary(two_party)
    assert "Harbor Health Alliance and FizzCo Beverages Ltd" in html
    assert (
        "Assessed on 5 December 2026 from these profiles: Harbor Health Alliance, profile version 3;" in html
    )
    assert summary.sentence.split(":")[0] == "At risk (47/100)"
    assert 'class="cg-chart cg-gauge"' in html
    assert "@page{size:A4" in html
    for question in summary.questions:
        assert question.replace("'", "&#x27;") in html
    assert "Why this score" in html
    assert "Questions to settle first" in html


def test_the_sentence_names_the_deciding_findings_and_the_next_step(two_party: AssessmentResult) -> None:
    blocked = _with(two_party, verdict="blocked")
    sentence = board_summary(blocked).sentence
    # The blocker decides a blocked verdict, and the sentence says what to do about it.
    assert "because Harbor Health Alliance will not take money from makers of sugary drinks" in sentence
    assert "Next: settle the first question below before anything else" in sentence
    at_risk = board_summary(two_party).sentence
    assert "FizzCo Beverages Ltd sells high-sugar drinks" in at_risk  # the one high conflict
    assert at_risk.count(". Next: ") == 1


def test_missing_findings_are_named_next_to_the_verdict_instead_of_a_reassuring_sentence(
    two_party: AssessmentResult,
) -> None:
    note = "FizzCo Beverages Ltd's profile reads as Chinese: red lines and sectors may be missed."
    aligned = _with(two_party, verdict="aligned", limitations=[note])
    summary = board_summary(aligned)
    # culture is None in the fixture: named with why, as is what the engine could not read.
    assert summary.missing[0] == note
    assert "Culture: not scored, because a partner has not described its culture." in summary.missing
    assert summary.sentence.endswith(
        "This verdict may be too kind: some findings are missing (listed below)."
    )
    for fmt in ("html", "summary", "text"):
        out = render(aligned, fmt)
        assert isinstance(out, str)
        assert "Missing from this assessment" in out


@pytest.mark.parametrize("fmt", ["summary", "html", "text"])
def test_every_human_format_is_dated_when_told_the_date(two_party: AssessmentResult, fmt: str) -> None:
    out = render(two_party, fmt, about=ABOUT)
    assert isinstance(out, str)
    assert "Assessed on 5 December 2026" in " ".join(out.split())
