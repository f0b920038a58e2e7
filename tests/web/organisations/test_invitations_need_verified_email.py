"""Organisation invitations are matched to accounts only through verified email addresses."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from commonground.web.access import Role
from commonground.web.accounts.services import email_mark_verified
from commonground.web.organisations import selectors, services
from commonground.web.organisations.models import Invitation, Membership, Organisation

pytestmark = pytest.mark.django_db


def _invite(client: Client, organisation: Organisation, email: str) -> Any:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("organisations:invitation_new", kwargs={"slug": organisation.slug}),
            {"email": email, "role": "member"},
            follow=True,
        )


def test_home_lists_invitations_only_for_a_verified_address(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    _invite(owner_client, organisation, "nina@example.org")
    squatter = make_user("sly", email="nina@example.org", verified=False)
    page = client_for(squatter).get("/").content.decode()
    assert "Waiting for your answer" not in page
    assert selectors.invitation_list_for_user(user=squatter) == []
    email_mark_verified(user=squatter)  # once the address is proven, the invitation is theirs to see
    assert "Waiting for your answer" in client_for(squatter).get("/").content.decode()


def test_an_unverified_account_cannot_have_the_link_mailed_again(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    _invite(owner_client, organisation, "nina@example.org")
    invitation = Invitation.objects.get()
    sent = len(mail.outbox)
    squatter = make_user("sly", email="nina@example.org", verified=False)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(squatter).post(
            reverse("organisations:invitation_send_link", kwargs={"invitation_id": invitation.pk}),
            follow=True,
        )
    assert "no longer open" in response.content.decode()
    assert len(mail.outbox) == sent
    assert Invitation.objects.get().token_hash == invitation.token_hash


def test_a_member_with_an_unverified_address_does_not_block_inviting_that_address(
    owner: Any, organisation: Organisation, make_user: Any
) -> None:
    squatter = make_user("sly", email="nina@example.org", verified=False)
    Membership.objects.create(user=squatter, organisation=organisation, role=Role.VIEWER)
    access = selectors.organisation_access(user=owner, slug=organisation.slug)
    invitation = services.invitation_send(
        access=access, email="nina@example.org", role=Role.MEMBER, link_for=lambda t: t, user=owner
    )
    assert invitation.email == "nina@example.org"


def test_a_member_with_the_verified_address_is_already_a_member(
    owner: Any, organisation: Organisation, member: Any
) -> None:
    access = selectors.organisation_access(user=owner, slug=organisation.slug)
    with pytest.raises(services.OrganisationError, match="already a member"):
        services.invitation_send(
            access=access, email=member.email.upper(), role=Role.MEMBER, link_for=lambda t: t, user=owner
        )


def test_the_link_is_accepted_only_with_the_invited_address_verified(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    """Security finding F8: holding the link and typing the invited address is not enough."""
    _invite(owner_client, organisation, "tina@example.org")
    path = re.search(r"https?://testserver(\S+)", mail.outbox[-1].body)
    assert path is not None
    mallory = make_user("mallory", email="tina@example.org", verified=False)
    response = client_for(mallory).post(path.group(1), follow=True)
    assert "Verify your email address tina@example.org first" in response.content.decode()
    assert not Membership.objects.filter(user=mallory).exists()
    assert Invitation.objects.get().used_at is None
    email_mark_verified(user=mallory)  # once the mailbox is proven, the same link works
    assert client_for(mallory).post(path.group(1)).status_code == 302
    assert Membership.objects.get(user=mallory, organisation=organisation).role == Role.MEMBER
