"""The persona matrix through the API: each endpoint answers each persona as the matching page does.

Personas as in tests/web/test_url_personas.py (each with a write-scope token of their own):
``outsider`` (owns an unrelated organisation), ``viewer``/``member``/``admin`` of Harbor, ``partner_admin``
(admin of Meadow, Harbor's partner), ``facilitator`` of the Harbor × Meadow partnership; and two the pages
cannot have: ``anonymous`` (no token: 401) and ``other_org_token`` (an admin of Harbor whose token is
limited to another organisation they belong to: it reaches nothing of Harbor's, 404). A refused request
(401, 403, 404) leaves every table's row count unchanged.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from agreement_terms import put_terms
from django.test import Client
from django.utils import timezone
from etags import etag_of
from test_url_personas import _row_counts

from commonground.core.alignment.items import item_set
from commonground.web.access import Role
from commonground.web.agreements import services as agreement_services
from commonground.web.agreements.models import Agreement, Decision, Delivery, Measurement, Vote
from commonground.web.api.models import AccessToken
from commonground.web.api.selectors import token_hash
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.checkins.models import ActionItem, Checkin, CheckinState
from commonground.web.networks.models import NetworkRound
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import Initiative, Partnership
from commonground.web.partnerships.selectors import partnership_access_for
from commonground.web.stakeholders.models import RegisterEntry


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


PERSONAS = (
    "outsider", "viewer", "member", "admin", "partner_admin", "facilitator", "anonymous", "other_org_token",
)  # fmt: skip

# name: (method, path template, answers in PERSONAS order), with the page each mirrors.
EXPECTED: dict[str, tuple[str, str, str]] = {
    "organisation_get": ("GET", "/api/v1/organisations/{slug}", "404 200 200 200 404 404 401 404"),  # detail
    "profile_get": (
        "GET",
        "/api/v1/organisations/{slug}/profile",
        "404 200 200 200 404 404 401 404",
    ),  # export
    "profile_replace": (
        "PUT",
        "/api/v1/organisations/{slug}/profile",
        "404 403 200 200 404 404 401 404",
    ),  # edit
    "partnership_get": ("GET", "/api/v1/partnerships/{pk}", "404 200 200 200 200 200 401 404"),  # detail
    "assessment_list": ("GET", "/api/v1/partnerships/{pk}/assessments", "404 200 200 200 200 200 401 404"),
    "assessment_run": ("POST", "/api/v1/partnerships/{pk}/assessments", "404 403 201 201 201 403 401 404"),
    "assessment_get": (
        "GET",
        "/api/v1/partnerships/{pk}/assessments/{snapshot}",
        "404 200 200 200 200 200 401 404",
    ),
    "assessment_result": (
        "GET",
        "/api/v1/partnerships/{pk}/assessments/{snapshot}/result",
        "404 200 200 200 200 200 401 404",
    ),
    # stakeholders:register, entry_new, partner_edit, entry_row, entry_edit, entry_delete
    "stakeholder_list": ("GET", "/api/v1/partnerships/{pk}/stakeholders", "404 200 200 200 200 200 401 404"),
    "stakeholder_add": ("POST", "/api/v1/partnerships/{pk}/stakeholders", "404 403 201 201 201 403 401 404"),
    "stakeholder_rerate": (
        "POST",
        "/api/v1/partnerships/{pk}/stakeholders/re-ratings",
        "404 403 201 201 201 403 401 404",
    ),
    "stakeholder_get": (
        "GET",
        "/api/v1/partnerships/{pk}/stakeholders/{entry}",
        "404 200 200 200 200 200 401 404",
    ),
    "stakeholder_update": (
        "PUT",
        "/api/v1/partnerships/{pk}/stakeholders/{entry}",
        "404 403 200 200 200 403 401 404",
    ),
    "stakeholder_delete": (
        "DELETE",
        "/api/v1/partnerships/{pk}/stakeholders/{entry}",
        "404 403 204 204 204 403 401 404",
    ),
    # partnerships:initiatives, initiative_new, initiative_edit, initiative_delete, initiative_score
    "initiative_list": ("GET", "/api/v1/partnerships/{pk}/initiatives", "404 200 200 200 200 200 401 404"),
    "initiative_create": ("POST", "/api/v1/partnerships/{pk}/initiatives", "404 403 201 201 201 403 401 404"),
    "initiative_get": (
        "GET",
        "/api/v1/partnerships/{pk}/initiatives/{initiative}",
        "404 200 200 200 200 200 401 404",
    ),
    "initiative_update": (
        "PUT",
        "/api/v1/partnerships/{pk}/initiatives/{initiative}",
        "404 403 200 200 200 403 401 404",
    ),
    "initiative_delete": (
        "DELETE",
        "/api/v1/partnerships/{pk}/initiatives/{initiative}",
        "404 403 204 204 204 403 401 404",
    ),
    # agreements:detail, commitments, kpis (read only)
    "agreement_get": ("GET", "/api/v1/partnerships/{pk}/agreement", "404 200 200 200 200 200 401 404"),
    "commitment_list": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/commitments",
        "404 200 200 200 200 200 401 404",
    ),
    "kpi_list": ("GET", "/api/v1/partnerships/{pk}/agreement/kpis", "404 200 200 200 200 200 401 404"),
    # checkins:index, detail (and its export: the figures it releases), read only
    "checkin_list": ("GET", "/api/v1/partnerships/{pk}/checkins", "404 200 200 200 200 200 401 404"),
    "checkin_get": ("GET", "/api/v1/partnerships/{pk}/checkins/{checkin}", "404 200 200 200 200 200 401 404"),
    # checkins:open, close (a partner's admins and owners) and answer (anyone of a partner, any role)
    "checkin_open": ("POST", "/api/v1/partnerships/{pk}/checkins", "404 403 403 201 201 403 401 404"),
    "checkin_close": (
        "POST",
        "/api/v1/partnerships/{pk}/checkins/{open_checkin}/close",
        "404 403 403 200 200 403 401 404",
    ),
    "response_submit": (
        "POST",
        "/api/v1/partnerships/{pk}/checkins/{open_checkin}/responses",
        "404 201 201 201 201 403 401 404",
    ),
    # checkins:index (its schedule) and schedule (a partner's admins and owners)
    "schedule_get": ("GET", "/api/v1/partnerships/{pk}/checkin-schedule", "404 200 200 200 200 200 401 404"),
    "schedule_update": (
        "PUT",
        "/api/v1/partnerships/{pk}/checkin-schedule",
        "404 403 403 200 200 403 401 404",
    ),
    # checkins:index (its action items), action_add, action_status
    "action_item_list": ("GET", "/api/v1/partnerships/{pk}/action-items", "404 200 200 200 200 200 401 404"),
    "action_item_add": ("POST", "/api/v1/partnerships/{pk}/action-items", "404 403 201 201 201 403 401 404"),
    "action_item_get": (
        "GET",
        "/api/v1/partnerships/{pk}/action-items/{action}",
        "404 200 200 200 200 200 401 404",
    ),
    "action_item_status": (
        "PUT",
        "/api/v1/partnerships/{pk}/action-items/{action}/status",
        "404 403 200 200 200 403 401 404",
    ),
    # agreements:detail (its parts) and part_edit
    "section_list": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/sections",
        "404 200 200 200 200 200 401 404",
    ),
    "section_get": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/sections/why",
        "404 200 200 200 200 200 401 404",
    ),
    "section_update": (
        "PUT",
        "/api/v1/partnerships/{pk}/agreement/sections/why",
        "404 403 200 200 200 403 401 404",
    ),
    # agreements:detail (its sign-off and comments), sign (a partner's admins and owners, for their own
    # organisation: Meadow's admin signing for Harbor is 403, as the service refuses), comment (partners'
    # members and facilitators) and contribution (Harbor's, by Harbor's members only)
    "signature_list": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/signatures",
        "404 200 200 200 200 200 401 404",
    ),
    "signature_add": (
        "POST",
        "/api/v1/partnerships/{pk}/agreement/signatures",
        "404 403 403 201 403 403 401 404",
    ),
    "comment_list": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/comments",
        "404 200 200 200 200 200 401 404",
    ),
    "comment_add": (
        "POST",
        "/api/v1/partnerships/{pk}/agreement/comments",
        "404 403 201 201 201 201 401 404",
    ),
    "contribution_get": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/contributions/{partner}",
        "404 200 200 200 200 200 401 404",
    ),
    "contribution_update": (
        "PUT",
        "/api/v1/partnerships/{pk}/agreement/contributions/{partner}",
        "404 403 200 200 403 403 401 404",
    ),
    # agreements:kpi (its readings) and measurement_add: "meals" is Harbor's to report, so Meadow's admin
    # may not enter a reading of it (403, where the page's form shows why)
    "reading_list": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/kpis/meals/readings",
        "404 200 200 200 200 200 401 404",
    ),
    "reading_get": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/kpis/meals/readings/{reading}",
        "404 200 200 200 200 200 401 404",
    ),
    "reading_add": (
        "POST",
        "/api/v1/partnerships/{pk}/agreement/kpis/meals/readings",
        "404 403 201 201 403 403 401 404",
    ),
    # agreements:commitments (its deliveries) and delivery_add: "cook" is owed to the whole partnership,
    # so Meadow's members record deliveries on it too
    "delivery_list": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/commitments/cook/deliveries",
        "404 200 200 200 200 200 401 404",
    ),
    "delivery_get": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/commitments/cook/deliveries/{delivery}",
        "404 200 200 200 200 200 401 404",
    ),
    "delivery_add": (
        "POST",
        "/api/v1/partnerships/{pk}/agreement/commitments/cook/deliveries",
        "404 403 201 201 201 403 401 404",
    ),
    # agreements:decisions, decision, propose (for Harbor: Harbor's members, or a facilitator) and vote
    # (for Harbor: Harbor's admins and owners only)
    "decision_list": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/decisions",
        "404 200 200 200 200 200 401 404",
    ),
    "decision_get": (
        "GET",
        "/api/v1/partnerships/{pk}/agreement/decisions/fund-a-cook",
        "404 200 200 200 200 200 401 404",
    ),
    "decision_propose": (
        "POST",
        "/api/v1/partnerships/{pk}/agreement/decisions",
        "404 403 201 201 403 201 401 404",
    ),
    "vote_cast": (
        "POST",
        "/api/v1/partnerships/{pk}/agreement/decisions/fund-a-cook/votes",
        "404 403 403 200 403 403 401 404",
    ),
    # agreements:objection_resolve (Harbor's block on "fund-a-cook": Harbor's admins and owners only) and
    # decision_outcome ("hire-a-driver", which both partners passed: the partners' members who may edit)
    "objection_resolve": (
        "POST",
        "/api/v1/partnerships/{pk}/agreement/decisions/fund-a-cook/resolve",
        "404 403 403 200 403 403 401 404",
    ),
    "decision_outcome_record": (
        "POST",
        "/api/v1/partnerships/{pk}/agreement/decisions/hire-a-driver/outcome",
        "404 403 200 200 200 403 401 404",
    ),
    # networks:index (its rounds) and close (a partner's admins and owners; a facilitator only reads)
    "network_round_list": (
        "GET",
        "/api/v1/partnerships/{pk}/network/rounds",
        "404 200 200 200 200 200 401 404",
    ),
    "network_round_close": (
        "POST",
        "/api/v1/partnerships/{pk}/network/rounds/{network_round}/close",
        "404 403 403 200 200 403 401 404",
    ),
    # Harbor's score: only Harbor's members who may edit (Meadow's admin: 403, as the service refuses).
    "initiative_score": (
        "PUT",
        "/api/v1/partnerships/{pk}/initiatives/{initiative}/score",
        "404 403 200 200 403 403 401 404",
    ),
}

# The body each write sends (the profile write sends the current profile back).
BODIES: dict[str, dict[str, Any]] = {
    "stakeholder_add": {"name": "School nurses", "power": 3, "interest": 4},
    "stakeholder_rerate": {"name": "Shareholders", "power": 2, "interest": 2, "stance": "opposed"},
    "stakeholder_update": {"name": "Local clinics", "power": 5, "interest": 4, "urgency": True},
    "initiative_create": {"name": "Water fountains", "social_value": 3},
    "initiative_update": {"name": "Fruit at the till", "description": "Every school", "social_value": 5},
    "checkin_open": {"item_set": "factors", "window_days": 7},
    "response_submit": {"scores": dict.fromkeys(item_set("pulse").ids, 4), "comment": "Going well"},
    "action_item_add": {"text": "Agree who chairs the steering group"},
    "action_item_status": {"status": "done"},
    "comment_add": {"section": "why", "text": "Can we name the schools?"},
    "contribution_update": {"contribution": "Two school kitchens and their cooks"},
    "reading_add": {"date": days_ago(1).isoformat(), "value": 120, "note": "First month"},
    "delivery_add": {"date": days_ago(1).isoformat(), "note": "The cook started on Monday"},
    "decision_outcome_record": {
        "outcome": "Meadow's van drives on Tuesdays",
        "review_date": days_ago(-90).isoformat(),
    },
    # Nobody has answered the round yet: closing it needs the confirmation, as on its page.
    "network_round_close": {"confirm": True},
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
    initiative: Initiative,
    facilitator: Any,
    engine_result: dict[str, Any],
    fake_assess: Any,
    make_user: Callable[..., Any],
    api_as: Callable[..., Client],
    open_round: NetworkRound,
) -> dict[str, Any]:
    """A stored assessment, a register entry, an initiative, an agreement and an open network survey round
    of the partnership, and a client for each persona (a write token of their own; none for ``anonymous``)."""
    snapshot = AssessmentSnapshot.objects.create(
        partnership=partnership, result=engine_result, score=50, verdict="workable", open_conflicts=1
    )
    entry = RegisterEntry.objects.create(partnership=partnership, name="Local clinics", power=3, interest=4)
    checkin = Checkin.objects.create(
        partnership=partnership, item_set="pulse", opens_on=days_ago(20), closes_on=days_ago(10),
        state=CheckinState.CLOSED, respondents=0,
        results={"checkins": [], "partners": [], "items": [], "cells": []},
    )  # fmt: skip
    open_checkin = Checkin.objects.create(
        partnership=partnership, item_set="pulse", opens_on=days_ago(2), closes_on=days_ago(-5)
    )
    action = ActionItem.objects.create(partnership=partnership, text="Talk about the delivery rota")
    agreement = put_terms(
        agreement_services.agreement_start(
            access=partnership_access_for(user=org_admin, partnership_id=partnership.pk), user=org_admin
        )
    )
    harbor = next(p for p, pk in agreement.partner_organisations.items() if pk == organisation.pk)
    reading = Measurement.objects.create(
        agreement=agreement, kpi_id="meals", date=days_ago(30), value=80, entered_by_name="adam-admin"
    )
    delivery = Delivery.objects.create(
        agreement=agreement, commitment_id="cook", date=days_ago(20), value=500, entered_by_name="adam-admin"
    )
    meadow = next(p for p in agreement.partner_organisations if p != harbor)
    open_decision = Decision.objects.create(
        agreement=agreement, slug="fund-a-cook", title="Fund a cook", proposed_by=harbor,
        proposer_name="adam-admin", opened=days_ago(1), closes=days_ago(-14),
    )  # fmt: skip
    Vote.objects.create(decision=open_decision, partner_id=harbor, position="block", reason="Not this year",
                        voter_name="adam-admin")  # fmt: skip
    passed = Decision.objects.create(
        agreement=agreement, slug="hire-a-driver", title="Hire a driver", proposed_by=meadow,
        proposer_name="pat-partner", opened=days_ago(5), closes=days_ago(-9),
    )  # fmt: skip
    for partner in (harbor, meadow):
        Vote.objects.create(decision=passed, partner_id=partner, position="yes", voter_name="someone")
    two_hats = make_user("olga-two-organisations")
    Membership.objects.create(user=two_hats, organisation=organisation, role=Role.ADMIN)
    Membership.objects.create(user=two_hats, organisation=other_organisation, role=Role.MEMBER)
    users = {
        "outsider": outsider,
        "viewer": viewer,
        "member": member,
        "admin": org_admin,
        "partner_admin": partner_admin,
        "facilitator": facilitator,
    }
    clients = {persona: api_as(user) for persona, user in users.items()}
    clients["anonymous"] = Client()
    clients["other_org_token"] = api_as(two_hats, organisation=other_organisation)
    profile, at = (
        f"/api/v1/organisations/{organisation.slug}/profile",
        f"/api/v1/partnerships/{partnership.pk}",
    )
    return {
        "values": {
            "slug": organisation.slug, "pk": partnership.pk, "snapshot": snapshot.pk, "entry": entry.pk,
            "initiative": initiative.pk, "checkin": checkin.pk, "open_checkin": open_checkin.pk,
            "action": action.pk, "partner": harbor, "reading": reading.pk, "delivery": delivery.pk,
            "network_round": open_round.pk,
        },
        "clients": clients,
        "organisation": organisation,
        "etags": {
            "profile_replace": lambda: etag_of(clients["admin"], profile),
            "stakeholder_update": lambda: etag_of(clients["admin"], f"{at}/stakeholders/{entry.pk}"),
            "stakeholder_delete": lambda: etag_of(clients["admin"], f"{at}/stakeholders/{entry.pk}"),
            "initiative_update": lambda: etag_of(clients["admin"], f"{at}/initiatives/{initiative.pk}"),
            "initiative_delete": lambda: etag_of(clients["admin"], f"{at}/initiatives/{initiative.pk}"),
            "action_item_status": lambda: etag_of(clients["admin"], f"{at}/action-items/{action.pk}"),
            "section_update": lambda: etag_of(clients["admin"], f"{at}/agreement/sections/why"),
            "schedule_update": lambda: etag_of(clients["admin"], f"{at}/checkin-schedule"),
            "contribution_update": lambda: etag_of(clients["admin"], f"{at}/agreement/contributions/"
                                                   f"{harbor}"),
        },
    }  # fmt: skip


def call(client: Client, name: str, path: str, world: dict[str, Any]) -> Any:
    """One request of operation ``name``: its body, and the current ETag in If-Match for a change."""
    method = EXPECTED[name][0] if name in EXPECTED else "GET"
    headers = {"If-Match": world["etags"][name]()} if name in world["etags"] else {}
    body: dict[str, Any] | None = BODIES.get(name)
    if name == "profile_replace":
        body = world["organisation"].get_profile().to_document() | {"sector": "Health"}
    if name == "section_update":
        read = world["clients"]["admin"].get(path).json()
        body = {"content": read["content"] | {"shared_vision": "Every child eats well at school"}}
    if name == "signature_add":  # Harbor signs the version in force
        version = Agreement.objects.get(partnership=world["values"]["pk"]).version
        body = {"organisation": world["values"]["slug"], "version": version}
    if name == "schedule_update":
        body = {"frequency": "fortnightly", "starts_on": days_ago(-3).isoformat(), "window_days": 7}
    if name == "decision_propose":
        body = {
            "partner": world["values"]["partner"],
            "title": "Buy an oven",
            "closes": days_ago(-14).isoformat(),
        }
    if name == "vote_cast":
        body = {"partner": world["values"]["partner"], "position": "yes"}
    if name == "objection_resolve":
        body = {"partner": world["values"]["partner"]}
    if name == "initiative_score":
        body = {"organisation": world["values"]["slug"], "economic_value": 4}
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, path, data, content_type="application/json", headers=headers)


CASES = [(name, persona) for name in EXPECTED for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_api_persona(name: str, persona: str, api_world: dict[str, Any]) -> None:
    _, template, answers = EXPECTED[name]
    path = template.format(**api_world["values"])
    expected = int(answers.split()[PERSONAS.index(persona)])
    before = _row_counts()
    response = call(api_world["clients"][persona], name, path, api_world)
    assert response.status_code == expected, (path, response.content[:300])
    if expected != 204:
        assert response["Content-Type"].startswith("application/json")
    if EXPECTED[name][0] == "GET" and expected == 200:
        # Every read answers with an ETag of what it shows, and a read sending it back gets 304, no body.
        again = api_world["clients"][persona].get(path, headers={"If-None-Match": response["ETag"]})
        assert (again.status_code, again.content, again["ETag"]) == (304, b"", response["ETag"])
    if expected in (401, 403, 404):
        assert _row_counts() == before
        assert response.json()["message"]
    if expected == 404:
        # The same answer as for an object that does not exist: nothing tells the outsider it is there.
        assert (
            response.json()
            == call(
                api_world["clients"][persona], "partnership_get", "/api/v1/partnerships/999999", api_world
            ).json()
        )


# The same operations with tokens the pages cannot have, each answering from the admin's row: Harbor's
# owner (a write token) as its admin; the admin's read token as the admin on a read and 403 on any write;
# the admin's expired and revoked tokens 401, naming why.
TOKEN_PERSONAS = ("owner", "read_token", "expired_token", "revoked_token")


def _token_answer(name: str, persona: str) -> int:
    method, _, answers = EXPECTED[name]
    admin = int(answers.split()[PERSONAS.index("admin")])
    if persona == "owner" or (persona == "read_token" and method == "GET"):
        return admin
    return 403 if persona == "read_token" else 401


TOKEN_CASES = [(name, persona) for name in EXPECTED for persona in TOKEN_PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), TOKEN_CASES, ids=[f"{n}-{p}" for n, p in TOKEN_CASES])
def test_api_token_persona(
    name: str, persona: str, api_world: dict[str, Any], owner: Any, org_admin: Any,
    token_for: Callable[..., str], api_client: Callable[[str], Client],
) -> None:  # fmt: skip
    scope = "read" if persona == "read_token" else "write"
    secret = token_for(owner if persona == "owner" else org_admin, scope=scope)
    gone = timezone.now() - datetime.timedelta(seconds=1)
    changes = {"expired_token": {"expires_at": gone}, "revoked_token": {"revoked_at": gone}}
    AccessToken.objects.filter(secret_hash=token_hash(secret)).update(**changes.get(persona, {}))
    path = EXPECTED[name][1].format(**api_world["values"])
    before = _row_counts()
    response = call(api_client(secret), name, path, api_world)
    assert response.status_code == _token_answer(name, persona), (path, response.content[:300])
    if response.status_code in (401, 403):
        assert _row_counts() == before
        assert persona.split("_")[0] in response.json()["message"]


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
    with_token = [persona for persona in PERSONAS if persona != "anonymous"]
    organisations = {
        persona: [item["name"] for item in clients[persona].get("/api/v1/organisations").json()["items"]]
        for persona in with_token
    }
    assert organisations == {
        "outsider": ["Outer Ventures"],
        "viewer": ["Harbor Health Alliance"],
        "member": ["Harbor Health Alliance"],
        "admin": ["Harbor Health Alliance"],
        "partner_admin": ["Meadow Grocers"],
        "facilitator": [],
        "other_org_token": ["Outer Ventures"],  # not Harbor, which its user also belongs to
    }
    partnerships = {
        persona: clients[persona].get("/api/v1/partnerships").json()["items"] for persona in with_token
    }
    assert partnerships["outsider"] == partnerships["other_org_token"] == []
    for path in ("/api/v1/organisations", "/api/v1/partnerships"):
        assert clients["anonymous"].get(path).status_code == 401
    for persona in ("viewer", "member", "admin", "partner_admin", "facilitator"):
        (only,) = partnerships[persona]
        assert only["name"] == "Healthy Lunches"
        assert only["partners"] == ["Harbor Health Alliance", "Meadow Grocers"]
        assert only["facilitator"] == (persona == "facilitator")
