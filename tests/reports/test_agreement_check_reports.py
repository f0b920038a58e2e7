"""The agreement check's renderers: every part drawn alike, every text escaped, the JSON contract."""

from __future__ import annotations

import datetime
import json

import pytest

from commonground.core.agreement.check import AgreementCheck
from commonground.core.agreement.findings import CheckPart, Finding, Level, Table
from commonground.reports.agreement_check import CHECK_FORMATS, counts_line, render_check

HOSTILE = "<script>alert(1)</script>"


def check(title: str = "Riverside", text: str = "note") -> AgreementCheck:
    parts = (
        CheckPart(
            "structure",
            "Structure",
            (
                Finding("how.review.date", Level.PROBLEM, "structure.no_review_date", "no review date"),
                Finding("open_items[0]", Level.WARNING, "structure.open_item", f"still open: {text}"),
            ),
            (Table("Sections", ("Section", "Status"), (("WHO", text),)),),
            {"open_items": 1},
        ),
        CheckPart("roles", "Roles", (), (), {"tasks": 0}),
    )
    return AgreementCheck(title=title, state="draft", as_of=datetime.date(2026, 3, 31), parts=parts)


@pytest.mark.parametrize("fmt", sorted(CHECK_FORMATS))
def test_every_format_renders_every_part(fmt: str) -> None:
    out = render_check(check(), fmt)
    assert "Structure" in out
    assert "Roles" in out
    assert "how.review.date" in out


def test_text_groups_findings_by_level_with_their_paths() -> None:
    out = render_check(check(), "text")
    assert out.index("Problems") < out.index("how.review.date: no review date") < out.index("Warnings")
    assert "a draft, not agreed" in out
    assert "as of 2026-03-31" in out
    assert "nothing to report" in out  # the roles part without findings


def test_json_carries_findings_codes_and_figures() -> None:
    data = json.loads(render_check(check(), "json"))
    assert data["counts"] == {"problem": 1, "warning": 1, "info": 0}
    first = data["parts"][0]
    assert first["findings"][0] == {
        "path": "how.review.date",
        "level": "problem",
        "code": "structure.no_review_date",
        "message": "no review date",
    }
    assert first["figures"] == {"open_items": 1}


def test_html_is_self_contained_and_escapes_hostile_text() -> None:
    out = render_check(check(title=HOSTILE, text=HOSTILE), "html")
    assert HOSTILE not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<script" not in out.lower()
    assert "http://" not in out
    assert "https://" not in out


def test_counts_read_as_words() -> None:
    assert counts_line(check()) == "1 problem, 1 warning, no notes"


def test_an_unknown_format_names_the_available_ones() -> None:
    with pytest.raises(ValueError, match="text, json, html"):
        render_check(check(), "pdf")
