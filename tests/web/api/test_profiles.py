"""Profiles over the API: the profile format's JSON, ETag/If-Match locking, and hostile bodies refused
with a message and nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from reversion.models import Version

from commonground.core.profiles import Profile
from commonground.web.api.locking import record_etag
from commonground.web.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_api(api_as: Callable[..., Client], member: Any) -> Client:
    """A write token of Harbor's member."""
    return api_as(member)


def _url(organisation: Organisation) -> str:
    return f"/api/v1/organisations/{organisation.slug}/profile"


def _put(
    client: Client, organisation: Organisation, body: Any, *, etag: str | None = None, raw: bool = False
) -> Any:
    headers = {"If-Match": etag} if etag is not None else {}
    data = body if raw else json.dumps(body)
    return client.put(_url(organisation), data, content_type="application/json", headers=headers)


def _current(organisation: Organisation) -> str:
    return record_etag("org", organisation, organisation.get_profile())


def _unchanged(organisation: Organisation) -> None:
    before = Version.objects.get_for_object(organisation).count()
    organisation.refresh_from_db()
    assert organisation.version == 1
    assert organisation.profile["sector"] == "Public health"
    assert Version.objects.get_for_object(organisation).count() == before


def test_a_read_gives_the_profile_format_and_its_etag(member_api: Client, organisation: Organisation) -> None:
    response = member_api.get(_url(organisation))
    assert response.status_code == 200
    assert response["ETag"].startswith(f'"org-{organisation.pk}-v1-')
    # Every field with its value (defaults spelled out), which reads back as the same profile.
    assert response.json()["version"] == 1
    assert Profile.model_validate(response.json()) == organisation.get_profile()


def test_a_write_from_the_current_etag_saves_and_moves_the_etag(
    member_api: Client, organisation: Organisation, member: Any
) -> None:
    etag = member_api.get(_url(organisation))["ETag"]
    document = organisation.get_profile().to_document() | {"sector": "Community health"}
    response = _put(member_api, organisation, document, etag=etag)
    assert response.status_code == 200, response.content
    assert response.json()["sector"] == "Community health"
    assert response["ETag"].startswith(f'"org-{organisation.pk}-v2-')
    organisation.refresh_from_db()
    assert organisation.updated_by == member
    newest = Version.objects.get_for_object(organisation).first()
    assert newest is not None
    assert "through the API" in newest.revision.comment


