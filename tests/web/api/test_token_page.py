"""The account's API tokens page: create (secret shown once), list with last use, revoke."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from mfa_steps import PASSWORD, code_for

from commonground.web.api.models import AccessToken, TokenScope
from commonground.web.api.services import MAX_ACTIVE_TOKENS, TokenError, token_create
from commonground.web.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(owner_client: Client, owner: Any) -> Client:
    """The owner signed in, with a password to type again when making a token."""
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    owner_client.force_login(owner)  # the new password hash ended the earlier session
    return owner_client


def test_creating_shows_the_secret_once_and_it_works(
    owner_client: Client, owner: Any, organisation: Organisation, api_client: Callable[[str], Client]
) -> None:
    response = owner_client.post(
        reverse("api:tokens"),
        {
            "name": "CRM sync",
            "scope": "read",
            "valid_days": "30",
            "organisation": str(organisation.pk),
            "password": PASSWORD,
        },
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
        {
            "name": "x",
            "scope": "write",
            "valid_days": "30",
            "organisation": str(other_organisation.pk),
            "password": PASSWORD,
        },
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


def test_making_a_token_asks_for_the_password_again(owner_client: Client) -> None:
    response = owner_client.post(
        reverse("api:tokens"), {"name": "x", "scope": "write", "valid_days": "30", "password": "wrong"}
    )
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert not AccessToken.objects.exists()


def test_with_two_factor_sign_in_a_token_also_needs_a_current_code(
    owner_client: Client, owner: Any, with_mfa: Callable[[Any], Any], settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below makes no wait for the right one
    device = with_mfa(owner)
    form = {"name": "x", "scope": "write", "valid_days": "30", "password": PASSWORD}
    assert owner_client.post(reverse("api:tokens"), {**form, "code": "000000"}).status_code == 400
    assert not AccessToken.objects.exists()
    assert owner_client.post(reverse("api:tokens"), {**form, "code": code_for(device)}).status_code == 200
    assert AccessToken.objects.filter(user=owner).count() == 1


def test_a_new_token_is_mailed_to_the_account(
    owner_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("api:tokens"),
            {"name": "CRM sync", "scope": "read", "valid_days": "30", "password": PASSWORD},
        )
    assert response.status_code == 200
    assert [m.subject for m in mail.outbox] == ["A new API access token for your Common Ground account"]
    assert "“CRM sync”" in mail.outbox[0].body


def test_a_password_change_ends_every_token(
    owner: Any, token_for: Callable[..., str], api_client: Callable[[str], Client]
) -> None:
    secret = token_for(owner)
    assert api_client(secret).get("/api/v1/organisations").status_code == 200
    owner.set_password("a brand new passphrase")
    owner.save(update_fields=["password"])
    response = api_client(secret).get("/api/v1/organisations")
    assert response.status_code == 401
    assert "password or two-factor sign-in changed" in response.json()["message"]
    assert AccessToken.objects.get(user=owner).revoked_at is not None


def test_an_owner_the_organisation_asks_for_two_factor_cannot_use_the_api_without_it(
    owner: Any, organisation: Organisation, with_mfa: Callable[[Any], Any], api_as: Callable[..., Client]
) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(owners_need_mfa=True)
    client = api_as(owner)
    response = client.get(f"/api/v1/organisations/{organisation.slug}/profile")
    assert response.status_code == 403
    assert "two-factor sign-in" in response.json()["message"]
    with_mfa(owner)  # a device does not change the session hash, so the same token now works
    assert client.get(f"/api/v1/organisations/{organisation.slug}/profile").status_code == 200
