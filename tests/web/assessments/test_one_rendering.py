"""The web page and the HTML download of a snapshot show the same sections, findings and order.

Both render ``commonground.reports.sections``; these tests read the two pages as a person would (the
text under each heading, charts left out) and compare them, so a section, caption or finding that one
rendering drops or reorders fails here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.core.results import AssessmentResult, PairResult
from commonground.reports.labels import score_text
from commonground.reports.sections import assessment_report
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"


class _Outline(HTMLParser):
    """Each ``<section>``'s heading and text in document order (nested sections too), SVG left out,
    and its notes: the captions and empty states (``<figcaption>`` and ``<p class="muted">``)."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[list[str]] = []  # [heading, text]
        self.notes: list[list[str]] = []  # per section
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""  # the whole page's text
        self._open: list[int] = []  # indexes into ``sections`` of the sections being read
        self._heading: int | None = None  # section whose heading is being read
        self._want_heading = False
        self._in_note = False
        self._in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "svg":
            self._in_svg += 1
        elif tag == "section":
            self.sections.append(["", ""])
            self.notes.append([])
            self._open.append(len(self.sections) - 1)
            self._want_heading = True
        elif self._open and (
            tag == "figcaption" or (tag == "p" and "muted" in (dict(attrs).get("class") or ""))
        ):
            self.notes[self._open[-1]].append("")
            self._in_note = True
        elif self._want_heading and re.fullmatch(r"h[2-6]", tag):
            self._heading = self._open[-1]
            self._want_heading = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg -= 1
        elif tag == "section":
            self._open.pop()
        elif tag in ("figcaption", "p"):
            self._in_note = False
        elif re.fullmatch(r"h[2-6]", tag):
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._in_svg:
            return
        self.text += " " + data
        if self._heading is not None:
            self.sections[self._heading][0] += data
        if self._in_note:
            self.notes[self._open[-1]][-1] += data
        for index in self._open:
            self.sections[index][1] += " " + data


def _squash(text: str) -> str:
    return " ".join(text.split())


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def _texts(pair: PairResult) -> list[str]:
    """Texts a reader looks for in an assessment: findings, questions, stakeholders, initiatives."""
    return [
        *(c.summary for c in pair.conflicts),
        *(s.summary for s in pair.synergies),
        *(q.text for q in pair.questions),
        *(q.reason for q in pair.questions),
        *(s.name for s in pair.stakeholders),
        *(i.name for i in pair.initiatives),
    ]


def _found_in_order(text: str, needles: list[str]) -> list[str]:
    """The needles that occur in ``text``, once per occurrence, in the order they occur."""
    text = _squash(text)
    hits = [
        (match.start(), needle)
        for needle in {_squash(n) for n in needles if n.strip()}
        for match in re.finditer(re.escape(needle), text)
    ]
    return [needle for _, needle in sorted(hits)]


def _both(client: Client, partnership: Partnership, snapshot: AssessmentSnapshot) -> tuple[str, str]:
    kwargs = {"pk": partnership.pk, "snapshot_id": snapshot.pk}
    page = client.get(reverse("assessments:detail", kwargs=kwargs))
    download = client.get(reverse("assessments:download", kwargs={**kwargs, "fmt": "html"}))
    assert page.status_code == download.status_code == 200
    return page.content.decode(), download.content.decode()


def _assert_same_report(page: str, download: str, result: AssessmentResult) -> list[str]:
    """Same headings in the same order, and the same texts in the same order under each."""
    page_outline, download_outline = _outline(page), _outline(download)
    on_page, in_download = page_outline.sections, download_outline.sections
    headings = [_squash(heading) for heading, _ in on_page]
    assert headings == [_squash(heading) for heading, _ in in_download]
    needles = [t for pair in [result, *result.pairs] for t in _texts(pair)]
    for (heading, page_text), (_, download_text) in zip(on_page, in_download, strict=True):
        page_items = _found_in_order(page_text, needles)
        assert page_items == _found_in_order(download_text, needles), heading
    # Captions and empty states: the same sentences under the same headings.
    assert [[_squash(n) for n in notes] for notes in page_outline.notes] == [
        [_squash(n) for n in notes] for notes in download_outline.notes
    ]
    assert any(notes for notes in page_outline.notes), "the notes should be found"
    # The lead: the same headline and reasons, in the same order.
    lead = [f"Compatibility {score_text(result.score)}/100", *result.reasons]
    assert _found_in_order(page_outline.text, lead) == _found_in_order(download_outline.text, lead)
    assert len(_found_in_order(page_outline.text, lead)) >= len(lead)
    return headings


