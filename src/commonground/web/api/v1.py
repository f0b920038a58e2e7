"""The API, version 1: one NinjaAPI with its routers, served at /api/v1/ (``urlpatterns`` below).

Why Django Ninja (docs/api.md): it is built on pydantic, so the profile format's models
(``core.profiles.Profile``) and the assessment result (``core.results.AssessmentResult``) are the API's
request and answer schemas as they are, and it writes the OpenAPI 3.1 document from them.

To add an endpoint: a function in the router module of its noun (``organisation_routes.py``, ...) that
starts with ``organisation_scope``/``partnership_scope`` (``scopes.py``) and calls the app's selectors
and services; a row in tests/web/api/; then ``python -m commonground.web.manage api_openapi`` to write
docs/openapi.json again.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from commonground.web.access import public, token_authenticated
from commonground.web.api.action_item_routes import router as action_items
from commonground.web.api.agreement_decision_routes import router as agreement_decisions
from commonground.web.api.agreement_record_routes import router as agreement_records
from commonground.web.api.agreement_routes import router as agreements
from commonground.web.api.agreement_signing_routes import router as agreement_signing
from commonground.web.api.auth import TokenAuth
from commonground.web.api.checkin_routes import router as checkins
from commonground.web.api.checkin_schedule_routes import router as checkin_schedule
from commonground.web.api.conditional import conditional_get, declare_conditional_reads
from commonground.web.api.errors import install_handlers
from commonground.web.api.initiative_routes import router as initiatives
from commonground.web.api.network_routes import router as network
from commonground.web.api.organisation_routes import router as organisations
from commonground.web.api.partnership_routes import router as partnerships
from commonground.web.api.stakeholder_routes import router as stakeholders


class _Api(NinjaAPI):
    """Ninja's API, its document declaring the conditional reads every GET answers (conditional.py)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Ninja's document, each GET with its ETag, If-None-Match and 304."""
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_conditional_reads(document)
        return document


api = _Api(
    title="Common Ground API",
    version="1",
    description=(
        "Organisations' profiles, partnerships, their assessments, stakeholder registers, joint "
        "initiatives, agreements with their parts, sign-off (signatures, comments, contributions) and "
        "records (KPI readings, deliveries, decisions with their votes, objections and outcomes), "
        "check-ins with their schedule and answers, action items, and network survey rounds (listed, "
        "closed), with the same access rules as the "
        "workspace's pages. Authenticate with a personal access token: `Authorization: Bearer cg_…`. "
        "See docs/api.md."
    ),
    openapi_url="/openapi.json",
    docs_url=None,  # the interactive page loads scripts from elsewhere, which our CSP forbids
    urls_namespace="api-v1",
    auth=TokenAuth(),
)
install_handlers(api)
api.add_router("/organisations", organisations)
api.add_router("/partnerships", partnerships)
# A partnership's register, initiatives, agreement (its terms, its sign-off), check-ins, action items and
# network survey rounds: their own routers (and tags) under its path.
api.add_router("/partnerships", stakeholders)
api.add_router("/partnerships", initiatives)
api.add_router("/partnerships", agreements)
api.add_router("/partnerships", agreement_signing)
api.add_router("/partnerships", agreement_records)
api.add_router("/partnerships", agreement_decisions)
api.add_router("/partnerships", checkins)
api.add_router("/partnerships", checkin_schedule)
api.add_router("/partnerships", action_items)
api.add_router("/partnerships", network)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document as served at /api/v1/openapi.json (as JSON reads it: status codes as text)."""
    document: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
    return document


def openapi_text() -> str:
    """The OpenAPI document as committed in docs/openapi.json (sorted keys, two-space indent)."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _with_policies(patterns: list[Any]) -> list[Any]:
    """Ninja's URL patterns with our access policies declared: the OpenAPI document and the empty root
    are public, every operation authenticates a token itself (and answers a matching If-None-Match 304)."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name in {"openapi-json", "api-root"}:
                pattern.callback = public(pattern.callback)
            else:
                pattern.callback = token_authenticated(conditional_get(pattern.callback))
    return patterns


_patterns, _app_name, namespace = api.urls
urlpatterns = _with_policies(list(_patterns))
app_name = namespace
