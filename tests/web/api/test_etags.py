"""An answer's ETag changes whenever what it shows changes, not only its record's own version: an
initiative's scores, the partners' ratings in a register entry, an agreement's deliveries, a partnership's
partners. A write from a read taken before such a change is refused (412), and an unchanged answer keeps
its ETag, so a client can trust an unchanged ETag to mean an unchanged answer."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from agreement_terms import days, put_terms
from django.test import Client

from commonground.core.profiles import Profile
from commonground.web.agreements import record_services
from commonground.web.agreements import services as agreement_services
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships import services as partnership_services
from commonground.web.partnerships.models import Initiative, Partnership
from commonground.web.partnerships.selectors import partnership_access_for

pytestmark = pytest.mark.django_db


def _etag(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return str(response["ETag"])


def test_an_initiative_s_etag_moves_with_a_partner_s_score_and_a_write_from_before_is_refused(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partner_admin: Any,
    partnership: Partnership, partner_organisation: Organisation, initiative: Initiative,
) -> None:  # fmt: skip
    url = f"/api/v1/partnerships/{partnership.pk}/initiatives/{initiative.pk}"
    member_api = api_as(member)
    read = _etag(member_api, url)
    assert _etag(member_api, url) == read  # nothing changed: the same ETag

    scored = api_send(
        api_as(partner_admin),
        "PUT",
        f"{url}/score",
        {"organisation": partner_organisation.slug, "economic_value": 2},
    )
    assert scored.status_code == 200, scored.content
    initiative.refresh_from_db()
    assert initiative.version == 1  # the score leaves the initiative's own version as it was
    now = _etag(member_api, url)
    assert now != read
    assert scored["ETag"] == now

    body = {"name": "Fruit at the till", "social_value": 1}
    stale = api_send(member_api, "PUT", url, body, etag=read)
    assert stale.status_code == 412
    assert stale["ETag"] == now
    assert "changed since" in stale.json()["message"]
    initiative.refresh_from_db()
    assert initiative.social_value == 4
    assert api_send(member_api, "PUT", url, body, etag=now).status_code == 200


def test_an_agreement_s_etag_moves_with_a_delivery_though_its_version_does_not(
    api_as: Callable[..., Client], viewer: Any, org_admin: Any, partnership: Partnership
) -> None:
    access = partnership_access_for(user=org_admin, partnership_id=partnership.pk)
    agreement = put_terms(agreement_services.agreement_start(access=access, user=org_admin))
    viewer_api = api_as(viewer, scope="read")
    base = f"/api/v1/partnerships/{partnership.pk}/agreement"
    before = {path: _etag(viewer_api, base + path) for path in ("", "/commitments", "/kpis")}
    version = agreement.version

    record_services.delivery_add(
        access=access, agreement=agreement, commitment_id="cook", user=org_admin,
        date=datetime.date.fromisoformat(days(-1)), value=1200, note="Two days", met_in_full=False,
    )  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.version == version
    after = {path: _etag(viewer_api, base + path) for path in before}
    assert after[""] != before[""]
    assert after["/commitments"] != before["/commitments"]
    assert after["/kpis"] == before["/kpis"]  # no reading was added: that answer is unchanged


def test_a_re_rated_stakeholder_s_etag_moves_when_a_partner_s_profile_changes_its_row(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partner_owner: Any,
    partnership: Partnership, partner_organisation: Organisation,
) -> None:  # fmt: skip
    member_api = api_as(member)
    rerated = api_send(
        member_api, "POST", f"/api/v1/partnerships/{partnership.pk}/stakeholders/re-ratings",
        {"name": "Parents", "power": 4, "interest": 5},
    )  # fmt: skip
    assert rerated.status_code == 201, rerated.content
    url = rerated["Location"]
    read = _etag(member_api, url)

    # Meadow's profile no longer names Parents: the row shows only Harbor naming it; the entry is unchanged.
    assert member_api.get(url).json()["named_by"] == ["Harbor Health Alliance", "Meadow Grocers"]
    profile = partner_organisation.get_profile().to_document()
    profile["stakeholders"] = [s for s in profile["stakeholders"] if s["name"] != "Parents"]
    organisation_services.profile_update(
        organisation=partner_organisation, profile=Profile.model_validate(profile),
        expected_version=partner_organisation.version, user=partner_owner,
    )  # fmt: skip
    assert member_api.get(url).json()["named_by"] == ["Harbor Health Alliance"]
    assert _etag(member_api, url) != read
    stale = api_send(member_api, "PUT", url, {"name": "Parents", "power": 1, "interest": 5}, etag=read)
    assert stale.status_code == 412


def test_a_partnership_s_etag_moves_when_a_partner_leaves(
    api_as: Callable[..., Client], org_admin: Any, partner_owner: Any, partnership: Partnership,
    partner_organisation: Organisation,
) -> None:  # fmt: skip
    admin_api = api_as(org_admin)
    url = f"/api/v1/partnerships/{partnership.pk}"
    read = _etag(admin_api, url)
    assert _etag(admin_api, url) == read
    partnership_services.member_leave(
        access=partnership_access_for(user=partner_owner, partnership_id=partnership.pk),
        organisation_id=partner_organisation.pk, typed_confirmation=partner_organisation.name,
        user=partner_owner,
    )  # fmt: skip
    assert admin_api.get(url).json()["partners"] == ["Harbor Health Alliance"]
    assert _etag(admin_api, url) != read
