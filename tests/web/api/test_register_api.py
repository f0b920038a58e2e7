"""The stakeholder register over the API: the page's rows, its form's rules, ETag/If-Match on every change,
and the register's history written as the page writes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from reversion.models import Version

from commonground.web.partnerships.models import Partnership
from commonground.web.stakeholders.models import RegisterEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_api(api_as: Callable[..., Client], member: Any) -> Client:
    """A write token of Harbor's member (Harbor is a partner of the partnership)."""
    return api_as(member)


@pytest.fixture
def clinics(partnership: Partnership) -> RegisterEntry:
    """A stakeholder the partnership added to its register."""
    return RegisterEntry.objects.create(partnership=partnership, name="Local clinics", power=3, interest=4)


def _url(partnership: Partnership, *rest: object) -> str:
    return "/".join([f"/api/v1/partnerships/{partnership.pk}/stakeholders", *map(str, rest)])


def test_the_register_lists_the_partners_stakeholders_and_the_added_ones(
    member_api: Client, partnership: Partnership, clinics: RegisterEntry
) -> None:
    answer = member_api.get(_url(partnership)).json()
    assert answer["partners"] == ["Harbor Health Alliance", "Meadow Grocers"]
    rows = {row["name"]: row for row in answer["items"]}
    added = rows["Local clinics"]
    assert (added["id"], added["version"], added["source"], added["named_by"]) == (clinics.pk, 1, "added", [])
    assert (added["power"], added["interest"]) == (3.0, 4.0)
    # Both partners name parents: one merged row, named by both, with the mean of their ratings.
    parents = rows["Parents"]
    assert parents["source"] == "partners"
    assert parents["id"] is None
    assert parents["version"] is None
    assert parents["named_by"] == ["Harbor Health Alliance", "Meadow Grocers"]
    assert parents["power"] == 2.5
    assert answer["count"] == len(answer["items"]) == 3


def test_adding_a_stakeholder_gives_its_etag_and_location_and_records_history(
    api_send: Callable[..., Any], member_api: Client, partnership: Partnership, member: Any
) -> None:
    before = Version.objects.get_for_object(partnership).count()
    response = api_send(
        member_api, "POST", _url(partnership), {"name": " School nurses ", "power": 2, "interest": 5}
    )
    assert response.status_code == 201, response.content
    entry = RegisterEntry.objects.get(name="School nurses")
    assert entry.added_by == member
    assert response["ETag"].startswith(f'"stakeholder-{entry.pk}-v1-')
    assert response["Location"].endswith(_url(partnership, entry.pk))
    assert response.json()["quadrant"] == "keep_informed"
    assert Version.objects.get_for_object(partnership).count() == before + 1


def test_the_register_form_s_rules_hold_and_name_the_field(
    api_send: Callable[..., Any], member_api: Client, partnership: Partnership, clinics: RegisterEntry
) -> None:
    # A name already in the register (here a partners' stakeholder, in other letters) is refused as
    # the page refuses it, with the field's path.
    response = api_send(member_api, "POST", _url(partnership), {"name": "PARENTS", "power": 3, "interest": 3})
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"path": "body.payload.name", "message": "PARENTS is already in the register: edit that row instead."}
    ]
    response = api_send(member_api, "POST", _url(partnership), {"name": "X", "power": 9, "interest": 3})
    assert response.status_code == 422
    assert [problem["path"] for problem in response.json()["problems"]] == ["body.payload.power"]
    assert RegisterEntry.objects.count() == 1


