"""Who may call the API: a token of the right kind, never a session cookie; each token within its rate."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.web import throttles
from commonground.web.api.locking import record_etag
from commonground.web.api.models import AccessToken
from commonground.web.api.selectors import token_hash
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.throttles import API_REFUSED_TOKENS_PER_ADDRESS, API_REQUESTS_PER_TOKEN

pytestmark = pytest.mark.django_db


def _etag(organisation: Organisation) -> str:
    return record_etag("org", organisation, organisation.get_profile())


def _put_profile(client: Client, organisation: Organisation, **changes: Any) -> Any:
    body = json.dumps(organisation.get_profile().to_document() | changes)
    return client.put(
        f"/api/v1/organisations/{organisation.slug}/profile",
        body,
        content_type="application/json",
        headers={"If-Match": _etag(organisation)},
    )


def test_a_session_cookie_alone_does_not_authenticate(
    owner_client: Client, organisation: Organisation
) -> None:
    response = owner_client.get(f"/api/v1/organisations/{organisation.slug}/profile")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["message"]
    # Nor can a page on another site make a signed-in browser write (no CSRF token is needed for that).
    assert _put_profile(owner_client, organisation, sector="Hijacked").status_code == 401
    organisation.refresh_from_db()
    assert organisation.profile["sector"] == "Public health"


def test_a_token_acts_as_its_user_whatever_session_comes_along(
    client_for: Callable[[Any], Client], outsider: Any, owner: Any, token_for: Callable[..., str],
    organisation: Organisation,
) -> None:  # fmt: skip
    client = client_for(owner)  # signed in as the owner in the browser ...
    outsider_token = token_for(outsider)  # ... but the request carries the outsider's token
    response = client.get(
        f"/api/v1/organisations/{organisation.slug}", headers={"Authorization": f"Bearer {outsider_token}"}
    )
    assert response.status_code == 404


def test_the_secret_is_stored_only_as_its_hash(token_for: Callable[..., str], owner: Any) -> None:
    secret = token_for(owner)
    token = AccessToken.objects.get(user=owner)
    assert secret.startswith("cg_")
    assert len(secret) > 40
    assert token.secret_hash == token_hash(secret)
    assert secret not in {str(value) for value in AccessToken.objects.values().get().values()}
    assert token.prefix == secret[:9]


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer cg_not-a-token", "Basic b3duZXI6cGFzcw==", "Bearer " + "x" * 5000, "Token cg_abc"],
)
def test_missing_or_unknown_tokens_are_refused(header: str, organisation: Organisation) -> None:
    client = Client(headers={"Authorization": header} if header else {})
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.json()["message"]


def test_expired_and_revoked_tokens_are_refused(
    api_client: Callable[[str], Client], token_for: Callable[..., str], owner: Any, organisation: Organisation
) -> None:
    expired, revoked, fine = token_for(owner), token_for(owner), token_for(owner)
    AccessToken.objects.filter(secret_hash=token_hash(expired)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    AccessToken.objects.filter(secret_hash=token_hash(revoked)).update(revoked_at=timezone.now())
    answers = {name: api_client(secret).get("/api/v1/organisations") for name, secret in
               (("expired", expired), ("revoked", revoked), ("fine", fine))}  # fmt: skip
    assert answers["fine"].status_code == 200
    assert answers["expired"].status_code == 401
    assert "expired" in answers["expired"].json()["message"]
    assert answers["revoked"].status_code == 401
    assert "revoked" in answers["revoked"].json()["message"]


def test_a_deactivated_account_s_tokens_are_refused(
    api_as: Callable[..., Client], owner: Any, organisation: Organisation
) -> None:
    client = api_as(owner)
    owner.is_active = False
    owner.save()
    assert client.get("/api/v1/organisations").status_code == 401


def test_a_read_token_cannot_write(
    api_as: Callable[..., Client], owner: Any, organisation: Organisation
) -> None:
    client = api_as(owner, scope="read")
    assert client.get(f"/api/v1/organisations/{organisation.slug}/profile").status_code == 200
    response = _put_profile(client, organisation, sector="Changed")
    assert response.status_code == 403
    assert "only read" in response.json()["message"]
    organisation.refresh_from_db()
    assert organisation.version == 1


def test_a_read_token_cannot_run_an_assessment(
    api_as: Callable[..., Client], org_admin: Any, partnership: Partnership, fake_assess: Any
) -> None:
    response = api_as(org_admin, scope="read").post(f"/api/v1/partnerships/{partnership.pk}/assessments")
    assert response.status_code == 403
    assert fake_assess.calls == 0


def test_an_organisation_token_reaches_only_that_organisation(
    api_as: Callable[..., Client], outsider: Any, other_organisation: Organisation,
    organisation: Organisation, partnership: Partnership,
) -> None:  # fmt: skip
    # The outsider also belongs to Harbor (a partner of the partnership), but the token is for Outer Ventures.
    from commonground.web.organisations.models import Membership

    Membership.objects.create(user=outsider, organisation=organisation, role="owner")
    client = api_as(outsider, organisation=other_organisation)
    names = [item["name"] for item in client.get("/api/v1/organisations").json()["items"]]
    assert names == ["Outer Ventures"]
    assert client.get(f"/api/v1/organisations/{organisation.slug}").status_code == 404
    assert client.get(f"/api/v1/organisations/{organisation.slug}/profile").status_code == 404
    assert _put_profile(client, organisation, sector="Elsewhere").status_code == 404
    assert client.get("/api/v1/partnerships").json()["items"] == []
    assert client.get(f"/api/v1/partnerships/{partnership.pk}").status_code == 404
    # The same user's unlimited token reaches both.
    assert api_as(outsider).get(f"/api/v1/partnerships/{partnership.pk}").status_code == 200


def test_an_organisation_token_acts_with_the_role_in_that_organisation(
    api_as: Callable[..., Client], viewer: Any, organisation: Organisation,
    partner_organisation: Organisation, partnership: Partnership, fake_assess: Any,
) -> None:  # fmt: skip
    # A viewer of Harbor who is an admin of Meadow: through a Harbor token, only a viewer.
    from commonground.web.organisations.models import Membership

    Membership.objects.create(user=viewer, organisation=partner_organisation, role="admin")
    run = f"/api/v1/partnerships/{partnership.pk}/assessments"
    harbor = api_as(viewer, organisation=organisation)
    assert harbor.get(f"/api/v1/partnerships/{partnership.pk}").json()["role"] == "viewer"
    assert harbor.post(run).status_code == 403
    assert api_as(viewer, organisation=partner_organisation).post(run).status_code == 201


def test_each_token_has_its_own_rate_and_is_told_when_to_come_back(
    api_as: Callable[..., Client], owner: Any, organisation: Organisation
) -> None:
    client = api_as(owner)
    for _ in range(API_REQUESTS_PER_TOKEN.count):
        assert client.get("/api/v1/organisations").status_code == 200
    refused = client.get("/api/v1/organisations")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= API_REQUESTS_PER_TOKEN.seconds
    assert "Try again in" in refused.json()["message"]
    assert api_as(owner).get("/api/v1/organisations").status_code == 200  # another token is not held back


def test_assessment_runs_are_limited_per_account_with_the_page_in_the_same_budget(
    api_as: Callable[..., Client], org_admin: Any, partnership: Partnership, fake_assess: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from commonground.web.throttles import Limit

    monkeypatch.setattr(throttles, "ASSESSMENTS_PER_ACCOUNT", Limit("api-assessment-test", 2, 3600))
    run = f"/api/v1/partnerships/{partnership.pk}/assessments"
    first, second = api_as(org_admin), api_as(org_admin)  # a new token does not reset the account's count
    assert first.post(run).status_code == 201
    assert second.post(run).status_code == 201
    refused = first.post(run)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert fake_assess.calls == 2
    # The page's "Run" button counts in the same budget (security review F1).
    page = Client()
    page.force_login(org_admin)
    assert page.post(reverse("assessments:run", kwargs={"pk": partnership.pk})).status_code == 429
    assert fake_assess.calls == 2


def test_use_is_recorded_on_the_token(
    api_as: Callable[..., Client], owner: Any, organisation: Organisation
) -> None:
    client = api_as(owner)
    assert AccessToken.objects.get(user=owner).last_used_at is None
    client.get("/api/v1/organisations")
    assert AccessToken.objects.get(user=owner).last_used_at is not None


def test_api_answers_are_not_kept_in_caches(
    api_as: Callable[..., Client], owner: Any, organisation: Organisation
) -> None:
    response = api_as(owner).get(f"/api/v1/organisations/{organisation.slug}/profile")
    assert "no-store" in response["Cache-Control"]


def test_many_refused_tokens_from_one_address_get_429_and_good_tokens_still_pass(
    token_for: Callable[..., str], owner: Any, organisation: Organisation
) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    good = token_for(owner)
    revoked = token_for(owner)
    AccessToken.objects.filter(secret_hash=token_hash(revoked)).update(revoked_at=timezone.now())
    # Requests with a good token do not count; unknown and revoked ones do, up to the limit.
    assert (
        guesser.get("/api/v1/organisations", headers={"Authorization": f"Bearer {good}"}).status_code == 200
    )
    for attempt in range(API_REFUSED_TOKENS_PER_ADDRESS.count):
        secret = revoked if attempt % 2 else f"cg_made-up-{attempt}"
        answer = guesser.get("/api/v1/organisations", headers={"Authorization": f"Bearer {secret}"})
        assert answer.status_code == 401
    refused = guesser.get("/api/v1/organisations", headers={"Authorization": "Bearer cg_another-guess"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= API_REFUSED_TOKENS_PER_ADDRESS.seconds
    assert "refused access tokens from your address" in refused.json()["message"]
    # A colleague with a good token behind the same address is not locked out by someone else's
    # forgotten or revoked token; other addresses are not affected either.
    assert (
        guesser.get("/api/v1/organisations", headers={"Authorization": f"Bearer {good}"}).status_code == 200
    )
    elsewhere = Client(REMOTE_ADDR="198.51.100.20", headers={"Authorization": f"Bearer {good}"})
    assert elsewhere.get("/api/v1/organisations").status_code == 200
