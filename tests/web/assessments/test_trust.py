"""Trust in what an assessment page shows: out-of-date warnings, dates and versions, named downloads."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.core.profiles import Profile
from commonground.reports.summary import board_summary
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.assessments.presentation import snapshot_about, stored_result
from commonground.web.assessments.selectors import stale_snapshot_ids
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember

pytestmark = pytest.mark.django_db


def _run(client: Client, partnership: Partnership) -> AssessmentSnapshot:
    response = client.post(reverse("assessments:run", kwargs={"pk": partnership.pk}))
    assert response.status_code == 302
    return AssessmentSnapshot.objects.filter(partnership=partnership).latest("created_at", "pk")


def _page(client: Client, snapshot: AssessmentSnapshot) -> str:
    url = reverse("assessments:detail", kwargs={"pk": snapshot.partnership_id, "snapshot_id": snapshot.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _add_goal(organisation: Organisation, user: Any, text: str) -> None:
    document = organisation.get_profile().to_document()
    document["goals"] = [*document["goals"], {"text": text}]
    organisation_services.profile_update(
        organisation=organisation,
        profile=Profile.model_validate(document),
        expected_version=organisation.version,
        user=user,
    )


def test_a_changed_partner_profile_puts_a_re_run_banner_on_the_older_assessment(
    member: Any,
    member_client: Client,
    viewer_client: Client,
    partner_owner: Any,
    partnership: Partnership,
    partner_organisation: Organisation,
    fake_assess: Any,
) -> None:
    first = _run(member_client, partnership)
    assert 'id="stale"' not in _page(member_client, first)

    _add_goal(partner_organisation, partner_owner, "Sell more fizzy drinks near schools")
    page = _page(member_client, first)
    banner = page[page.index('id="stale"') : page.index("</div>", page.index('id="stale"'))]
    assert "Meadow Grocers&#x27; profile changed (version 1, now 2) since this assessment" in banner
    assert f'action="{reverse("assessments:run", kwargs={"pk": partnership.pk})}"' in banner
    assert "Re-run the assessment" in banner
    # The banner comes before the verdict: nobody reads the old verdict without seeing it.
    assert page.index('id="stale"') < page.index('class="sentence"')
    # A viewer may not run the engine: told who can, and no button.
    for_viewer = _page(viewer_client, first)
    assert "Ask an editor of a partner organisation to re-run it." in for_viewer
    assert "Re-run the assessment" not in for_viewer
    assert viewer_client.post(reverse("assessments:run", kwargs={"pk": partnership.pk})).status_code == 403

    # One click: the re-run uses the current profiles, and the new assessment is not out of date.
    second = _run(member_client, partnership)
    assert 'id="stale"' not in _page(member_client, second)
    assert stale_snapshot_ids(snapshot_ids=[first.pk, second.pk]) == {first.pk}


def test_a_new_version_with_the_same_content_is_not_a_change(
    member: Any, member_client: Client, partnership: Partnership, organisation: Organisation, fake_assess: Any
) -> None:
    snapshot = _run(member_client, partnership)
    organisation_services.profile_update(
        organisation=organisation,
        profile=organisation.get_profile(),
        expected_version=organisation.version,
        user=member,
    )
    organisation.refresh_from_db()
    assert organisation.version == 2
    assert 'id="stale"' not in _page(member_client, snapshot)


def test_a_partner_joining_or_leaving_makes_the_assessment_out_of_date(
    member_client: Client,
    partnership: Partnership,
    partner_organisation: Organisation,
    other_organisation: Organisation,
    fake_assess: Any,
    django_assert_max_num_queries: Any,
) -> None:
    snapshot = _run(member_client, partnership)
    PartnershipMember.objects.filter(partnership=partnership, organisation=partner_organisation).update(
        state=MemberState.LEFT
    )
    PartnershipMember.objects.create(
        partnership=partnership, organisation=other_organisation, state=MemberState.ACTIVE
    )
    page = _page(member_client, snapshot)
    assert f"{other_organisation.name} joined the partnership" in page
    assert "Meadow Grocers is no longer a partner" in page
    with django_assert_max_num_queries(2):
        assert stale_snapshot_ids(snapshot_ids=[snapshot.pk]) == {snapshot.pk}


def test_the_page_and_every_download_carry_the_date_and_the_profile_versions(
    member_client: Client, partnership: Partnership, fake_assess: Any
) -> None:
    snapshot = _run(member_client, partnership)
    AssessmentSnapshot.objects.filter(pk=snapshot.pk).update(
        created_at=datetime(2026, 12, 5, 10, 30, tzinfo=UTC)
    )
    snapshot.refresh_from_db()
    dated = (
        "Assessed on 5 December 2026 from these profiles: Harbor Health Alliance, profile version 1; "
        "Meadow Grocers, profile version 1."
    )
    page = _page(member_client, snapshot)
    assert dated in page.replace("&#x27;", "'")
    expected = {
        "html": ("text/html; charset=utf-8", "harbor-health-alliance-and-meadow-grocers-2026-12-05.html"),
        "summary": (
            "text/html; charset=utf-8",
            "harbor-health-alliance-and-meadow-grocers-2026-12-05-board-summary.html",
        ),
        "summary-pdf": (
            "application/pdf",
            "harbor-health-alliance-and-meadow-grocers-2026-12-05-board-summary.pdf",
        ),
        "json": ("application/json", "harbor-health-alliance-and-meadow-grocers-2026-12-05.json"),
    }
    for fmt, (media_type, filename) in expected.items():
        url = reverse(
            "assessments:download", kwargs={"pk": partnership.pk, "snapshot_id": snapshot.pk, "fmt": fmt}
        )
        assert f'href="{url}" download="{filename}"' in page, fmt
        response = member_client.get(url)
        assert response.status_code == 200, fmt
        assert response["Content-Type"] == media_type
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        if fmt in ("html", "summary"):
            assert dated in response.content.decode().replace("&#x27;", "'"), fmt
    pdf = member_client.get(
        reverse(
            "assessments:download",
            kwargs={"pk": partnership.pk, "snapshot_id": snapshot.pk, "fmt": "summary-pdf"},
        )
    ).content
    assert pdf.startswith(b"%PDF-")


def test_the_page_leads_with_the_verdict_sentence_then_the_questions_then_folded_details(
    member_client: Client, partnership: Partnership, fake_assess: Any
) -> None:
    snapshot = _run(member_client, partnership)
    page = _page(member_client, snapshot)
    sentence = board_summary(stored_result(snapshot)).sentence
    body = page[page.index("<main") :]
    order = [
        body.index('class="sentence"'),
        body.index("Why this score"),
        body.index("Questions to settle first"),
        body.index('<details class="assessment-details">'),
        body.index("Score components"),
    ]
    assert order == sorted(order)
    assert re.sub(r"\s+", " ", sentence.replace("'", "&#x27;").replace('"', "&quot;")) in re.sub(
        r"\s+", " ", body
    )


def test_without_pdf_support_the_pdf_download_says_why_instead_of_failing(
    member_client: Client, partnership: Partnership, fake_assess: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    snapshot = _run(member_client, partnership)
    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    kwargs = {"pk": partnership.pk, "snapshot_id": snapshot.pk}
    response = member_client.get(
        reverse("assessments:download", kwargs={**kwargs, "fmt": "summary-pdf"}), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("assessments:detail", kwargs=kwargs)
    assert "The PDF cannot be made on this server" in response.content.decode()
    assert (
        member_client.get(reverse("assessments:download", kwargs={**kwargs, "fmt": "summary"})).status_code
        == 200
    )


def test_a_coalitions_page_gives_the_count_and_one_hash_and_folds_every_profile_below(
    member_client: Client, partnership: Partnership, fake_assess: Any
) -> None:
    snapshot = _run(member_client, partnership)
    versions = [
        {"organisation_id": n, "name": f"Member {n:02d}", "version": 2, "fingerprint": f"{n:016x}"}
        for n in range(1, 31)
    ]
    AssessmentSnapshot.objects.filter(pk=snapshot.pk).update(profile_versions=versions)
    snapshot.refresh_from_db()
    page = _page(member_client, snapshot)
    combined = snapshot_about(snapshot).combined_hash
    assert f"from 30 profiles (combined content hash {combined})." in page
    assert '<details class="profiles-used"><summary>The 30 profiles used</summary>' in page
    for entry in versions:
        assert page.count(f"<li>{entry['name']}, profile version 2</li>") == 1