def test_a_change_needs_the_current_etag(
    api_send: Callable[..., Any], member_api: Client, partnership: Partnership, clinics: RegisterEntry
) -> None:
    body = {"name": "Local clinics", "power": 5, "interest": 4, "stance": "supportive"}
    url = _url(partnership, clinics.pk)
    assert api_send(member_api, "PUT", url, body).status_code == 428
    etag = member_api.get(url)["ETag"]
    assert etag.startswith(f'"stakeholder-{clinics.pk}-v1-')
    assert (
        api_send(member_api, "PUT", url, body, etag=etag.replace("stakeholder", "org")).status_code == 412
    )  # another kind
    saved = api_send(member_api, "PUT", url, body, etag=etag)
    assert saved.status_code == 200, saved.content
    assert saved["ETag"].startswith(f'"stakeholder-{clinics.pk}-v2-')
    assert saved.json()["power"] == 5.0
    assert saved.json()["stance"] == "supportive"
    # A second writer from the first read loses, is told who saved, and gets the current ETag.
    stale = api_send(member_api, "PUT", url, body | {"power": 1}, etag=etag)
    assert stale.status_code == 412
    assert "changed by mia-member meanwhile" in stale.json()["message"]
    assert stale["ETag"].startswith(f'"stakeholder-{clinics.pk}-v2-')
    clinics.refresh_from_db()
    assert (clinics.power, clinics.version) == (5, 2)


def test_a_re_rating_keeps_the_partners_name_and_removing_it_resets_their_ratings(
    api_send: Callable[..., Any], member_api: Client, partnership: Partnership
) -> None:
    rerated = api_send(
        member_api, "POST", _url(partnership, "re-ratings"), {"name": "Parents", "power": 5, "interest": 5}
    )
    assert rerated.status_code == 201, rerated.content
    row = rerated.json()
    assert (row["source"], row["power"], row["named_by"]) == (
        "re-rated", 5.0, ["Harbor Health Alliance", "Meadow Grocers"],
    )  # fmt: skip
    again = api_send(
        member_api, "POST", _url(partnership, "re-ratings"), {"name": "Parents", "power": 1, "interest": 1}
    )
    assert again.status_code == 409
    assert f"entry {row['id']}" in again.json()["message"]
    url = _url(partnership, row["id"])
    renamed = api_send(
        member_api,
        "PUT",
        url,
        {"name": "Guardians", "power": 4, "interest": 5, "stance": ""},
        etag=rerated["ETag"],
    )
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Parents"  # the partners' name, whatever the body says
    unknown = api_send(
        member_api, "POST", _url(partnership, "re-ratings"), {"name": "Nobody", "power": 1, "interest": 1}
    )
    assert unknown.status_code == 422
    assert unknown.json()["problems"][0]["path"] == "body.payload.name"
    assert api_send(member_api, "DELETE", url, etag=rerated["ETag"]).status_code == 412  # stale
    assert api_send(member_api, "DELETE", url).status_code == 428
    assert api_send(member_api, "DELETE", url, etag=renamed["ETag"]).status_code == 204
    parents = next(
        item for item in member_api.get(_url(partnership)).json()["items"] if item["name"] == "Parents"
    )
    assert (parents["source"], parents["power"]) == ("partners", 2.5)


def test_a_read_token_reads_and_never_writes(
    api_send: Callable[..., Any],
    api_as: Callable[..., Client],
    member: Any,
    partnership: Partnership,
    clinics: RegisterEntry,
) -> None:
    reader = api_as(member, scope="read")
    url = _url(partnership, clinics.pk)
    etag = reader.get(url)["ETag"]
    assert (
        api_send(reader, "PUT", url, {"name": "X", "power": 1, "interest": 1}, etag=etag).status_code == 403
    )
    assert api_send(reader, "DELETE", url, etag=etag).status_code == 403
    assert RegisterEntry.objects.get().version == 1


def test_an_entry_of_another_partnership_is_404(
    member_api: Client, partnership: Partnership, clinics: RegisterEntry, organisation: Any, org_admin: Any
) -> None:
    other = Partnership.objects.create(name="Elsewhere", created_by=org_admin)
    assert (
        member_api.get(f"/api/v1/partnerships/{partnership.pk}/stakeholders/{clinics.pk + 1}").status_code
        == 404
    )
    assert member_api.get(f"/api/v1/partnerships/{other.pk}/stakeholders/{clinics.pk}").status_code == 404
