"""Emailed partnership invitations: who gets which email, signing up from the link, choosing the
organisation that joins, single use, expiry, withdrawal, declining, and who may answer at all.

Rule under test (documented in web/README.md): an invitation is accepted only by an account whose email
address is the invited one; holding the emailed link proves that mailbox (and so verifies the address),
and an account whose address is already verified may answer from its own list by id. The link alone
may decline. Everyone else gets 404 by id, or a refusal through the link, and nothing changes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from invitation_links import invite, mails_to, post, send

from commonground.core.profiles import Profile
from commonground.web.access import Role
from commonground.web.accounts.selectors import email_is_verified
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import (
    Facilitator,
    FacilitatorState,
    MemberState,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    PartnershipStatus,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough test passphrase"


def _org(user: Any, name: str) -> Organisation:
    profile = Profile.model_validate({"name": name, "kind": "nonprofit", "mission": f"{name} helps."})
    return organisation_services.organisation_create(user=user, profile=profile)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _new_organisation(name: str) -> dict[str, str]:
    return {
        "answer": "accept",
        "organisation": "new",
        "new-name": name,
        "new-kind": "company",
        "new-mission": "Football for every child in Northfield.",
    }


def test_a_new_person_signs_up_from_the_emailed_link_and_joins_with_a_new_organisation(
    org_admin_client: Client, org_admin: Any, partnership: Partnership, anonymous_client: Client
) -> None:
    path = invite(org_admin_client, partnership, "kai@club.example")
    [message] = mails_to("kai@club.example")
    assert message.subject == (
        "“Harbor Health Alliance” invites you to the partnership “Healthy Lunches” on Common Ground"
    )
    assert "Partners so far: “Harbor Health Alliance”, “Meadow Grocers”." in message.body
    assert "School food." in message.body  # the partnership's description
    invitation = PartnershipInvitation.objects.get()
    assert path.split("/")[-2] not in invitation.token_hash  # only a hash of the token is stored
    assert invitation.expires_at - invitation.sent_at == timedelta(days=14)

    # Anyone holding the link sees who invites, to what and with whom, and how to answer.
    page = anonymous_client.get(path).content.decode()
    for text in ("Harbor Health Alliance invites", "Meadow Grocers", "Healthy Lunches", "kai@club.example"):
        assert text in page
    sign_up = re.search(r'href="(/accounts/sign-up/\?[^"]+)"', page)
    assert sign_up is not None
    sign_up_url = html.unescape(sign_up.group(1))
    assert 'value="kai@club.example"' in anonymous_client.get(sign_up_url).content.decode()

    # Signing up from the invitation comes back to it, then the new organisation is created and joins.
    response = anonymous_client.post(
        sign_up_url,
        {"username": "kai", "email": "kai@club.example", "password1": PASSWORD, "password2": PASSWORD,
         "next": path},
    )  # fmt: skip
    assert response["Location"] == path
    page = anonymous_client.get(path).content.decode()
    assert "Your organisation" in page  # no organisation yet: the page asks for a new one
    response = post(anonymous_client, path, _new_organisation("Northfield City FC"))
    assert response["Location"] == _detail(partnership)

    kai = get_user_model().objects.get(username="kai")
    club = Organisation.objects.get(name="Northfield City FC")
    assert Membership.objects.get(user=kai, organisation=club).role == Role.OWNER
    assert (
        PartnershipMember.objects.get(partnership=partnership, organisation=club).state == MemberState.ACTIVE
    )
    assert email_is_verified(user=kai)  # the emailed link proved the address
    invitation.refresh_from_db()
    assert (invitation.state, invitation.joined_organisation, invitation.answered_by) == (
        "accepted",
        club,
        kai,
    )
    assert anonymous_client.get(_detail(partnership)).status_code == 200

    # The inviter is emailed, and sees the state on the partnership page.
    [note] = mails_to(org_admin.email)
    assert note.subject == "Northfield City FC accepted your invitation to “Healthy Lunches”"
    assert f"/partnerships/{partnership.pk}/" in note.body
    detail = _text(org_admin_client.get(_detail(partnership)))
    assert "kai@club.example</strong>, as partner: accepted" in detail
    assert "(Northfield City FC joined)" in detail


def test_the_link_works_once(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any], client_for: Any
) -> None:
    path = invite(org_admin_client, partnership, "ivy@example.org")
    ivy = make_user("ivy", email="ivy@example.org")
    first, second = _org(ivy, "First Fund"), _org(ivy, "Second Fund")
    ivy_client = client_for(ivy)
    post(ivy_client, path, {"answer": "accept", "organisation": str(first.pk)})
    assert PartnershipMember.objects.get(organisation=first).state == MemberState.ACTIVE

    before = _row_counts()
    response = post(ivy_client, path, {"answer": "accept", "organisation": str(second.pk)})
    assert response.status_code == 200
    assert "This invitation has been accepted" in response.content.decode()
    assert post(ivy_client, path, {"answer": "decline"}).status_code == 200
    assert _row_counts() == before
    assert not PartnershipMember.objects.filter(organisation=second).exists()


def test_only_the_organisations_the_invitee_administers_are_offered_and_no_other_can_join(
    org_admin_client: Client,
    partnership: Partnership,
    make_user: Callable[..., Any],
    client_for: Any,
    other_organisation: Organisation,
) -> None:
    person = make_user("sam-several")
    runs, views = _org(person, "First Fund"), _org(make_user("someone"), "Viewed Fund")
    Membership.objects.create(user=person, organisation=views, role=Role.VIEWER)
    path = invite(org_admin_client, partnership, person.email)
    client = client_for(person)
    choices = re.search(r'<form method="post" novalidate>.*?</form>', client.get(path).content.decode(), re.S)
    assert choices is not None
    assert "First Fund" in choices.group(0)
    assert "Viewed Fund" not in choices.group(0)  # a viewer cannot bring an organisation in
    assert other_organisation.name not in choices.group(0)  # never anyone else's organisations

    before = _row_counts()
    for smuggled in (views, other_organisation):
        response = post(client, path, {"answer": "accept", "organisation": str(smuggled.pk)})
        assert response.status_code == 200
    assert _row_counts() == before
    assert PartnershipInvitation.objects.get().state == "pending"
    post(client, path, {"answer": "accept", "organisation": str(runs.pk)})
    assert PartnershipMember.objects.get(organisation=runs).state == MemberState.ACTIVE


def test_an_account_with_another_address_cannot_accept_through_the_link(
    org_admin_client: Client, partnership: Partnership, outsider_client: Client, outsider: Any
) -> None:
    path = invite(org_admin_client, partnership, "kai@club.example")
    page = outsider_client.get(path).content.decode()
    assert "Only an account with the address kai@club.example can accept" in page
    assert "Accept and join" not in page
    before = _row_counts()
    response = post(outsider_client, path, _new_organisation("Squatter FC"), follow=True)
    assert "only an account with that address can accept it" in response.content.decode()
    assert _row_counts() == before


def test_a_link_does_not_take_an_address_another_account_has_verified(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any], client_for: Any
) -> None:
    make_user("kai-real", email="kai@club.example")  # verified
    squatter = make_user("kai-squatter", email="kai@club.example", verified=False)
    path = invite(org_admin_client, partnership, "kai@club.example")
    squatter_client = client_for(squatter)
    before = _row_counts()
    response = post(squatter_client, path, _new_organisation("Squatter FC"), follow=True)
    assert "is the verified address of another account" in response.content.decode()
    assert _row_counts() == before
    assert not email_is_verified(user=squatter)


def test_an_expired_link_shows_a_clear_page_and_changes_nothing(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any], client_for: Any
) -> None:
    path = invite(org_admin_client, partnership, "late@example.org")
    PartnershipInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    late = make_user("late", email="late@example.org")
    _org(late, "Late Trust")
    client = client_for(late)
    page = _text(client.get(path))
    assert "This invitation has expired" in page
    assert "Ask Harbor Health Alliance (adam-admin) to send you a new one" in page
    before = _row_counts()
    post(client, path, _new_organisation("Late FC"))
    assert _row_counts() == before
    assert "late@example.org</strong>, as partner: expired" in _text(
        org_admin_client.get(_detail(partnership))
    )


def test_a_withdrawn_invitation_link_stops_working(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any], client_for: Any
) -> None:
    path = invite(org_admin_client, partnership, "nina@example.org")
    invitation = PartnershipInvitation.objects.get()
    revoke = reverse(
        "partnerships:invitation_revoke", kwargs={"pk": partnership.pk, "invite_id": invitation.pk}
    )
    assert org_admin_client.post(revoke).status_code == 302
    assert "nina@example.org</strong>, as partner: withdrawn" in _text(
        org_admin_client.get(_detail(partnership))
    )
    nina = make_user("nina", email="nina@example.org")
    client = client_for(nina)
    assert "This invitation was withdrawn" in _text(client.get(path))
    before = _row_counts()
    post(client, path, _new_organisation("Nina Trust"))
    assert _row_counts() == before
    again = org_admin_client.post(revoke, follow=True)
    assert "no longer pending" in _text(again)


def test_declining_through_the_link_needs_no_account_and_tells_the_inviter(
    org_admin_client: Client, org_admin: Any, partnership: Partnership, anonymous_client: Client
) -> None:
    path = invite(org_admin_client, partnership, "kai@club.example")
    response = post(anonymous_client, path, {"answer": "decline"})
    assert response["Location"] == path
    assert "This invitation was declined" in _text(anonymous_client.get(path))
    [note] = mails_to(org_admin.email)
    assert note.subject == "Your invitation to “Healthy Lunches” was declined"
    assert "kai@club.example" in note.body
    assert "kai@club.example</strong>, as partner: declined" in _text(
        org_admin_client.get(_detail(partnership))
    )
    history = _text(org_admin_client.get(reverse("partnerships:history", kwargs={"pk": partnership.pk})))
    assert "An invitation of a partner organisation was declined" in history
    assert not PartnershipMember.objects.filter(partnership=partnership).exclude(state=MemberState.ACTIVE)


def test_a_facilitator_is_invited_by_email_and_answers_from_their_list(
    org_admin_client: Client,
    org_admin: Any,
    partnership: Partnership,
    make_user: Callable[..., Any],
    client_for: Any,
) -> None:
    nina = make_user("nina-neutral", email="nina@facilitate.example")
    invite(org_admin_client, partnership, "nina@facilitate.example", kind="facilitator")
    [message] = mails_to("nina@facilitate.example")
    assert message.subject == (
        "“Harbor Health Alliance” invites you to facilitate the partnership “Healthy Lunches” "
        "on Common Ground"
    )
    assert "never their organisations' own pages" in message.body
    client = client_for(nina)
    assert client.get(_detail(partnership)).status_code == 404  # nothing before accepting
    listing = client.get(reverse("partnerships:list")).content.decode()
    invitation = PartnershipInvitation.objects.get()
    by_id = reverse("partnerships:invitation", kwargs={"invite_id": invitation.pk})
    assert by_id in listing
    response = post(client, by_id, {"answer": "accept"})
    assert response["Location"] == _detail(partnership)
    assert Facilitator.objects.get(partnership=partnership, user=nina).state == FacilitatorState.ACTIVE
    assert "Facilitator (read only)" in client.get(_detail(partnership)).content.decode()
    [note] = mails_to(org_admin.email)
    assert note.subject == "nina-neutral accepted your invitation to “Healthy Lunches”"


def test_an_invitation_by_id_is_only_for_its_verified_address(
    org_admin_client: Client,
    partnership: Partnership,
    make_user: Callable[..., Any],
    client_for: Any,
    outsider_client: Client,
    partner_admin_client: Client,
) -> None:
    invite(org_admin_client, partnership, "kai@club.example")
    invitation = PartnershipInvitation.objects.get()
    by_id = reverse("partnerships:invitation", kwargs={"invite_id": invitation.pk})
    squatter = make_user("kai-squatter", email="kai@club.example", verified=False)
    clients = (outsider_client, partner_admin_client, org_admin_client, client_for(squatter))
    before = _row_counts()
    for client in clients:
        assert client.get(by_id).status_code == 404  # guessing ids reaches nothing
        assert post(client, by_id, _new_organisation("Guessed FC")).status_code == 404
        assert by_id not in client.get(reverse("partnerships:list")).content.decode()
    assert _row_counts() == before
    kai = make_user("kai", email="kai@club.example")  # verifying takes the address from the squatter
    assert client_for(kai).get(by_id).status_code == 200


def test_sending_again_replaces_the_link_and_cannot_flood_an_inbox(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any], client_for: Any
) -> None:
    old_path = invite(org_admin_client, partnership, "kai@club.example")
    response = send(org_admin_client, partnership, "kai@club.example")
    assert "moments ago" in _text(org_admin_client.get(response["Location"]))
    assert len(mails_to("kai@club.example")) == 1
    PartnershipInvitation.objects.update(sent_at=timezone.now() - timedelta(minutes=3))
    new_path = invite(org_admin_client, partnership, "kai@club.example")
    assert len(mails_to("kai@club.example")) == 2
    assert PartnershipInvitation.objects.count() == 1
    assert client_for(make_user("anyone")).get(old_path).status_code == 404
    assert "This invitation link is not valid" in _text(Client().get(old_path))
    assert Client().get(new_path).status_code == 200


def test_a_partnership_sends_a_bounded_number_of_invitations_a_day(
    org_admin_client: Client, partnership: Partnership, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonground.web.partnerships.services import invitations

    monkeypatch.setattr(invitations, "DAILY_LIMIT", 2)
    for n in range(3):
        response = send(org_admin_client, partnership, f"person{n}@example.org")
    assert "sent 2 invitations in the last 24 hours" in _text(org_admin_client.get(response["Location"]))
    assert mails_to("person2@example.org") == []


def test_a_closed_partnership_takes_no_invitations_and_accepts_none(
    org_admin_client: Client, partnership: Partnership, make_user: Callable[..., Any], client_for: Any
) -> None:
    path = invite(org_admin_client, partnership, "kai@club.example")
    Partnership.objects.filter(pk=partnership.pk).update(status=PartnershipStatus.CLOSED)
    mail.outbox.clear()
    # A closed partnership is read only for every partner (its admins are viewers now): no sending at all.
    assert send(org_admin_client, partnership, "nina@example.org").status_code == 403
    assert "Invite an organisation" not in _text(org_admin_client.get(_detail(partnership)))
    assert mail.outbox == []
    kai_client = client_for(make_user("kai", email="kai@club.example"))
    before = _row_counts()
    assert "is closed" in _text(post(kai_client, path, _new_organisation("Kai FC"), follow=True))
    assert _row_counts() == before


def test_an_admin_of_two_partners_chooses_on_whose_behalf_to_invite(
    org_admin_client: Client,
    org_admin: Any,
    partnership: Partnership,
    partner_organisation: Organisation,
    other_organisation: Organisation,
) -> None:
    Membership.objects.create(user=org_admin, organisation=partner_organisation, role=Role.ADMIN)
    page = org_admin_client.get(_detail(partnership)).content.decode()
    assert "On behalf of" in page
    send(org_admin_client, partnership, "kai@club.example", organisation=partner_organisation.pk)
    assert mails_to("kai@club.example")[-1].subject.startswith("“Meadow Grocers” invites you")
    response = send(org_admin_client, partnership, "nina@example.org", organisation=other_organisation.pk)
    assert "Select a valid choice" in _text(org_admin_client.get(response["Location"]))
    assert mails_to("nina@example.org") == []


def test_names_with_line_breaks_cannot_break_the_mail_header(
    org_admin_client: Client, partnership: Partnership
) -> None:
    Partnership.objects.filter(pk=partnership.pk).update(name="Healthy\nBcc: victim@example.org\rLunches")
    invite(org_admin_client, partnership, "kai@club.example")
    [message] = mails_to("kai@club.example")
    assert "\n" not in message.subject
    assert "\r" not in message.subject
    assert message.recipients() == ["kai@club.example"]


def test_names_and_description_are_shown_as_data_with_no_link_but_ours(
    org_admin_client: Client, partnership: Partnership
) -> None:
    """Security finding F6: an invitation cannot be turned into a phishing mail from our sender."""
    Partnership.objects.filter(pk=partnership.pk).update(
        name="Grants\nat www.evil.example", description="Claim it: https://evil.example/pay now."
    )
    invite(org_admin_client, partnership, "kai@club.example")
    [message] = mails_to("kai@club.example")
    assert "“Grants at www[.]evil[.]example”" in message.subject
    assert "“Grants at www[.]evil[.]example”" in message.body
    assert "Claim it: https[:]//evil[.]example/pay now." in message.body
    assert [link.split("/")[2] for link in re.findall(r"\b\w+://\S+", message.body)] == ["testserver"]


def test_withdrawing_reaches_only_the_partnerships_own_invitations(
    org_admin_client: Client,
    partnership: Partnership,
    outsider: Any,
    other_organisation: Organisation,
    client_for: Any,
) -> None:
    elsewhere = Partnership.objects.create(name="Elsewhere", created_by=outsider)
    PartnershipMember.objects.create(partnership=elsewhere, organisation=other_organisation, state="active")
    invite(client_for(outsider), elsewhere, "kai@club.example")
    foreign = PartnershipInvitation.objects.get(partnership=elsewhere)
    url = reverse("partnerships:invitation_revoke", kwargs={"pk": partnership.pk, "invite_id": foreign.pk})
    assert org_admin_client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == "pending"


def _detail(partnership: Partnership) -> str:
    return reverse("partnerships:detail", kwargs={"pk": partnership.pk})


def _text(response: Any) -> str:
    """The page's HTML with every run of whitespace made one space (layout newlines do not matter)."""
    return " ".join(response.content.decode().split())
