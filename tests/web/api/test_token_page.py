"""The account's API tokens page: create (secret shown once), list with last use, revoke."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.web.api.models import AccessToken, TokenScope
from commonground.web.api.services import MAX_ACTIVE_TOKENS, TokenError, token_create
from commonground.web.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_creating_shows_the_secret_once_and_it_works(
    owner_client: Client, owner: Any, organisation: Organisation, api_client: Callable[[str], Client]
) -> None:
    response = owner_client.post(
        reverse("api:tokens"),
        {"name": "CRM sync", "scope": "read", "valid_days": "30", "organisation": str(organisation.pk)},
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("cg_")
    assert secret in response.content.decode()
    token = AccessToken.objects.get(user=owner)
    assert (token.name, token.scope, token.organisation) == ("CRM sync", "read", organisation)
    assert api_client(secret).get("/api/v1/organisations").status_code == 200
    listing = owner_client.get(reverse("api:tokens")).content.decode()
    assert secret not in listing  # never again
    assert token.prefix in listing
    assert "Harbor Health Alliance" in listing


def test_the_list_shows_last_use(
    owner_client: Client, owner: Any, token_for: Callable[..., str], api_client: Callable[[str], Client]
) -> None:
    secret = token_for(owner)
    assert '<td class="last-used">Never</td>' in owner_client.get(reverse("api:tokens")).content.decode()
    api_client(secret).get("/api/v1/organisations")
    assert '<td class="last-used">Never</td>' not in owner_client.get(reverse("api:tokens")).content.decode()


def test_a_token_cannot_be_limited_to_someone_else_s_organisation(
    owner_client: Client, other_organisation: Organisation
) -> None:
    response = owner_client.post(
        reverse("api:tokens"),
        {"name": "x", "scope": "write", "valid_days": "30", "organisation": str(other_organisation.pk)},
    )
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_revoking_stops_the_token_at_once(
    owner_client: Client, owner: Any, token_for: Callable[..., str], api_client: Callable[[str], Client],
    organisation: Organisation,
) -> None:  # fmt: skip
    secret = token_for(owner)
    token = AccessToken.objects.get(user=owner)
    response = owner_client.post(reverse("api:token_revoke", kwargs={"token_id": token.pk}))
    assert response.status_code == 302
    assert api_client(secret).get("/api/v1/organisations").status_code == 401
    assert "Revoked" in owner_client.get(reverse("api:tokens")).content.decode()


def test_someone_else_s_token_cannot_be_revoked(
    outsider_client: Client, owner: Any, token_for: Callable[..., str]
) -> None:
    token_for(owner)
    token = AccessToken.objects.get(user=owner)
    assert outsider_client.post(reverse("api:token_revoke", kwargs={"token_id": token.pk})).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_active_tokens_are_capped(owner: Any) -> None:
    for _ in range(MAX_ACTIVE_TOKENS):
        token_create(user=owner, name="t", scope=TokenScope.READ, valid_days=7)
    with pytest.raises(TokenError):
        token_create(user=owner, name="t", scope=TokenScope.READ, valid_days=7)
    with pytest.raises(TokenError):
        token_create(user=owner, name="t", scope=TokenScope.READ, valid_days=5000)
