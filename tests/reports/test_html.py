"""HTML report: self-contained, escaped, and carrying the evidence and the charts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from commonground.core.results import AssessmentResult
from commonground.reports import render

HOSTILE = "<script>alert(1)</script>"


class _Collector(HTMLParser):
    """Collects tags and their attributes, so tests look at markup rather than at text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collector()
    parser.feed(html)
    return parser.tags


def test_html_has_no_external_resources(two_party: AssessmentResult, three_party: AssessmentResult) -> None:
    for result in (two_party, three_party):
        html = render(result, "html")
        tags = _tags(html)
        for tag, attrs in tags:
            for name in ("src", "href", "xlink:href", "action", "srcset"):
                value = (attrs.get(name) or "").lower()
                assert "http" not in value, (tag, name, value)
                assert not value.startswith("//"), (tag, name, value)
            assert tag not in {"script", "link", "iframe", "img", "object", "embed"}, tag
        assert "@import" not in html
        assert "url(" not in html


def test_hostile_name_is_escaped(hostile: AssessmentResult) -> None:
    html = render(hostile, "html")
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert all(tag != "script" for tag, _ in _tags(html))


def test_html_is_a_whole_document(two_party: AssessmentResult) -> None:
    html = render(two_party, "html")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert '<meta name="viewport"' in html
    assert "@media print" in html
    assert "<title>Harbor Health Alliance and FizzCo Beverages Ltd" in html


def test_every_conflict_and_synergy_has_its_evidence(two_party: AssessmentResult) -> None:
    html = render(two_party, "html")
    assert html.count('<details class="conflict') == len(two_party.conflicts)
    assert html.count('<details class="synergy') == len(two_party.synergies)
    # In words: the curated row, the closeness and where each quoted text comes from, never their codes.
    assert "<dd>High-sugar, high-fat food and drink against nutrition and healthy diets</dd>" in html
    assert "WHO framework of engagement with non-State actors (2016)" in html
    assert "<dt>Closeness in meaning (0 to 1)</dt><dd>0.71</dd>" in html
    assert "<strong>FizzCo Beverages Ltd</strong>, Activity 1: <q>" in html
    assert "<dt>Found by</dt><dd>Red line (by meaning)</dd>" in html
    for code in ("unhealthy_food", "activities[0]", "red_line.semantic", "<code>"):
        assert code not in html


def test_html_has_the_charts_and_questions(two_party: AssessmentResult) -> None:
    html = render(two_party, "html")
    for kind in ("gauge", "goal-heatmap", "values", "sdg-overlap", "power-interest", "shared-value"):
        assert f"cg-chart cg-{kind}" in html, kind
    questions = re.search(r'<ol class="questions">(.*?)</ol>', html, re.S)
    assert questions is not None
    assert questions.group(1).count("<li>") == len(two_party.questions)


def test_a_section_with_nothing_to_show_says_so_instead_of_drawing_an_empty_chart(
    three_party: AssessmentResult,
) -> None:
    assert three_party.initiatives == []
    html = render(three_party, "html")
    section = re.search(r'<section id="initiatives">(.*?)</section>', html)
    assert section is not None
    assert "No joint initiatives proposed." in section.group(1)
    assert "<svg" not in section.group(1)


def test_three_partners_get_pairs_and_shared_by_all(three_party: AssessmentResult) -> None:
    html = render(three_party, "html")
    assert html.count('<article class="pair"') == 3
    assert 'id="shared"' in html
    assert "Harbor Health Alliance &amp; Northside Food Bank" in html
    ids = re.findall(r'<section id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "section ids must be unique on the page"


def test_two_partners_are_not_shown_twice(two_party: AssessmentResult) -> None:
    # The engine returns the single pair in ``pairs`` too; the report must not repeat it.
    page = render(two_party, "html")
    assert "Each pair" not in page
    assert page.count('id="conflicts"') == 1
