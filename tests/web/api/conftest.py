"""Fixtures for API tests: tokens for any persona, and a client that sends one (and no session)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from agreement_terms import put_terms
from django.test import Client

from commonground.web.agreements import services as agreement_services
from commonground.web.agreements.models import Agreement
from commonground.web.api import services
from commonground.web.api.models import TokenScope
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for


@pytest.fixture
def token_for(db: None) -> Callable[..., str]:
    """A new token's secret for ``user`` (write scope unless ``scope="read"``), optionally limited to
    ``organisation``."""

    def make(
        user: Any, *, scope: str = "write", organisation: Organisation | None = None, days: int = 30
    ) -> str:
        _, secret = services.token_create(
            user=user, name="test", scope=TokenScope(scope), valid_days=days, organisation=organisation
        )
        return secret

    return make


@pytest.fixture
def api_client(db: None) -> Callable[[str], Client]:
    """A client that sends ``Authorization: Bearer <secret>`` with every request and holds no session."""

    def make(secret: str) -> Client:
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make


@pytest.fixture
def api_as(token_for: Callable[..., str], api_client: Callable[[str], Client]) -> Callable[..., Client]:
    """A client with a fresh token of ``user`` (same keyword arguments as ``token_for``)."""

    def make(user: Any, **kwargs: Any) -> Client:
        return api_client(token_for(user, **kwargs))

    return make


def send(client: Client, method: str, url: str, body: Any = None, *, etag: str | None = None) -> Any:
    """A JSON request (``body`` serialised, none when None), with ``If-Match: etag`` when given."""
    headers = {"If-Match": etag} if etag is not None else {}
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, url, data, content_type="application/json", headers=headers)


@pytest.fixture
def api_send() -> Callable[..., Any]:
    """``send`` above, for tests: ``api_send(client, "PUT", url, body, etag=...)``."""
    return send


@pytest.fixture
def agreement(partnership: Partnership, org_admin: Any) -> Agreement:
    """The partnership's agreement, started by Harbor's admin, with default terms (version 1)."""
    started = agreement_services.agreement_start(
        access=partnership_access_for(user=org_admin, partnership_id=partnership.pk), user=org_admin
    )
    put_terms(started)
    started.refresh_from_db()
    return started
