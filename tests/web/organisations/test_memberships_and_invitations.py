"""Invitations (emailed, expiring, single-use, waiting on the home page), role changes, the last owner,
leaving, creating."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from commonground.web.access import Role
from commonground.web.organisations import selectors, services
from commonground.web.organisations.models import Invitation, Membership, Organisation


def _invite(client: Client, organisation: Organisation, email: str, role: str = "member") -> str:
    # The email goes out when the transaction commits; tests run inside one, so run the callbacks.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("organisations:invitation_new", kwargs={"slug": organisation.slug}),
            {"email": email, "role": role},
        )
    assert response.status_code == 302
    link = re.search(r"https?://testserver(\S+)", mail.outbox[-1].body)
    assert link is not None
    return link.group(1)


def test_admin_invites_and_invitee_joins_once(
    org_admin_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    path = _invite(org_admin_client, organisation, "nina@example.org", "member")
    assert mail.outbox[-1].to == ["nina@example.org"]
    invitation = Invitation.objects.get()
    assert path.split("/")[-2] not in invitation.token_hash  # only a hash of the token is stored
    nina = make_user("nina", email="nina@example.org")
    nina_client = client_for(nina)
    assert nina_client.get(path).status_code == 200
    response = nina_client.post(path)
    assert response.status_code == 302
    assert Membership.objects.get(user=nina, organisation=organisation).role == Role.MEMBER
    # Single use: a second use by anyone fails and changes nothing.
    other = make_user("nina2", email="nina@example.org")
    client_for(other).post(path)
    assert not Membership.objects.filter(user=other).exists()
    assert Invitation.objects.get().used_by == nina


def test_expired_invitation_is_refused(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    path = _invite(owner_client, organisation, "late@example.org")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    late = make_user("late", email="late@example.org")
    response = client_for(late).post(path, follow=True)
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=late).exists()


def test_invitation_is_bound_to_its_email(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    path = _invite(owner_client, organisation, "right@example.org")
    wrong = make_user("wrong", email="wrong@example.org")
    response = client_for(wrong).post(path, follow=True)
    assert "right@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=wrong).exists()
    assert Invitation.objects.get().used_at is None


def test_revoked_invitation_stops_working(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    path = _invite(owner_client, organisation, "gone@example.org")
    invitation = Invitation.objects.get()
    owner_client.post(
        reverse(
            "organisations:invitation_revoke",
            kwargs={"slug": organisation.slug, "invitation_id": invitation.pk},
        )
    )
    gone = make_user("gone", email="gone@example.org")
    client_for(gone).post(path)
    assert not Membership.objects.filter(user=gone).exists()


def test_anonymous_visitor_sees_invitation_and_is_asked_to_sign_in(
    owner_client: Client, organisation: Organisation, anonymous_client: Client
) -> None:
    path = _invite(owner_client, organisation, "new@example.org")
    page = anonymous_client.get(path)
    assert page.status_code == 200
    assert organisation.name in page.content.decode()
    response = anonymous_client.post(path)
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]
    assert anonymous_client.get("/invitations/not-a-token/").status_code == 200


def test_only_owners_invite_owners(org_admin_client: Client, organisation: Organisation) -> None:
    org_admin_client.post(
        reverse("organisations:invitation_new", kwargs={"slug": organisation.slug}),
        {"email": "boss@example.org", "role": "owner"},
    )
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def _role_url(organisation: Organisation, user: Any) -> str:
    membership = Membership.objects.get(user=user, organisation=organisation)
    return reverse(
        "organisations:member_role", kwargs={"slug": organisation.slug, "membership_id": membership.pk}
    )


def test_admin_changes_roles_but_not_owner_roles(
    org_admin_client: Client, organisation: Organisation, owner: Any, viewer: Any
) -> None:
    org_admin_client.post(_role_url(organisation, viewer), {"role": "member"})
    assert Membership.objects.get(user=viewer).role == Role.MEMBER
    org_admin_client.post(_role_url(organisation, viewer), {"role": "owner"})
    assert Membership.objects.get(user=viewer).role == Role.MEMBER
    org_admin_client.post(_role_url(organisation, owner), {"role": "viewer"})
    assert Membership.objects.get(user=owner).role == Role.OWNER


def test_last_owner_cannot_step_down_or_leave_but_can_transfer(
    owner_client: Client, organisation: Organisation, owner: Any, org_admin: Any
) -> None:
    response = owner_client.post(_role_url(organisation, owner), {"role": "admin"}, follow=True)
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.get(user=owner).role == Role.OWNER
    owner_client.post(reverse("organisations:leave", kwargs={"slug": organisation.slug}))
    assert Membership.objects.filter(user=owner, organisation=organisation).exists()
    # Transfer: make the admin an owner, then step down.
    owner_client.post(_role_url(organisation, org_admin), {"role": "owner"})
    owner_client.post(_role_url(organisation, owner), {"role": "admin"})
    assert Membership.objects.get(user=org_admin).role == Role.OWNER
    assert Membership.objects.get(user=owner).role == Role.ADMIN


def test_member_can_leave(member_client: Client, organisation: Organisation, member: Any) -> None:
    response = member_client.post(reverse("organisations:leave", kwargs={"slug": organisation.slug}))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=member).exists()


def test_admin_removes_a_member_but_not_the_owner(
    org_admin_client: Client, organisation: Organisation, owner: Any, member: Any
) -> None:
    def remove_url(user: Any) -> str:
        pk = Membership.objects.get(user=user).pk
        return reverse("organisations:member_remove", kwargs={"slug": organisation.slug, "membership_id": pk})

    org_admin_client.post(remove_url(member))
    assert not Membership.objects.filter(user=member).exists()
    org_admin_client.post(remove_url(owner))
    assert Membership.objects.filter(user=owner).exists()


def test_create_organisation_makes_creator_owner(client_for: Any, outsider: Any) -> None:
    client = client_for(outsider)
    response = client.post(
        reverse("organisations:new"),
        {"name": "Green Fields", "kind": "social_enterprise", "mission": "Grow food."},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Green Fields")
    assert organisation.slug == "green-fields"
    assert Membership.objects.get(organisation=organisation).role == Role.OWNER


def test_owner_deletes_after_typing_the_name(owner_client: Client, organisation: Organisation) -> None:
    url = reverse("organisations:delete", kwargs={"slug": organisation.slug})
    owner_client.post(url, {"confirm_name": "wrong"})
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    owner_client.post(url, {"confirm_name": organisation.name})
    assert not Organisation.objects.filter(pk=organisation.pk).exists()


def test_member_list_is_one_query_per_page_part(
    viewer_client: Client,
    organisation: Organisation,
    member: Any,
    make_user: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(15):
        Membership.objects.create(user=make_user(f"extra{n}"), organisation=organisation, role=Role.VIEWER)
    with django_assert_max_num_queries(8):
        response = viewer_client.get(reverse("organisations:members", kwargs={"slug": organisation.slug}))
    assert response.status_code == 200
    assert response.content.decode().count("extra") >= 15


def test_home_lists_only_my_organisations(
    member_client: Client, organisation: Organisation, other_organisation: Organisation
) -> None:
    page = member_client.get(reverse("home:index")).content.decode()
    assert organisation.name in page
    assert other_organisation.name not in page


@pytest.mark.django_db
def test_service_refuses_a_second_accept(owner: Any, organisation: Organisation, make_user: Any) -> None:
    access = selectors.organisation_access(user=owner, slug=organisation.slug)
    tokens: list[str] = []
    services.invitation_send(
        access=access,
        email="x@example.org",
        role=Role.VIEWER,
        link_for=lambda t: tokens.append(t) or t,
        user=owner,
    )
    user = make_user("x", email="x@example.org")
    services.invitation_accept(token=tokens[0], user=user)
    with pytest.raises(services.OrganisationError, match="already been used"):
        services.invitation_accept(token=tokens[0], user=user)


def test_create_organisation_reports_profile_rules_on_the_field(client_for: Any, outsider: Any) -> None:
    response = client_for(outsider).post(
        reverse("organisations:new"), {"name": "Long", "kind": "other", "mission": "m" * 10001}
    )
    assert response.status_code == 200
    assert "mission" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Long").exists()


# --- invitations waiting on the home page ----------------------------------------------------------


def test_home_lists_my_open_invitations_with_accept(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    _invite(owner_client, organisation, "nina@example.org")
    _invite(owner_client, organisation, "someone-else@example.org")
    nina_client = client_for(make_user("nina", email="Nina@Example.org"))
    page = nina_client.get("/").content.decode()
    assert "Waiting for your answer" in page
    assert page.count("Harbor Health Alliance") >= 1
    invitation = Invitation.objects.get(email="nina@example.org")
    assert reverse("organisations:invitation_send_link", kwargs={"invitation_id": invitation.pk}) in page
    assert "someone-else@example.org" not in page
    # Expired, revoked or used invitations are not listed.
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "Waiting for your answer" not in nina_client.get("/").content.decode()


def test_accept_from_home_emails_a_fresh_link_that_joins(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    old_path = _invite(owner_client, organisation, "nina@example.org")
    nina = make_user("nina", email="nina@example.org")
    nina_client = client_for(nina)
    invitation = Invitation.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = nina_client.post(
            reverse("organisations:invitation_send_link", kwargs={"invitation_id": invitation.pk}),
            follow=True,
        )
    assert "We have emailed a link to nina@example.org" in response.content.decode()
    assert mail.outbox[-1].to == ["nina@example.org"]
    new_path = re.search(r"https?://testserver(\S+)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    assert new_path != old_path
    # Accepting by itself needs the emailed link: emails on accounts are not verified.
    assert not Membership.objects.filter(user=nina).exists()
    assert nina_client.post(new_path).status_code == 302
    assert Membership.objects.filter(user=nina, organisation=organisation).exists()
    assert "Waiting for your answer" not in nina_client.get("/").content.decode()


def test_cannot_ask_for_the_link_of_someone_elses_invitation(
    owner_client: Client, organisation: Organisation, outsider_client: Client
) -> None:
    _invite(owner_client, organisation, "nina@example.org")
    invitation = Invitation.objects.get()
    sent = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = outsider_client.post(
            reverse("organisations:invitation_send_link", kwargs={"invitation_id": invitation.pk}),
            follow=True,
        )
    assert "no longer open" in response.content.decode()
    assert len(mail.outbox) == sent
    assert Invitation.objects.get().token_hash == invitation.token_hash


def test_a_line_break_in_the_name_cannot_break_the_invitation_mail(
    owner_client: Client, organisation: Organisation
) -> None:
    """Security finding F10: the invitation is sent (no 500 after saving), the name kept in the subject."""
    Organisation.objects.filter(pk=organisation.pk).update(name="Input Org\nBcc: victim@example.org")
    _invite(owner_client, organisation, "nina@example.org")
    [message] = mail.outbox
    assert message.recipients() == ["nina@example.org"]
    assert "\n" not in message.subject
    assert "Input Org Bcc: victim@example[.]org" in message.subject  # on one line, the address defanged
    assert Invitation.objects.count() == 1