def test_the_page_and_the_download_show_the_same_sections_findings_and_order(
    member_client: Client, partnership: Partnership, engine_result: dict[str, Any], store_snapshot: Any
) -> None:
    snapshot = store_snapshot(partnership, engine_result)
    result = AssessmentResult.model_validate(snapshot.result)
    assert result.conflicts, "the stored result should have findings to compare"
    headings = _assert_same_report(*_both(member_client, partnership, snapshot), result)
    # Both show exactly the sections defined once in reports/sections.py (their order: test_sections.py).
    assert headings == [section.heading for section in assessment_report(result).sections]
    assert f"Conflicts ({len(result.conflicts)})" in headings


def test_a_coalition_shows_each_pair_and_what_all_share_on_both(
    member_client: Client, partnership: Partnership, engine_result: dict[str, Any], store_snapshot: Any
) -> None:
    first, second = engine_result["parties"]
    third = "Northside Food Bank"
    pair = engine_result["pairs"][0]
    pairs = [{**pair, "parties": parties} for parties in ([first, second], [first, third], [second, third])]
    document = {**engine_result, "parties": [first, second, third], "pairs": pairs}
    snapshot = store_snapshot(partnership, document)
    page, download = _both(member_client, partnership, snapshot)
    headings = _assert_same_report(page, download, AssessmentResult.model_validate(document))
    assert headings[-1] == "Shared by all"
    # The coalition (whose conflicts here are those of its one stored pair) and each of its three pairs.
    assert headings.count(f"Conflicts ({len(pair['conflicts'])})") == 4
    for html in (page, download):
        assert f"{first} &amp; {third}" in html
    # Headings stay unique targets (charts name their ids after their content, and these pairs share it).
    for html in (page, download):
        ids = [i for i in re.findall(r' id="([^"]+)"', html) if not i.startswith("cg-")]
        assert len(ids) == len(set(ids)), "section ids must stay unique on a page"


def test_hostile_text_in_a_finding_is_escaped_in_both_renderings(
    member_client: Client, partnership: Partnership, engine_result: dict[str, Any], store_snapshot: Any
) -> None:
    conflict = engine_result["conflicts"][0]
    evidence = {
        **conflict["evidence"],
        "texts": [{"party": HOSTILE, "field": HOSTILE, "text": HOSTILE}],
        "detail": HOSTILE,
    }
    stakeholder = {**engine_result["stakeholders"][0], "name": HOSTILE}
    document = {
        **engine_result,
        "conflicts": [{**conflict, "summary": f"Summary {HOSTILE}", "evidence": evidence}],
        "stakeholders": [stakeholder],
        "reasons": [HOSTILE],
        "limitations": [HOSTILE],
    }
    snapshot = store_snapshot(partnership, document)
    for html in _both(member_client, partnership, snapshot):
        assert HOSTILE not in html
        assert "Summary &lt;script&gt;alert(1)&lt;/script&gt;" in html
        outline = _outline(html)
        # The only script is the page's own htmx, from our static files.
        scripts = [attrs.get("src") or "" for tag, attrs in outline.tags if tag == "script"]
        assert all(src.startswith("/static/") for src in scripts), scripts
        conflicts = next(text for heading, text in outline.sections if heading.startswith("Conflicts"))
        assert _squash(conflicts).count(HOSTILE) >= 4  # summary, quote's party, field, text, detail
