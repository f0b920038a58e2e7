"""The health report a board reads: every part with its status, the stage, escaped, one A4 page."""

from __future__ import annotations

import datetime

from pdf_text import page_count, squashed, text_of

from commonground.core.alignment.health import (
    AgreementFacts,
    ConflictFacts,
    FactorFacts,
    Health,
    PulseFacts,
    health_view,
)
from commonground.reports.health import render_health, render_health_pdf

TODAY = datetime.date(2026, 12, 5)


def _health(name_of_item: str = "Voice in decisions") -> Health:
    return health_view(
        pulse=PulseFacts(9, "2026-11-01", (("Trust", 4.1), (name_of_item, 2.8)), ("voice down 0.7",)),
        factors=FactorFacts(strengths=14, borderline=5, concerns=("Enough money, people and time",)),
        agreement=AgreementFacts(True, 4, 1, 1, 8, 0),
        conflicts=ConflictFacts(open=1, high=0, escalated=1, highest_level=2, median_days_to_resolve=12),
        has_assessment=True,
        review_open=False,
        exit_planned=False,
        months_signed=9,
        today=TODAY,
    )


def test_the_report_shows_every_part_and_what_needs_attention() -> None:
    html = render_health(
        _health(), partnership="Clean Air Schools", partners=("Bright Start", "Harbour"), as_of=TODAY
    )
    assert "Needs attention: Pulse check-ins, Collaboration factors, KPIs, Conflicts" in html
    for title in ("Pulse check-ins", "Collaboration factors", "KPIs", "Commitments", "Conflicts"):
        assert f"<h2>{title}</h2>" in html
    assert "Managing: delivering together and checking in" in html
    assert "As of 2026-12-05" in html
    assert "median 12 days to resolve" in html


def test_hostile_text_is_shown_as_text() -> None:
    html = render_health(
        _health('<script>alert("x")</script>'),
        partnership="<b>Ours</b>",
        partners=("A & B",),
        as_of=TODAY,
        charts=(("<i>chart</i>", "<svg></svg>"),),
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;Ours&lt;/b&gt;" in html
    assert "A &amp; B" in html
    assert "&lt;i&gt;chart&lt;/i&gt;" in html


def test_the_pdf_is_one_a4_page_with_the_headline() -> None:
    charts = tuple(
        (f"Item {n}", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 4"></svg>') for n in range(6)
    )
    pdf = render_health_pdf(
        _health(),
        partnership="Clean Air Schools " * 12,
        partners=("Bright Start", "Harbour"),
        as_of=TODAY,
        charts=charts,
    )
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 1
    assert "Needsattention" in squashed(text_of(pdf))