def test_a_write_without_if_match_is_refused_with_428(member_api: Client, organisation: Organisation) -> None:
    response = _put(member_api, organisation, organisation.get_profile().to_document() | {"sector": "X"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["message"]
    assert response["ETag"].startswith(f'"org-{organisation.pk}-v1-')
    for wildcard in ("*", " "):
        assert _put(member_api, organisation, {"sector": "X"}, etag=wildcard).status_code == 428
    _unchanged(organisation)


def test_a_write_from_a_stale_etag_is_refused_with_412(
    member_api: Client, api_as: Callable[..., Client], org_admin: Any, organisation: Organisation
) -> None:
    stale = member_api.get(_url(organisation))["ETag"]
    document = organisation.get_profile().to_document()
    assert (
        _put(api_as(org_admin), organisation, document | {"sector": "First"}, etag=stale).status_code == 200
    )
    response = _put(member_api, organisation, document | {"sector": "Second"}, etag=stale)
    assert response.status_code == 412
    assert "adam-admin" in response.json()["message"]  # who saved meanwhile
    assert response["ETag"].startswith(f'"org-{organisation.pk}-v2-')
    organisation.refresh_from_db()
    assert organisation.profile["sector"] == "First"


@pytest.mark.parametrize(
    "etag", ['W/"org-{pk}-v1"', '"org-999-v1"', '"v1"', "garbage", '"org-{pk}-v99999999999"']
)
def test_an_etag_of_something_else_is_refused_with_412(
    member_api: Client, organisation: Organisation, etag: str
) -> None:
    document = organisation.get_profile().to_document() | {"sector": "X"}
    response = _put(member_api, organisation, document, etag=etag.format(pk=organisation.pk))
    assert response.status_code == 412
    _unchanged(organisation)


def test_an_invalid_profile_is_refused_with_each_field_named(
    member_api: Client, organisation: Organisation
) -> None:
    document = organisation.get_profile().to_document() | {
        "kind": "castle",
        "goals": [{"text": "x", "priority": 7}],
    }
    response = _put(member_api, organisation, document, etag=_current(organisation))
    assert response.status_code == 422
    body = response.json()
    assert body["message"].startswith("The profile is not valid")
    paths = {problem["path"] for problem in body["problems"]}
    assert {"kind", "goals[0].priority"} <= paths
    _unchanged(organisation)


HOSTILE = {
    "not JSON": b"{'name': ",
    "a list": b"[1, 2, 3]",
    "wrong types": json.dumps({"name": 5, "kind": ["nonprofit"], "mission": {"a": 1}}).encode(),
    "a NUL in a text": json.dumps({"name": "Harbor\u0000", "kind": "nonprofit", "mission": "M"}).encode(),
    "a raw NUL byte": b'{"name": "Harbor\x00", "kind": "nonprofit", "mission": "M"}',
    "not UTF-8": b'{"name": "\xff\xfe\xfa", "kind": "nonprofit", "mission": "M"}',
    "deeply nested": b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "a huge number": b'{"name": "H", "kind": "nonprofit", "mission": "M", "values": [{"name": "v", "weight": '
    + b"9" * 5000
    + b"}]}",
    "empty": b"",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_bodies_get_a_4xx_with_a_message_and_nothing_written(
    member_api: Client, organisation: Organisation, name: str
) -> None:
    response = _put(member_api, organisation, HOSTILE[name], etag=_current(organisation), raw=True)
    assert 400 <= response.status_code < 500, (name, response.status_code)
    assert response.json()["message"]
    _unchanged(organisation)


def test_many_unknown_fields_give_a_short_answer(member_api: Client, organisation: Organisation) -> None:
    document = {"name": "H", "kind": "nonprofit", "mission": "M"} | {f"field{i}": i for i in range(2_000)}
    response = _put(member_api, organisation, document, etag=_current(organisation))
    assert response.status_code == 422
    assert len(response.json()["problems"]) == 50
    assert "2,000 problems" in response.json()["message"]
    assert len(response.content) < 20_000
    _unchanged(organisation)


def test_a_body_with_far_more_values_than_a_profile_is_refused_before_the_loader(
    member_api: Client, organisation: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The loader names each unknown field: 3.4 s of CPU for 60,000 of them in one 1 MB body.
    from commonground.web.api import organisation_routes

    loaded: list[object] = []
    monkeypatch.setattr(organisation_routes, "parse_profile", lambda *args, **kwargs: loaded.append(args))
    document = {"name": "H", "kind": "nonprofit", "mission": "M"} | {f"f{i}": i for i in range(60_000)}
    response = _put(member_api, organisation, document, etag=_current(organisation))
    assert response.status_code == 422
    assert "more than 20,000 values" in response.json()["message"]
    assert loaded == []
    _unchanged(organisation)


def test_a_body_over_the_limit_is_refused_unread(member_api: Client, organisation: Organisation) -> None:
    document = {"name": "H", "kind": "nonprofit", "mission": "M" * 2_000_000}
    response = _put(member_api, organisation, document, etag=_current(organisation))
    assert response.status_code == 413
    _unchanged(organisation)


def test_a_body_of_another_type_is_refused(member_api: Client, organisation: Organisation) -> None:
    response = member_api.put(
        _url(organisation),
        "name: H",
        content_type="application/yaml",
        headers={"If-Match": _current(organisation)},
    )
    assert response.status_code == 415
    _unchanged(organisation)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/partnerships/0",
        "/api/v1/partnerships/-1",
        "/api/v1/partnerships/99999999999999999999999999",
        "/api/v1/partnerships/abc",
        "/api/v1/partnerships?limit=100000",
        "/api/v1/partnerships?offset=-5",
        "/api/v1/partnerships?limit=%00",
    ],
)
def test_out_of_range_parameters_are_named_in_a_422(member_api: Client, path: str) -> None:
    response = member_api.get(path)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert problems
    assert problems[0]["path"].startswith(("path.", "query."))


def test_an_unknown_slug_is_404_and_a_slug_no_organisation_can_have_is_422(member_api: Client) -> None:
    assert member_api.get("/api/v1/organisations/nope").status_code == 404
    assert member_api.get("/api/v1/organisations/" + "a" * 500).status_code == 422
    assert member_api.get("/api/v1/organisations/har%00bor").status_code == 422  # PostgreSQL refuses NUL
    assert member_api.get("/api/v1/organisations/har bor").status_code == 422
