"""Partnership invitations by email find only verified addresses, and never say whether an account exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from commonground.core.profiles import Profile
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Facilitator, Partnership, PartnershipMember

pytestmark = pytest.mark.django_db


def _message(client: Client, url: str, data: dict[str, str]) -> str:
    response = client.post(url, data)
    assert response.status_code == 302
    return str(list(get_messages(response.wsgi_request))[-1])  # earlier posts' messages come first


def _lookalike(make_user: Callable[..., Any], victim_email: str) -> Organisation:
    """A look-alike organisation whose owner typed someone else's email but never verified it."""
    squatter = make_user("sly-squatter", email=victim_email, verified=False)
    profile = Profile.model_validate(
        {"name": "Meadow Grocers Ltd", "kind": "company", "mission": "Look alike."}
    )
    return organisation_services.organisation_create(user=squatter, profile=profile)


def test_member_invite_ignores_an_unverified_admin_email_and_says_the_same_as_no_account(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any]
) -> None:
    lookalike = _lookalike(make_user, "buyer@meadow.example")
    url = reverse("partnerships:member_invite", kwargs={"pk": partnership.pk})
    unverified = _message(org_admin_client, url, {"invite-email": "buyer@meadow.example"})
    unknown = _message(org_admin_client, url, {"invite-email": "nobody@meadow.example"})
    assert not PartnershipMember.objects.filter(organisation=lookalike).exists()
    assert "verified email" in unverified
    assert unverified.replace("buyer@", "X@") == unknown.replace("nobody@", "X@")


def test_member_invite_finds_the_organisation_once_its_admin_is_verified(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any]
) -> None:
    from commonground.web.accounts.services import email_mark_verified

    lookalike = _lookalike(make_user, "buyer@meadow.example")
    email_mark_verified(user=lookalike.memberships.get().user)
    url = reverse("partnerships:member_invite", kwargs={"pk": partnership.pk})
    assert "is invited" in _message(org_admin_client, url, {"invite-email": "buyer@meadow.example"})
    assert PartnershipMember.objects.filter(organisation=lookalike).exists()


def test_facilitator_invite_ignores_an_unverified_email_and_says_the_same_as_no_account(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any]
) -> None:
    squatter = make_user("sly-squatter", email="nina@facilitate.example", verified=False)
    url = reverse("partnerships:facilitator_invite", kwargs={"pk": partnership.pk})
    unverified = _message(org_admin_client, url, {"facilitator-email": "nina@facilitate.example"})
    unknown = _message(org_admin_client, url, {"facilitator-email": "nobody@facilitate.example"})
    assert not Facilitator.objects.filter(user=squatter).exists()
    assert "verified email" in unverified
    assert unverified.replace("nina@", "X@") == unknown.replace("nobody@", "X@")


def test_facilitator_whose_email_changed_is_no_longer_found_by_it(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any], client_for: Any
) -> None:
    person = make_user("nina-neutral")
    client_for(person).post(
        reverse("accounts:account"), {"first_name": "", "last_name": "", "email": "nina@elsewhere.example"}
    )
    url = reverse("partnerships:facilitator_invite", kwargs={"pk": partnership.pk})
    for email in ("nina-neutral@example.org", "nina@elsewhere.example"):
        assert "No one has an account" in _message(org_admin_client, url, {"facilitator-email": email})
    assert not Facilitator.objects.filter(user=person).exists()
