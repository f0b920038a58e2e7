"""The health page and report: every part judged from its own figures, readable by every partner."""

from __future__ import annotations

from typing import Any

from agreement_terms import put_terms
from django.test import Client
from django.urls import reverse

from commonground.web.agreements import services as agreement_services
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for
from commonground.web.reviews.models import StageChoice


def _url(partnership: Partnership, name: str = "page", **kwargs: Any) -> str:
    return reverse(f"health:{name}", kwargs={"pk": partnership.pk, **kwargs})


def test_a_new_partnership_says_there_is_nothing_to_judge_yet(
    member_client: Client, partnership: Partnership
) -> None:
    page = member_client.get(_url(partnership)).content.decode()
    assert "Nothing to judge yet" in page
    assert "Scoping: finding out whether to partner" in page
    for title in ("Pulse check-ins", "Collaboration factors", "KPIs", "Commitments", "Conflicts"):
        assert f">{title}</h2>" in page


def test_an_overdue_commitment_needs_attention_and_the_kpis_are_shown_apart(
    member_client: Client, org_admin: Any, partnership: Partnership
) -> None:
    agreement = agreement_services.agreement_start(
        access=partnership_access_for(user=org_admin, partnership_id=partnership.pk), user=org_admin
    )
    put_terms(agreement)  # the cook was due ten days ago and is not delivered; KPIs have no readings
    page = member_client.get(_url(partnership)).content.decode()
    assert "Needs attention: Commitments." in page
    assert "1 of 2 commitments overdue." in page
    assert "None of 2 KPIs is off track or at risk." in page
    assert "Building: agreeing the vision" in page  # a draft agreement: not signed yet


def test_the_stage_the_partners_chose_is_shown_with_what_the_facts_suggest(
    member_client: Client, member: Any, partnership: Partnership
) -> None:
    StageChoice.objects.create(partnership=partnership, stage="reviewing", chosen_by=member)
    page = member_client.get(_url(partnership)).content.decode()
    assert "Reviewing: looking back at the goals" in page
    assert "set by the partners (the facts suggest scoping)" in page


def test_the_report_downloads_as_html_and_pdf(viewer_client: Client, partnership: Partnership) -> None:
    response = viewer_client.get(_url(partnership, "report", fmt="html"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="health-healthy-lunches-')
    html = response.content.decode()
    assert "Partnership health · Common Ground" in html
    assert "Harbor Health Alliance and Meadow Grocers" in html
    response = viewer_client.get(_url(partnership, "report", fmt="pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert viewer_client.get(_url(partnership, "report", fmt="docx")).status_code == 404


def test_outsiders_reach_neither_page_nor_report(outsider_client: Client, partnership: Partnership) -> None:
    assert outsider_client.get(_url(partnership)).status_code == 404
    assert outsider_client.get(_url(partnership, "report", fmt="pdf")).status_code == 404
