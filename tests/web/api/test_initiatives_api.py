"""Joint initiatives over the API: propose, change and withdraw them with ETag/If-Match, the page's form
rules, each partner scoring only for itself, and the partnership's history written as the page writes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from reversion.models import Version

from commonground.web.access import Role
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import Initiative, InitiativeScore, Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_api(api_as: Callable[..., Client], member: Any) -> Client:
    """A write token of Harbor's member (Harbor is a partner of the partnership)."""
    return api_as(member)


def _url(partnership: Partnership, *rest: object) -> str:
    return "/".join([f"/api/v1/partnerships/{partnership.pk}/initiatives", *map(str, rest)])


def _comments(partnership: Partnership) -> list[str]:
    return [version.revision.comment for version in Version.objects.get_for_object(partnership)]


def test_proposing_gives_the_initiative_its_etag_and_location(
    api_send: Callable[..., Any], member_api: Client, partnership: Partnership, member: Any
) -> None:
    body = {"name": " Water fountains ", "level": "local_clusters", "social_value": 4}
    response = api_send(member_api, "POST", _url(partnership), body)
    assert response.status_code == 201, response.content
    initiative = Initiative.objects.get()
    assert (initiative.name, initiative.level, initiative.created_by) == (
        "Water fountains",
        "local_clusters",
        member,
    )
    assert response["ETag"].startswith(f'"initiative-{initiative.pk}-v1-')
    assert response["Location"].endswith(_url(partnership, initiative.pk))
    assert response.json()["scores"] == []
    assert "Proposed the initiative “Water fountains”" in _comments(partnership)


def test_invalid_initiatives_are_refused_with_each_field_named(
    api_send: Callable[..., Any], member_api: Client, partnership: Partnership
) -> None:
    response = api_send(
        member_api, "POST", _url(partnership), {"name": "", "level": "moonshots", "social_value": 0}
    )
    assert response.status_code == 422
    paths = sorted(problem["path"] for problem in response.json()["problems"])
    assert paths == ["body.payload.level", "body.payload.name", "body.payload.social_value"]
    # Blank after trimming: the page's own form refuses it.
    blank = api_send(member_api, "POST", _url(partnership), {"name": "   ", "social_value": 3})
    assert blank.status_code == 422
    assert blank.json()["problems"][0]["path"] == "body.payload.name"
    not_json = member_api.post(_url(partnership), "{name:", content_type="application/json")
    assert not_json.status_code == 400
    assert "not valid JSON" in not_json.json()["message"]
    assert not Initiative.objects.exists()


def test_a_change_needs_the_current_etag_and_one_of_two_writers_wins(api_send: Callable[..., Any],
    member_api: Client, api_as: Callable[..., Client], org_admin: Any, partnership: Partnership,
    initiative: Initiative,
) -> None:  # fmt: skip
    url = _url(partnership, initiative.pk)
    body = {"name": "Fruit at the till", "description": "In every school shop", "social_value": 5}
    assert api_send(member_api, "PUT", url, body).status_code == 428
    etag = member_api.get(url)["ETag"]
    first = api_send(api_as(org_admin), "PUT", url, body, etag=etag)
    assert first.status_code == 200
    assert first["ETag"].startswith(f'"initiative-{initiative.pk}-v2-')
    second = api_send(member_api, "PUT", url, body | {"social_value": 1}, etag=etag)
    assert second.status_code == 412
    assert f"changed by {org_admin.get_username()} meanwhile" in second.json()["message"]
    assert second["ETag"] == first["ETag"]
    initiative.refresh_from_db()
    assert (initiative.social_value, initiative.description) == (5, "In every school shop")


def test_withdrawing_needs_the_current_etag_and_is_recorded(
    api_send: Callable[..., Any], member_api: Client, partnership: Partnership, initiative: Initiative
) -> None:
    url = _url(partnership, initiative.pk)
    assert api_send(member_api, "DELETE", url).status_code == 428
    assert api_send(member_api, "DELETE", url, etag=f'"initiative-{initiative.pk}-v7"').status_code == 412
    assert Initiative.objects.exists()
    assert api_send(member_api, "DELETE", url, etag=member_api.get(url)["ETag"]).status_code == 204
    assert not Initiative.objects.exists()
    assert "Withdrew the initiative “Fruit at the till”" in _comments(partnership)
    assert member_api.get(url).status_code == 404


def test_each_partner_scores_only_for_itself(api_send: Callable[..., Any],
    member_api: Client, api_as: Callable[..., Client], partner_admin: Any, partnership: Partnership,
    initiative: Initiative, organisation: Organisation, partner_organisation: Organisation,
) -> None:  # fmt: skip
    url = _url(partnership, initiative.pk, "score")
    saved = api_send(member_api, "PUT", url, {"organisation": organisation.slug, "economic_value": 4})
    assert saved.status_code == 200, saved.content
    assert saved.json()["scores"] == [
        {"organisation": organisation.slug, "name": "Harbor Health Alliance", "economic_value": 4}
    ]
    # Meadow's admin cannot score for Harbor, and Harbor's member not for Meadow.
    meadow = api_as(partner_admin)
    assert (
        api_send(meadow, "PUT", url, {"organisation": organisation.slug, "economic_value": 1}).status_code
        == 403
    )
    assert (
        api_send(
            member_api, "PUT", url, {"organisation": partner_organisation.slug, "economic_value": 1}
        ).status_code
        == 403
    )
    assert (
        api_send(
            meadow, "PUT", url, {"organisation": partner_organisation.slug, "economic_value": 2}
        ).status_code
        == 200
    )
    unknown = api_send(member_api, "PUT", url, {"organisation": "nobody-here", "economic_value": 2})
    assert unknown.status_code == 422
    assert unknown.json()["problems"][0]["path"] == "body.payload.organisation"
    scores = {
        s.organisation.slug: s.economic_value for s in InitiativeScore.objects.select_related("organisation")
    }
    assert scores == {organisation.slug: 4, partner_organisation.slug: 2}
    listed = member_api.get(_url(partnership)).json()
    assert [len(item["scores"]) for item in listed["items"]] == [2]


def test_a_token_limited_to_harbor_scores_only_for_harbor(api_send: Callable[..., Any],
    api_as: Callable[..., Client], make_user: Callable[..., Any], partnership: Partnership,
    initiative: Initiative, organisation: Organisation, partner_organisation: Organisation,
) -> None:  # fmt: skip
    both = make_user("bo-both-partners")
    for org in (organisation, partner_organisation):
        Membership.objects.create(user=both, organisation=org, role=Role.MEMBER)
    harbor_only = api_as(both, organisation=organisation)
    url = _url(partnership, initiative.pk, "score")
    assert (
        api_send(
            harbor_only, "PUT", url, {"organisation": partner_organisation.slug, "economic_value": 3}
        ).status_code
        == 403
    )
    assert (
        api_send(
            harbor_only, "PUT", url, {"organisation": organisation.slug, "economic_value": 3}
        ).status_code
        == 200
    )
