"""The agreement as a readable document: every section in words, signatures, escaping, A4 PDF."""

from __future__ import annotations

import datetime
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from pdf_text import inflated, page_count, squashed, text_of

from commonground.core.agreement.loading import load_agreement
from commonground.core.agreement.models import Agreement
from commonground.reports.agreement_document import (
    SignOff,
    render_agreement_document,
    render_agreement_document_pdf,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSTILE = '<script>alert(1)</script><img src="http://evil.example/x.png">'
FREE_TEXT = {
    "title",
    "name",
    "text",
    "contribution",
    "description",
    "shared_vision",
    "joint_mission",
    "role",
    "who",
    "note",
    "proxy_source",
    "transition",
    "outcome",
    "proposal",
    "body",
    "reason",
}


@pytest.fixture
def workable() -> Agreement:
    return load_agreement(EXAMPLES / "agreement-workable.yaml")


def _text(html: str) -> str:
    """The page's words without tags, spaces squeezed (what a reader sees)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_every_section_is_shown_with_its_status_in_words(workable: Agreement) -> None:
    page = _text(render_agreement_document(workable))
    for heading in ("WHO: the partners", "WHY: vision", "WHAT: the work", "HOW: governance"):
        assert heading in page
    assert "fully in place" in page
    assert "partially in place" in page
    assert "DRAFT: nothing in this document is agreed" in page
    assert workable.why.shared_vision is not None
    assert workable.why.shared_vision in page
    assert "Halve childhood obesity among 4–11 year olds" in page  # a partner's own objective


def test_each_partner_is_quoted_in_its_own_words(workable: Agreement) -> None:
    page = _text(render_agreement_document(workable))
    for partner in workable.who.partners:
        assert partner.contribution is not None
        assert f"What {partner.name} brings, in its own words:" in page
        assert " ".join(partner.contribution.split()) in page
    assert "Priya Shah, Community partnerships manager" in page


def test_roles_commitments_kpis_and_the_dispute_ladder_are_spelled_out(workable: Agreement) -> None:
    page = _text(render_agreement_document(workable, as_of=datetime.date(2026, 3, 31)))
    assert "Responsible Accountable Consulted Informed" in page
    assert "GBP 45,000" in page  # a commitment's value
    assert "on time" in page  # its status as of the date asked for
    assert "150 on 2026-03-31" in page  # the latest reading of a KPI
    assert "600 by 2026-12-31" in page  # its target
    ladder = workable.how.dispute_resolution.ladder
    assert ladder, "the example has a dispute ladder"
    assert f"up to {ladder[0].days} days" in page
    assert f"At most {sum(s.days for s in ladder)} days" in page
    notice = workable.how.exit.notice_days
    assert f"A partner leaves with {notice} days' notice." in page
    assert workable.how.review.date is not None
    assert f"next reviewed on {workable.how.review.date.isoformat()}" in page


def test_without_signatures_there_is_a_block_to_sign_on_paper(workable: Agreement) -> None:
    page = _text(render_agreement_document(workable))
    assert "Partner Name Date Signature" in page
    assert all(partner.name in page.split("Signatures", 1)[1] for partner in workable.who.partners)


def test_signatures_show_who_signed_which_version_and_when(workable: Agreement) -> None:
    signatures = [
        SignOff("Meadowgate Supermarkets", "Priya Shah", 4, datetime.datetime(2026, 4, 2, 10, 30)),
        SignOff("Bright Start Child Health Trust", "Dr Ruth Adeyemi", 3, datetime.date(2026, 3, 1)),
    ]
    page = _text(render_agreement_document(workable, version=4, signatures=signatures))
    assert "Version 4." in page
    assert "Meadowgate Supermarkets Priya Shah 4 2026-04-02 10:30" in page
    assert "Dr Ruth Adeyemi 3 (an earlier version) 2026-03-01" in page


def _hostile(agreement: Agreement) -> Agreement:
    """Every free text of the agreement replaced by markup."""

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        return HOSTILE if key in FREE_TEXT and isinstance(value, str) else value

    return Agreement.model_validate(walk(agreement.model_dump(mode="json")))


def test_every_text_from_the_agreement_is_escaped(workable: Agreement) -> None:
    signatures = [SignOff(HOSTILE, HOSTILE, 1, datetime.date(2026, 1, 1))]
    page = render_agreement_document(_hostile(workable), signatures=signatures)
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;" in page


def test_the_page_fetches_nothing(workable: Agreement) -> None:
    page = render_agreement_document(_hostile(workable))
    assert not re.search(r"<[^>]*\b(src|href)\s*=", page)
    assert "@import" not in page
    assert "url(" not in page


def test_a_draft_and_an_agreed_agreement_say_which_they_are(workable: Agreement) -> None:
    agreed = workable.model_copy(update={"state": "agreed"})
    assert "Agreed: signed by every partner." in _text(render_agreement_document(agreed))


def test_the_pdf_is_a4_pages_with_the_agreement_in_words(workable: Agreement) -> None:
    pdf = render_agreement_document_pdf(workable, version=2)
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+595\.\d+\s+841\.\d+", inflated(pdf))  # A4 in points
    assert page_count(pdf) >= 2
    text = text_of(pdf)
    assert squashed(workable.title) in squashed(text)
    assert squashed("What Meadowgate Supermarkets brings, in its own words") in squashed(text)
