"""The OpenAPI document: served at /api/v1/openapi.json, committed as docs/openapi.json (and current), and
the API checked against it by schemathesis in-process (its WSGI transport) with a valid token."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
import schemathesis
from agreement_terms import put_terms
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from etags import etag_of
from hypothesis import HealthCheck, settings
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from schemathesis.specs.openapi.checks import (
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
)

from commonground.web.agreements import services as agreement_services
from commonground.web.api import auth
from commonground.web.api.v1 import openapi_document, openapi_text
from commonground.web.checkins import services as checkin_services
from commonground.web.networks.models import NetworkRound
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Initiative, Partnership
from commonground.web.partnerships.selectors import partnership_access_for
from commonground.web.stakeholders.models import RegisterEntry
from commonground.web.throttles import Limit

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def test_the_committed_document_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_text(), (
        "docs/openapi.json is out of date: run python -m commonground.web.manage api_openapi --write"
    )


def test_the_manage_command_prints_the_committed_document() -> None:
    printed = io.StringIO()
    call_command("api_openapi", stdout=printed)
    assert printed.getvalue() == COMMITTED.read_text(encoding="utf-8")


def _schema_definitions(
    document: Callable[[], object], monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[Any]]:
    """Every component schema Ninja is handed while ``document()`` builds an OpenAPI document, by name.

    Ninja merges the schemas of each operation's models into one dict by name, so two models of one
    name (``Item`` in two modules) would leave one of them described by the other's schema, silently.
    """
    handed: dict[str, list[Any]] = {}
    merge = OpenAPISchema.add_schema_definitions

    def record(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, schema in definitions.items():
            handed.setdefault(name, []).append(schema)
        merge(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", record)
    document()
    return handed


def test_every_component_schema_name_stands_for_one_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    handed = _schema_definitions(openapi_document, monkeypatch)
    names = set(openapi_document()["components"]["schemas"])
    assert names == set(handed)
    assert {
        name: len({json.dumps(s, sort_keys=True) for s in schemas}) for name, schemas in handed.items()
    } == {name: 1 for name in handed}
    # Unique ignoring case too (client generators write one file per schema), and none renamed by
    # pydantic's module-qualified form for two models of one name within one model.
    assert len({name.lower() for name in names}) == len(names)
    assert not [name for name in names if "__" in name]


def test_the_name_check_finds_two_models_of_one_name(monkeypatch: pytest.MonkeyPatch) -> None:
    first = pydantic.create_model("Item", size=(int, ...))
    second = pydantic.create_model("Item", colour=(str, ...))
    api = NinjaAPI(urls_namespace="name-check")

    @api.get("/first", response=first)
    def get_first(request: Any) -> Any: ...  # pragma: no cover - never called

    @api.get("/second", response=second)
    def get_second(request: Any) -> Any: ...  # pragma: no cover - never called

    handed = _schema_definitions(lambda: api.get_openapi_schema(path_prefix=""), monkeypatch)
    assert len({json.dumps(s, sort_keys=True) for s in handed["Item"]}) == 2


@pytest.mark.django_db
def test_the_document_is_served_to_anyone(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == openapi_document()
    assert response.json()["openapi"].startswith("3.1")


def test_the_profile_format_s_model_is_the_profile_schema() -> None:
    from commonground.core.profiles import Profile

    schema = openapi_document()["components"]["schemas"]["Profile"]
    assert set(schema["properties"]) == set(Profile.model_fields)
    put = openapi_document()["paths"]["/api/v1/organisations/{slug}/profile"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Profile"
    }
    assert {"412", "428", "422"} <= set(put["responses"])


schema = schemathesis.openapi.from_dict(json.loads(COMMITTED.read_text(encoding="utf-8")))
schema.config.update(base_url="http://localhost")  # paths carry /api/v1; the host is an allowed one
schema.app = get_wsgi_application()  # in-process: every request, and each check's follow-up, goes to it


# Three built-in checks are left out, each for a reason: unknown query parameters are ignored (as most HTTP
# APIs do), where negative_data_rejection expects a refusal; a write without If-Match gets 428
# Precondition Required (RFC 6585), which missing_required_header does not count among refusals
# (test_profiles.py proves the 428); and the profile format has rules JSON Schema cannot state (the culture
# points add up to 100, goal ids are unique, no NUL in a text), so a schema-valid profile can rightly get
# 422, which positive_data_acceptance counts as a failure. Every other check runs, among them: no server
# error, status, headers and body as documented, and a request without the token refused (ignored_auth).
NOT_CHECKED = [negative_data_rejection, missing_required_header, positive_data_acceptance]


@pytest.fixture
def fuzz_world(
    owner: Any, organisation: Organisation, partnership: Partnership, initiative: Initiative,
    engine_result: dict[str, Any], fake_assess: Any, token_for: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch, open_round: NetworkRound,
) -> Iterator[dict[str, Any]]:  # fmt: skip
    """The owner's write token, the objects the paths name, and no rate limit in the way."""
    from commonground.web.assessments.models import AssessmentSnapshot

    snapshot = AssessmentSnapshot.objects.create(
        partnership=partnership, result=engine_result, score=50, verdict="workable", open_conflicts=1
    )
    entry = RegisterEntry.objects.create(partnership=partnership, name="Local clinics", power=3, interest=4)
    checkin = checkin_services.checkin_open(
        partnership=partnership, name="pulse", today=timezone.localdate(), window_days=5, scheduled=False
    )
    agreement = put_terms(
        agreement_services.agreement_start(
            access=partnership_access_for(user=owner, partnership_id=partnership.pk), user=owner
        )
    )
    harbor = next(p for p, pk in agreement.partner_organisations.items() if pk == organisation.pk)
    monkeypatch.setattr(auth, "API_REQUESTS_PER_TOKEN", Limit("api-token-fuzz", 100_000, 60))
    # The check that authentication is not ignored sends many made-up tokens.
    monkeypatch.setattr(auth, "API_REFUSED_TOKENS_PER_ADDRESS", Limit("api-refused-fuzz", 100_000, 60))
    # As Django's test client does: the WSGI handler would close the test's database connection after
    # each request, and with it the transaction the test runs in.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    at = f"/api/v1/partnerships/{partnership.pk}"
    try:
        yield {
            "token": token_for(owner),
            "path": {
                "slug": organisation.slug,
                "partnership_id": partnership.pk,
                "assessment_id": snapshot.pk,
                "entry_id": entry.pk,
                "initiative_id": initiative.pk,
                "checkin_id": checkin.pk,
                "part": "why",
                "partner_id": harbor,
                "round_id": open_round.pk,
            },
            # The record a write's If-Match names, by the path parameter that names it.
            "locked": {
                "entry_id": f"{at}/stakeholders/{entry.pk}",
                "initiative_id": f"{at}/initiatives/{initiative.pk}",
                "slug": f"/api/v1/organisations/{organisation.slug}/profile",
                "part": f"{at}/agreement/sections/why",
                "partner_id": f"{at}/agreement/contributions/{harbor}",
            },
        }
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _current_etag(case: Any, locked: dict[str, str], token: str) -> str | None:
    """The current ETag of the record the case's path names (the last of its parameters that names one),
    as a GET of it answers."""
    names = [name for name in locked if case.path_parameters and name in case.path_parameters]
    if not names:
        return None
    etag = etag_of(Client(headers={"Authorization": f"Bearer {token}"}), locked[names[0]])
    # Django's test client connects close_old_connections again after its request: undo that, as above.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    return etag


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_matches_its_document(case: Any, fuzz_world: dict[str, Any]) -> None:
    # The paths name objects the token reaches, so that answers are more than 404s.
    for name, value in fuzz_world["path"].items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value
    if case.headers and "If-Match" in case.headers:  # the current version, so that valid writes are saved
        etag = _current_etag(case, fuzz_world["locked"], fuzz_world["token"])
        if etag is not None:
            case.headers["If-Match"] = etag
    case.call_and_validate(
        excluded_checks=NOT_CHECKED, headers={"Authorization": f"Bearer {fuzz_world['token']}"}
    )
