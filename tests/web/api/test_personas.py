"""The persona matrix through the API: each endpoint answers each persona as the matching page does.

Personas as in tests/web/test_url_personas.py (each with a write-scope token of their own):
``outsider`` (owns an unrelated organisation), ``viewer``/``member``/``admin`` of Harbor, ``partner_admin``
(admin of Meadow, Harbor's partner), ``facilitator`` of the Harbor × Meadow partnership. A refused request
(403, 404) leaves every table's row count unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from test_url_personas import _row_counts

from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership

PERSONAS = ("outsider", "viewer", "member", "admin", "partner_admin", "facilitator")

# name: (method, path template, answers in PERSONAS order), with the page each mirrors.
EXPECTED: dict[str, tuple[str, str, str]] = {
    "organisation_get": ("GET", "/api/v1/organisations/{slug}", "404 200 200 200 404 404"),  # detail
    "profile_get": ("GET", "/api/v1/organisations/{slug}/profile", "404 200 200 200 404 404"),  # export
    "profile_replace": ("PUT", "/api/v1/organisations/{slug}/profile", "404 403 200 200 404 404"),  # edit
    "partnership_get": ("GET", "/api/v1/partnerships/{pk}", "404 200 200 200 200 200"),  # detail
    "assessment_list": ("GET", "/api/v1/partnerships/{pk}/assessments", "404 200 200 200 200 200"),
    "assessment_run": ("POST", "/api/v1/partnerships/{pk}/assessments", "404 403 201 201 201 403"),
    "assessment_get": ("GET", "/api/v1/partnerships/{pk}/assessments/{snapshot}", "404 200 200 200 200 200"),
    "assessment_result": (
        "GET",
        "/api/v1/partnerships/{pk}/assessments/{snapshot}/result",
        "404 200 200 200 200 200",
    ),
}


@pytest.fixture
def api_world(
    organisation: Organisation,
    viewer: Any,
    member: Any,
    org_admin: Any,
    outsider: Any,
    other_organisation: Organisation,
    partner_admin: Any,
    partnership: Partnership,
    facilitator: Any,
    engine_result: dict[str, Any],
    fake_assess: Any,
    api_as: Callable[..., Client],
) -> dict[str, Any]:
    """A stored assessment of the partnership, and a client with a write token for each persona."""
    snapshot = AssessmentSnapshot.objects.create(
        partnership=partnership, result=engine_result, score=50, verdict="workable", open_conflicts=1
    )
    users = {
        "outsider": outsider,
        "viewer": viewer,
        "member": member,
        "admin": org_admin,
        "partner_admin": partner_admin,
        "facilitator": facilitator,
    }
    return {
        "values": {"slug": organisation.slug, "pk": partnership.pk, "snapshot": snapshot.pk},
        "clients": {persona: api_as(user) for persona, user in users.items()},
        "organisation": organisation,
    }


def call(client: Client, method: str, path: str, organisation: Organisation) -> Any:
    """One request; a profile write sends the current profile back under its current ETag."""
    if method == "PUT":
        body = json.dumps(organisation.get_profile().to_document() | {"sector": "Health"})
        etag = f'"org-{organisation.pk}-v{organisation.version}"'
        return client.put(path, body, content_type="application/json", headers={"If-Match": etag})
    if method == "POST":
        return client.post(path)
    return client.get(path)


CASES = [(name, persona) for name in EXPECTED for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_api_persona(name: str, persona: str, api_world: dict[str, Any]) -> None:
    method, template, answers = EXPECTED[name]
    path = template.format(**api_world["values"])
    expected = int(answers.split()[PERSONAS.index(persona)])
    before = _row_counts()
    response = call(api_world["clients"][persona], method, path, api_world["organisation"])
    assert response.status_code == expected, (path, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    if expected in (403, 404):
        assert _row_counts() == before
        assert response.json()["message"]
    if expected == 404:
        # The same answer as for an object that does not exist: nothing tells the outsider it is there.
        assert (
            response.json()
            == call(
                api_world["clients"][persona], "GET", "/api/v1/partnerships/999999", api_world["organisation"]
            ).json()
        )


def test_every_operation_is_in_the_matrix() -> None:
    from commonground.web.api.v1 import api

    operations = {
        operation.view_func.__name__
        for router in api._get_bound_routers()
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    }
    lists = {"organisation_list", "partnership_list"}  # whole lists, tested per persona below
    assert operations - lists == set(EXPECTED)


@pytest.mark.django_db
def test_lists_show_each_persona_only_what_they_reach(api_world: dict[str, Any]) -> None:
    clients = api_world["clients"]
    organisations = {
        persona: [item["name"] for item in clients[persona].get("/api/v1/organisations").json()["items"]]
        for persona in PERSONAS
    }
    assert organisations == {
        "outsider": ["Outer Ventures"],
        "viewer": ["Harbor Health Alliance"],
        "member": ["Harbor Health Alliance"],
        "admin": ["Harbor Health Alliance"],
        "partner_admin": ["Meadow Grocers"],
        "facilitator": [],
    }
    partnerships = {
        persona: clients[persona].get("/api/v1/partnerships").json()["items"] for persona in PERSONAS
    }
    assert partnerships["outsider"] == []
    for persona in ("viewer", "member", "admin", "partner_admin", "facilitator"):
        (only,) = partnerships[persona]
        assert only["name"] == "Healthy Lunches"
        assert only["partners"] == ["Harbor Health Alliance", "Meadow Grocers"]
        assert only["facilitator"] == (persona == "facilitator")
