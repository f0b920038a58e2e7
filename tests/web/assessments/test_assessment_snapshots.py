"""Assessments: run on current profiles, stored whole, rendered from the snapshot, compared, downloaded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.core.profiles import Profile
from commonground.web.assessments import services
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Initiative, InitiativeScore, Partnership

pytestmark = pytest.mark.django_db


def _run(client: Client, partnership: Partnership) -> AssessmentSnapshot:
    response = client.post(reverse("assessments:run", kwargs={"pk": partnership.pk}))
    assert response.status_code == 302
    return AssessmentSnapshot.objects.filter(partnership=partnership).latest("created_at", "pk")


def test_real_engine_run_stores_result_versions_and_initiatives(
    member_client: Client,
    partnership: Partnership,
    organisation: Organisation,
    partner_organisation: Organisation,
    initiative: Initiative,
) -> None:
    InitiativeScore.objects.create(initiative=initiative, organisation=organisation, economic_value=2)
    snapshot = _run(member_client, partnership)
    assert snapshot.result["score"] == snapshot.score
    assert snapshot.verdict == snapshot.result["verdict"]
    assert snapshot.open_conflicts == len(snapshot.result["conflicts"])
    assert snapshot.profile_versions == [
        {
            "organisation_id": org.pk,
            "name": org.name,
            "version": org.version,
            "fingerprint": org.get_profile().fingerprint(),
        }
        for org in (organisation, partner_organisation)
    ]
    assert snapshot.initiatives[0]["name"] == "Fruit at the till"
    assert snapshot.initiatives[0]["economic_value"] == {"Harbor Health Alliance": 2}
    page = member_client.get(
        reverse("assessments:detail", kwargs={"pk": partnership.pk, "snapshot_id": snapshot.pk})
    )
    html = page.content.decode()
    assert page.status_code == 200
    for marker in ("cg-chart", "Score components", "Questions to settle first", "<details>"):
        assert marker in html
    assert html.count("<svg") >= 6  # gauge and five charts


def test_pages_render_from_the_snapshot_without_running_the_engine(
    member_client: Client,
    facilitator_client: Client,
    partnership: Partnership,
    fake_assess: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    snapshot = _run(member_client, partnership)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the engine ran on a GET")

    monkeypatch.setattr(services, "assess_profiles", refuse)
    urls = [
        reverse("assessments:list", kwargs={"pk": partnership.pk}),
        reverse("assessments:detail", kwargs={"pk": partnership.pk, "snapshot_id": snapshot.pk}),
        reverse(
            "assessments:download", kwargs={"pk": partnership.pk, "snapshot_id": snapshot.pk, "fmt": "html"}
        ),
        reverse(
            "assessments:download", kwargs={"pk": partnership.pk, "snapshot_id": snapshot.pk, "fmt": "json"}
        ),
        reverse("partnerships:detail", kwargs={"pk": partnership.pk}),
    ]
    for client in (member_client, facilitator_client):
        for url in urls:
            assert client.get(url).status_code == 200, url
    download = member_client.get(urls[3])
    assert download["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.content)["score"] == snapshot.score
    assert (
        member_client.get(urls[2]).content.startswith(b"<!doctype html>")
        or b"<html" in member_client.get(urls[2]).content
    )


def test_compare_shows_changed_score_and_changed_profile(
    member: Any,
    member_client: Client,
    partnership: Partnership,
    organisation: Organisation,
    harbor_profile: Profile,
    fake_assess: Any,
) -> None:
    first = _run(member_client, partnership)
    document = harbor_profile.to_document()
    document["goals"] = [*document["goals"], {"text": "Free fruit in every class"}]
    bigger = Profile.model_validate(document)
    organisation_services.profile_update(
        organisation=organisation, profile=bigger, expected_version=organisation.version, user=member
    )
    second = _run(member_client, partnership)
    assert second.score == first.score + 10
    page = member_client.get(
        reverse("assessments:compare", kwargs={"pk": partnership.pk}), {"a": first.pk, "b": second.pk}
    )
    comparison = page.context["comparison"]
    assert comparison.score_delta == "+10"
    changed = {change.name: change.changed for change in comparison.profiles}
    assert changed == {"Harbor Health Alliance": True, "Meadow Grocers": False}
    assert "version 2" in page.content.decode()
    # Default compare: the latest two.
    assert (
        member_client.get(reverse("assessments:compare", kwargs={"pk": partnership.pk}))
        .context["comparison"]
        .after.pk
        == second.pk
    )


def test_a_partnership_of_one_cannot_be_assessed(
    org_admin_client: Client, organisation: Organisation, org_admin: Any, fake_assess: Any
) -> None:
    from commonground.web.partnerships.models import MemberState, PartnershipMember

    partnership = Partnership.objects.create(name="Alone")
    PartnershipMember.objects.create(
        partnership=partnership, organisation=organisation, state=MemberState.ACTIVE
    )
    response = org_admin_client.post(reverse("assessments:run", kwargs={"pk": partnership.pk}), follow=True)
    assert "at least two active partner organisations" in response.content.decode()
    assert not AssessmentSnapshot.objects.exists()
    assert fake_assess.calls == 0


def test_snapshot_of_another_partnership_is_404(
    member_client: Client, partnership: Partnership, engine_result: dict[str, Any]
) -> None:
    elsewhere = Partnership.objects.create(name="Elsewhere")
    snapshot = AssessmentSnapshot.objects.create(
        partnership=elsewhere, result=engine_result, score=1, verdict="blocked", open_conflicts=0
    )
    url = reverse("assessments:detail", kwargs={"pk": partnership.pk, "snapshot_id": snapshot.pk})
    assert member_client.get(url).status_code == 404


def test_the_page_body_is_stored_with_the_snapshot_and_stale_bodies_render_afresh(
    member_client: Client,
    partnership: Partnership,
    fake_assess: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from commonground.web.assessments.presentation import BODY_FORMAT, result_body_html, stored_result

    snapshot = _run(member_client, partnership)
    assert snapshot.body_format == BODY_FORMAT
    # The stored body is exactly what the stored result renders to (nothing per reader in it).
    assert snapshot.body_html == result_body_html(stored_result(snapshot))
    assert "csrfmiddlewaretoken" not in snapshot.body_html
    url = reverse("assessments:detail", kwargs={"pk": partnership.pk, "snapshot_id": snapshot.pk})
    # One query more than the page itself: today's partners and profile versions, for the stale banner.
    with django_assert_max_num_queries(7):
        stored = member_client.get(url).content.decode()
    assert snapshot.body_html in stored
    # The gauge and four charts; with no initiatives that section says so instead of drawing a chart.
    assert stored.count("<svg") == 5
    assert "No joint initiatives proposed." in stored

    # A body from an older format (or none) is not trusted: the page draws it from the result.
    AssessmentSnapshot.objects.filter(pk=snapshot.pk).update(body_html="<p>old body</p>", body_format=0)
    afresh = member_client.get(url).content.decode()
    assert "old body" not in afresh
    assert snapshot.body_html in afresh


def test_a_limitation_of_the_engine_is_shown_at_the_top_of_the_page(
    member_client: Client, partnership: Partnership, fake_assess: Any
) -> None:
    # A partner writing in French gets a note saying which findings may be weaker for it.
    note = "Meadow's profile reads as French: <script>SDGs</script> may be missing or weak."
    fake_assess.document = {**fake_assess.document, "limitations": [note]}
    snapshot = _run(member_client, partnership)
    url = reverse("assessments:detail", kwargs={"pk": partnership.pk, "snapshot_id": snapshot.pk})
    page = member_client.get(url).content.decode()
    assert '<p class="note" role="note">Meadow&#x27;s profile reads as French: &lt;script&gt;' in page
    assert page.index('class="note"') < page.index("Why this score")


def test_stale_bodies_are_stored_afresh_once_by_the_refresh_command(
    member_client: Client, partnership: Partnership, fake_assess: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from commonground.web.assessments.presentation import BODY_FORMAT

    current = _run(member_client, partnership)
    old = _run(member_client, partnership)
    AssessmentSnapshot.objects.filter(pk=old.pk).update(
        body_html="<p>old body</p>", body_format=BODY_FORMAT - 1
    )

    output = StringIO()
    call_command("refresh_snapshot_bodies", stdout=output)
    assert output.getvalue().strip() == "1 snapshot body refreshed."
    old.refresh_from_db()
    assert old.body_format == BODY_FORMAT
    assert old.body_html == current.body_html  # the same result, so the same body
    # Nothing left to do on a second run; the current snapshot was never rewritten.
    assert services.snapshot_bodies_refresh() == 0
