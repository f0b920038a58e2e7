"""Conditional reads: every list and the organisation answer with an ETag of what they show this caller;
it changes when something the answer shows changes and only then, and a GET sending it back in
If-None-Match gets 304 with no body. Two callers who see different things get different ETags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commonground.core.profiles import Profile
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Initiative, Partnership

pytestmark = pytest.mark.django_db


def _read(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return str(response["ETag"])


def _asks(client: Client, url: str, etag: str) -> Any:
    return client.get(url, headers={"If-None-Match": etag})


def test_a_register_list_s_etag_moves_when_a_stakeholder_is_added_and_answers_304_until_then(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, viewer: Any,
    partnership: Partnership,
) -> None:  # fmt: skip
    url = f"/api/v1/partnerships/{partnership.pk}/stakeholders"
    viewer_api = api_as(viewer, scope="read")
    read = _read(viewer_api, url)
    assert read.startswith(f'"stakeholders-{partnership.pk}-')
    assert _read(viewer_api, url) == read  # nothing changed: the same ETag

    unchanged = _asks(viewer_api, url, read)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == read

    added = api_send(api_as(member), "POST", url, {"name": "School nurses", "power": 3, "interest": 4})
    assert added.status_code == 201, added.content
    changed = _asks(viewer_api, url, read)
    assert changed.status_code == 200
    assert "School nurses" in [item["name"] for item in changed.json()["items"]]
    assert changed["ETag"] != read
    assert _asks(viewer_api, url, changed["ETag"]).status_code == 304


def test_the_organisation_and_its_list_move_with_a_profile_edit_and_only_then(
    api_as: Callable[..., Client], owner: Any, member: Any, organisation: Organisation
) -> None:
    member_api = api_as(member, scope="read")
    urls = ("/api/v1/organisations", f"/api/v1/organisations/{organisation.slug}")
    before = {url: _read(member_api, url) for url in urls}
    assert before[urls[1]].startswith(f'"organisation-{organisation.pk}-')
    assert {url: _read(member_api, url) for url in urls} == before
    assert all(_asks(member_api, url, before[url]).status_code == 304 for url in urls)

    profile = organisation.get_profile().to_document() | {"sector": "Public health"}
    organisation_services.profile_update(
        organisation=organisation, profile=Profile.model_validate(profile),
        expected_version=organisation.version, user=owner,
    )  # fmt: skip
    for url in urls:
        response = _asks(member_api, url, before[url])
        assert response.status_code == 200  # the profile's version the answer shows moved
        assert response["ETag"] != before[url]


def test_an_initiative_list_moves_with_a_partner_s_score(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partner_admin: Any,
    partnership: Partnership, partner_organisation: Organisation, initiative: Initiative,
) -> None:  # fmt: skip
    url = f"/api/v1/partnerships/{partnership.pk}/initiatives"
    member_api = api_as(member)
    read = _read(member_api, url)
    scored = api_send(
        api_as(partner_admin), "PUT", f"{url}/{initiative.pk}/score",
        {"organisation": partner_organisation.slug, "economic_value": 2},
    )  # fmt: skip
    assert scored.status_code == 200, scored.content
    assert _asks(member_api, url, read).status_code == 200
    assert _read(member_api, url) != read


def test_if_none_match_compares_weakly_and_star_matches_any_answer(
    api_as: Callable[..., Client], member: Any, partnership: Partnership
) -> None:
    url = f"/api/v1/partnerships/{partnership.pk}/assessments"
    member_api = api_as(member)
    read = _read(member_api, url)
    assert _asks(member_api, url, f"W/{read}").status_code == 304
    assert _asks(member_api, url, f'"other", {read}').status_code == 304
    assert _asks(member_api, url, "*").status_code == 304
    assert _asks(member_api, url, '"other"').status_code == 200
    assert _asks(member_api, url, "not an etag").status_code == 200


def test_if_none_match_never_turns_a_refusal_into_304(
    api_as: Callable[..., Client], outsider: Any, member: Any, partnership: Partnership,
    organisation: Organisation,
) -> None:  # fmt: skip
    url = f"/api/v1/partnerships/{partnership.pk}/stakeholders"
    etag = _read(api_as(member), url)
    outsider_api = api_as(outsider)
    for path in (url, f"/api/v1/organisations/{organisation.slug}"):
        for asked in (etag, "*"):
            assert _asks(outsider_api, path, asked).status_code == 404
            assert Client().get(path, headers={"If-None-Match": asked}).status_code == 401


def test_a_write_is_never_answered_304(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partnership: Partnership
) -> None:
    url = f"/api/v1/partnerships/{partnership.pk}/initiatives"
    member_api = api_as(member)
    response = member_api.post(
        url, {"name": "Water fountains", "social_value": 3}, content_type="application/json",
        headers={"If-None-Match": "*"},
    )  # fmt: skip
    assert response.status_code == 201


def test_callers_who_see_different_lists_get_different_etags(
    api_as: Callable[..., Client], viewer: Any, member: Any, org_admin: Any, outsider: Any,
    facilitator: Any, partnership: Partnership,
) -> None:  # fmt: skip
    etags = {
        persona: {url: _read(api_as(user), url) for url in ("/api/v1/organisations", "/api/v1/partnerships")}
        for persona, user in {
            "viewer": viewer, "member": member, "admin": org_admin, "outsider": outsider,
            "facilitator": facilitator,
        }.items()
    }  # fmt: skip
    organisations = {persona: tags["/api/v1/organisations"] for persona, tags in etags.items()}
    # Same organisation, another role in it: another answer, another ETag.
    assert len({organisations[persona] for persona in ("viewer", "member", "admin", "outsider")}) == 4
    # Neither belongs to any organisation: the same empty answer, so the same ETag (it names no one).
    assert organisations["outsider"] == organisations["facilitator"]
    partnerships = {persona: tags["/api/v1/partnerships"] for persona, tags in etags.items()}
    # Harbor's viewer, member and admin see the same partnership list (it shows no role): one ETag.
    assert partnerships["viewer"] == partnerships["member"] == partnerships["admin"]
    # The facilitator sees it marked as facilitated, the outsider sees none: each their own.
    assert len({partnerships["viewer"], partnerships["facilitator"], partnerships["outsider"]}) == 3
    # An ETag of one caller's list does not make another's 304.
    assert _asks(api_as(outsider), "/api/v1/partnerships", partnerships["viewer"]).status_code == 200
