"""Terminal report: readable content, colour only when asked for, user text never interpreted."""

from __future__ import annotations

from commonground.core.results import AssessmentResult
from commonground.reports import render


def test_plain_text_has_no_escape_codes(two_party: AssessmentResult, three_party: AssessmentResult) -> None:
    for result in (two_party, three_party):
        assert "\x1b" not in render(result, "text", color=False)


def test_colour_uses_ansi_codes(two_party: AssessmentResult) -> None:
    assert "\x1b[" in render(two_party, "text", color=True)


def test_text_shows_score_conflicts_and_numbered_questions(two_party: AssessmentResult) -> None:
    out = render(two_party, "text")
    assert "47/100" in out  # 46.5 as every page shows it
    assert "At risk" in out
    assert "Blocker" in out
    assert "Sensitive sector" in out
    assert "sector data: High-sugar, high-fat food and drink against nutrition" in " ".join(out.split())
    assert "1. Can Harbor Health Alliance accept any funding" in out
    assert "2. How will the partners talk publicly" in out
    assert "Shared: 3" in out
    assert "School boards" in out
    assert "Water refill" in out  # the table may wrap the rest of the name


def test_blockers_are_listed_before_milder_conflicts(two_party: AssessmentResult) -> None:
    out = render(two_party, "text")
    assert out.index("Blocker") < out.index("High") < out.index("Medium")


def test_three_partners_get_a_section_per_pair(three_party: AssessmentResult) -> None:
    out = render(three_party, "text")
    assert "Pair: Harbor Health Alliance & FizzCo Beverages Ltd" in out
    assert "Pair: FizzCo Beverages Ltd & Northside Food Bank" in out
    assert "Shared by all partners" in out


def test_user_text_is_not_markup_or_control_codes(two_party: AssessmentResult) -> None:
    tricky = "[bold red]Acme[/bold red] \x1b[31mCorp"
    data = two_party.model_dump()
    data["title"] = tricky
    result = AssessmentResult.model_validate(data)
    for color in (False, True):
        out = render(result, "text", color=color)
        assert "[bold red]Acme[/bold red]" in out
        assert "\x1b[31mCorp" not in out


def test_two_partners_are_not_printed_twice(two_party: AssessmentResult) -> None:
    out = render(two_party, "text")
    assert "Pair:" not in out
    assert out.count("Questions to settle first") == 1
