"""Partners are equals: removing a partner, renaming or closing the partnership are proposals every other
partner confirms (typing a confirmation), any can decline, they expire, and everyone is emailed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from proposal_fixtures import (
    REASON,
    THIRD,
    answer,
    mails_by_recipient,
    member_of,
    propose_removal,
    row_counts,
)

from commonground.web.access import Role
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships import services
from commonground.web.partnerships.models import (
    MemberState,
    Partnership,
    PartnershipStatus,
    Proposal,
    ProposalKind,
    ProposalState,
)
from commonground.web.partnerships.selectors import partnership_access_for

pytestmark = pytest.mark.django_db


def test_no_partner_removes_another_with_one_click(
    trio: Partnership, organisation: Organisation, partner_admin_client: Client
) -> None:
    harbor = member_of(trio, organisation)
    before = row_counts()
    page = partner_admin_client.get(reverse("partnerships:detail", kwargs={"pk": trio.pk})).content.decode()
    # The only way to take Harbor out is to propose it; the one-click address of old is gone.
    propose = reverse("partnerships:propose_remove", kwargs={"pk": trio.pk, "member_id": harbor.pk})
    assert propose in page
    one_click = f"/partnerships/{trio.pk}/members/{harbor.pk}/remove/"
    assert one_click not in page
    assert partner_admin_client.post(one_click).status_code == 404
    harbor.refresh_from_db()
    assert harbor.state == MemberState.ACTIVE
    assert row_counts() == before


def test_in_a_partnership_of_two_neither_can_put_the_other_out(
    partnership: Partnership, organisation: Organisation, partner_organisation: Organisation, org_admin: Any,
    org_admin_client: Client,
) -> None:  # fmt: skip
    meadow = member_of(partnership, partner_organisation)
    url = reverse("partnerships:propose_remove", kwargs={"pk": partnership.pk, "member_id": meadow.pk})
    page = org_admin_client.get(url).content.decode()
    assert "With two partners, neither can put the other out" in page
    assert 'name="reason"' not in page  # no form to propose it
    org_admin_client.post(url, {"reason": "We want to go on alone."})
    access = partnership_access_for(user=org_admin, partnership_id=partnership.pk)
    with pytest.raises(services.PartnershipError, match="with two partners, neither can put the other out"):
        services.proposal_create(
            access=access, kind=ProposalKind.REMOVE, organisation_id=organisation.pk, reason="Alone.",
            subject=meadow, user=org_admin,
        )  # fmt: skip
    assert not Proposal.objects.exists()
    assert member_of(partnership, partner_organisation).state == MemberState.ACTIVE


def test_b_proposes_removing_c_a_confirms_and_everyone_is_emailed_at_each_step(
    trio: Partnership,
    organisation: Organisation,
    partner_organisation: Organisation,
    third_organisation: Organisation,
    owner: Any,
    org_admin: Any,
    member: Any,
    viewer: Any,
    partner_owner: Any,
    partner_admin: Any,
    third_owner: Any,
    make_user: Callable[..., Any],
    org_admin_client: Client,
    partner_admin_client: Client,
) -> None:
    unverified = make_user("uma-unverified", verified=False)
    Membership.objects.create(user=unverified, organisation=organisation, role=Role.ADMIN)
    third = member_of(trio, third_organisation)

    # B (Meadow) proposes; nothing happens to C yet; every partner's admins are told, C's too.
    response = propose_removal(partner_admin_client, trio, third, REASON)
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse(
        "partnerships:proposal", kwargs={"pk": trio.pk, "proposal_id": proposal.pk}
    )
    assert (proposal.state, proposal.proposer, proposal.subject) == ("open", partner_organisation, third)
    assert member_of(trio, third_organisation).state == MemberState.ACTIVE
    proposed = "Healthy Lunches: Meadow Grocers proposes to remove Third Sector Trust from the partnership"
    admins = [owner, org_admin, partner_owner, partner_admin, third_owner]
    assert mails_by_recipient() == {user.email: [proposed] for user in admins}
    body = mail.outbox[0].body
    assert REASON in body
    assert "every other partner confirms it" in body
    assert "Harbor Health Alliance" in body  # who must confirm
    assert f"/partnerships/{trio.pk}/proposals/{proposal.pk}/" in body

    # Only A (Harbor) is asked: B proposed it and C is its subject.
    page = org_admin_client.get(
        reverse("partnerships:proposal", kwargs={"pk": trio.pk, "proposal_id": proposal.pk})
    ).content.decode()
    assert "To confirm, type “Third Sector Trust”" in page
    assert "Not answered yet" in page
    assert (
        'name="answer" value="confirm"'
        not in partner_admin_client.get(
            reverse("partnerships:proposal", kwargs={"pk": trio.pk, "proposal_id": proposal.pk})
        ).content.decode()
    )

    # A confirms, typing C's name: carried in the same request, C is removed, nothing deleted.
    mail.outbox.clear()
    page = answer(org_admin_client, proposal, answer="confirm", typed_confirmation=THIRD).content.decode()
    assert "Confirmed, and carried" in page
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CARRIED
    removed = member_of(trio, third_organisation)
    assert removed.state == MemberState.REMOVED
    assert removed.end_reason == REASON
    assert removed.ended_at is not None
    outcome = "Healthy Lunches: Third Sector Trust is removed from the partnership"
    assert mails_by_recipient() == {user.email: [outcome] for user in admins}
    assert member.email not in mails_by_recipient()
    assert viewer.email not in mails_by_recipient()
    assert unverified.email not in mails_by_recipient()
    body = mail.outbox[0].body
    assert "Harbor Health Alliance: Confirmed (adam-admin" in body
    assert f"/partnerships/{trio.pk}/record/" in body

    history = org_admin_client.get(reverse("partnerships:history", kwargs={"pk": trio.pk})).content.decode()
    assert "Meadow Grocers proposed to remove Third Sector Trust from the partnership" in history
    assert "Harbor Health Alliance confirmed the proposal" in history
    assert (
        "Removed Third Sector Trust, as Meadow Grocers proposed and every other partner confirmed" in history
    )


def test_with_four_partners_each_other_partner_must_confirm_and_is_told_of_each_answer(
    trio: Partnership,
    organisation: Organisation,
    third_organisation: Organisation,
    make_user: Callable[..., Any],
    client_for: Callable[[Any], Client],
    org_admin_client: Client,
    partner_admin_client: Client,
    removal_proposal: Proposal,
) -> None:
    fourth_owner = make_user("fran-fourth")
    from commonground.core.profiles import Profile
    from commonground.web.organisations import services as organisation_services

    fourth = organisation_services.organisation_create(
        user=fourth_owner,
        profile=Profile.model_validate({"name": "Fourth Fund", "kind": "nonprofit", "mission": "Fund."}),
    )
    trio.members.create(organisation=fourth, state=MemberState.ACTIVE)
    proposal = removal_proposal
    mail.outbox.clear()
    answer(org_admin_client, proposal, answer="confirm", typed_confirmation=THIRD)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.OPEN  # Fourth Fund has not answered yet
    assert member_of(trio, third_organisation).state == MemberState.ACTIVE
    subjects = {subject for subjects in mails_by_recipient().values() for subject in subjects}
    assert subjects == {
        "Healthy Lunches: Harbor Health Alliance confirmed the proposal to remove Third Sector Trust from "
        "the partnership"
    }
    answer(client_for(fourth_owner), proposal, answer="confirm", typed_confirmation=THIRD)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CARRIED
    assert member_of(trio, third_organisation).state == MemberState.REMOVED


def test_confirming_needs_the_name_typed_and_a_partner_answers_once(
    trio: Partnership,
    third_organisation: Organisation,
    org_admin_client: Client,
    partner_admin_client: Client,
    removal_proposal: Proposal,
) -> None:
    proposal = removal_proposal
    page = answer(org_admin_client, proposal, answer="confirm", typed_confirmation="third sector").content
    assert "To confirm, type “Third Sector Trust” exactly." in page.decode()
    assert not proposal.votes.exists()
    assert member_of(trio, third_organisation).state == MemberState.ACTIVE
    # The proposer is not asked, so it cannot "confirm" its own proposal.
    page = answer(partner_admin_client, proposal, answer="confirm", typed_confirmation=THIRD).content
    assert "None of your organisations has this proposal to answer." in page.decode()
    assert not proposal.votes.exists()


def test_any_partner_can_decline_which_ends_it(
    trio: Partnership,
    third_organisation: Organisation,
    org_admin_client: Client,
    partner_admin_client: Client,
    third_owner: Any,
    removal_proposal: Proposal,
) -> None:
    proposal = removal_proposal
    mail.outbox.clear()
    page = answer(org_admin_client, proposal, answer="decline", reason="They run our summer camp.").content
    assert "Declined: the proposal is ended and nothing changes." in page.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECLINED
    assert member_of(trio, third_organisation).state == MemberState.ACTIVE
    declined = (
        "Healthy Lunches: Harbor Health Alliance declined the proposal to remove Third Sector Trust from "
        "the partnership"
    )
    assert mails_by_recipient()[third_owner.email] == [declined]
    assert "They run our summer camp." in mail.outbox[0].body
    # Ended: no more answers.
    page = answer(org_admin_client, proposal, answer="confirm", typed_confirmation=THIRD).content.decode()
    assert "None of your organisations has this proposal to answer." in page


def test_only_the_proposer_withdraws(
    trio: Partnership,
    third_organisation: Organisation,
    org_admin_client: Client,
    partner_admin_client: Client,
    removal_proposal: Proposal,
) -> None:
    proposal = removal_proposal
    url = reverse("partnerships:proposal_withdraw", kwargs={"pk": trio.pk, "proposal_id": proposal.pk})
    page = org_admin_client.post(url, follow=True).content.decode()
    assert "Only an admin of the organisation that proposed it can withdraw it." in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        partner_admin_client.post(url)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert mail.outbox[-1].subject == (
        "Healthy Lunches: Meadow Grocers withdrew the proposal to remove Third Sector Trust from the "
        "partnership"
    )


def test_a_proposal_needs_a_reason_and_is_not_made_twice(
    trio: Partnership,
    third_organisation: Organisation,
    partner_admin_client: Client,
    org_admin_client: Client,
) -> None:
    third = member_of(trio, third_organisation)
    page = propose_removal(partner_admin_client, trio, third, "   ")
    assert page.status_code == 200
    assert "Give the other partners your reason." in page.content.decode()
    assert not Proposal.objects.exists()
    propose_removal(partner_admin_client, trio, third, REASON)
    # A second partner asking for the same thing is sent to the open proposal instead.
    url = reverse("partnerships:propose_remove", kwargs={"pk": trio.pk, "member_id": third.pk})
    response = org_admin_client.get(url)
    assert response["Location"] == reverse(
        "partnerships:proposal", kwargs={"pk": trio.pk, "proposal_id": Proposal.objects.get().pk}
    )
    assert Proposal.objects.count() == 1


def test_proposals_expire_and_expired_ones_cannot_be_carried(
    trio: Partnership,
    third_organisation: Organisation,
    org_admin_client: Client,
    partner_admin_client: Client,
    removal_proposal: Proposal,
) -> None:
    proposal = removal_proposal
    assert proposal.expires_at - proposal.created_at == timedelta(days=14)
    Proposal.objects.filter(pk=proposal.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    detail = reverse("partnerships:proposal", kwargs={"pk": trio.pk, "proposal_id": proposal.pk})
    page = org_admin_client.get(detail).content.decode()
    assert "<strong>Expired.</strong>" in page
    assert 'value="confirm"' not in page
    mail.outbox.clear()
    answer(org_admin_client, proposal, answer="confirm", typed_confirmation=THIRD)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.EXPIRED
    assert member_of(trio, third_organisation).state == MemberState.ACTIVE
    expired = "Healthy Lunches: the proposal to remove Third Sector Trust from the partnership expired"
    assert {subject for subjects in mails_by_recipient().values() for subject in subjects} == {expired}


def test_the_daily_command_expires_due_proposals_and_emails_everyone(
    removal_proposal: Proposal, third_owner: Any
) -> None:
    Proposal.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    mail.outbox.clear()
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("expire_proposals", stdout=out)
    assert out.getvalue().strip() == "1 proposal expired."
    assert Proposal.objects.get().state == ProposalState.EXPIRED
    assert len(mails_by_recipient()[third_owner.email]) == 1
    assert "http://localhost:8000/partnerships/" in mail.outbox[0].body  # COMMONGROUND_SITE_URL by default


def test_renaming_is_a_proposal_carried_only_when_every_other_partner_confirms(
    trio: Partnership,
    org_admin_client: Client,
    partner_admin_client: Client,
    client_for: Callable[[Any], Client],
    third_owner: Any,
) -> None:
    url = reverse("partnerships:propose_rename", kwargs={"pk": trio.pk})
    with TestCase.captureOnCommitCallbacks(execute=True):
        partner_admin_client.post(url, {"new_name": "Lunches for All", "reason": "Shorter and warmer."})
    proposal = Proposal.objects.get()
    trio.refresh_from_db()
    assert trio.name == "Healthy Lunches"
    assert mail.outbox[0].subject == (
        "Healthy Lunches: Meadow Grocers proposes to rename the partnership to Lunches for All"
    )
    answer(org_admin_client, proposal, answer="confirm", typed_confirmation="Healthy Lunches")
    trio.refresh_from_db()
    assert trio.name == "Healthy Lunches"  # Third Sector Trust has not confirmed yet
    mail.outbox.clear()
    answer(client_for(third_owner), proposal, answer="confirm", typed_confirmation="Healthy Lunches")
    trio.refresh_from_db()
    assert trio.name == "Lunches for All"
    assert mail.outbox[0].subject == "Healthy Lunches: the partnership is now called Lunches for All"
    # The settings page no longer renames directly.
    org_admin_client.post(
        reverse("partnerships:edit", kwargs={"pk": trio.pk}), {"name": "Sneaky", "version": trio.version}
    )
    trio.refresh_from_db()
    assert trio.name == "Lunches for All"


def test_a_new_name_cannot_carry_line_breaks(trio: Partnership, partner_admin_client: Client) -> None:
    url = reverse("partnerships:propose_rename", kwargs={"pk": trio.pk})
    page = partner_admin_client.post(url, {"new_name": "Lunches\rBcc: x@example.org", "reason": "x"})
    assert "A name cannot contain line breaks or control characters." in page.content.decode()
    assert not Proposal.objects.exists()


def test_email_subjects_stay_on_one_line_whatever_an_organisation_is_called(
    trio: Partnership, partner_organisation: Organisation, third_organisation: Organisation,
    partner_admin_client: Client,
) -> None:  # fmt: skip
    Organisation.objects.filter(pk=partner_organisation.pk).update(name="Meadow\nBcc: victim@example.org")
    propose_removal(partner_admin_client, trio, member_of(trio, third_organisation), REASON)
    assert mail.outbox
    assert all("\n" not in message.subject for message in mail.outbox)
    assert mail.outbox[0].subject.startswith("Healthy Lunches: Meadow Bcc: victim@example.org proposes")


def test_closing_is_a_proposal_and_a_closed_partnership_is_read_only(
    trio: Partnership,
    organisation: Organisation,
    org_admin_client: Client,
    partner_admin_client: Client,
    client_for: Callable[[Any], Client],
    third_owner: Any,
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        partner_admin_client.post(
            reverse("partnerships:propose_close", kwargs={"pk": trio.pk}), {"reason": "The pilot is over."}
        )
    proposal = Proposal.objects.get()
    for client in (org_admin_client, client_for(third_owner)):
        answer(client, proposal, answer="confirm", typed_confirmation="Healthy Lunches")
    trio.refresh_from_db()
    assert trio.status == PartnershipStatus.CLOSED
    assert mail.outbox[-1].subject == "Healthy Lunches: the partnership is closed"
    page = org_admin_client.get(reverse("partnerships:detail", kwargs={"pk": trio.pk})).content.decode()
    assert "The partners closed this partnership: it is kept read only, as a record." in page
    assert "(closed)" in org_admin_client.get(reverse("partnerships:list")).content.decode()
    before = row_counts()
    for name in ("assessments:run", "partnerships:initiative_new", "partnerships:propose_rename"):
        assert org_admin_client.post(reverse(name, kwargs={"pk": trio.pk}), {}).status_code == 403, name
    assert row_counts() == before


def test_a_sole_partner_renames_at_once(
    organisation: Organisation, org_admin: Any, org_admin_client: Client
) -> None:
    from commonground.web.organisations.selectors import organisation_access

    partnership = services.partnership_create(
        org_access=organisation_access(user=org_admin, slug=organisation.slug),
        name="Draft",
        description="",
        user=org_admin,
    )
    org_admin_client.post(
        reverse("partnerships:propose_rename", kwargs={"pk": partnership.pk}),
        {"new_name": "School Food Pilot", "reason": "A real name."},
    )
    partnership.refresh_from_db()
    assert partnership.name == "School Food Pilot"
    assert Proposal.objects.get().state == ProposalState.CARRIED


def test_who_may_see_propose_and_answer(
    trio: Partnership,
    third_organisation: Organisation,
    partner_admin_client: Client,
    member_client: Client,
    viewer_client: Client,
    outsider_client: Client,
    facilitator_client: Client,
    anonymous_client: Client,
) -> None:
    third = member_of(trio, third_organisation)
    propose_removal(partner_admin_client, trio, third, REASON)
    proposal = Proposal.objects.get()
    kwargs = {"pk": trio.pk, "proposal_id": proposal.pk}
    detail = reverse("partnerships:proposal", kwargs=kwargs)
    answer_url = reverse("partnerships:proposal_answer", kwargs=kwargs)
    propose_url = reverse("partnerships:propose_remove", kwargs={"pk": trio.pk, "member_id": third.pk})
    confirm = {"answer": "confirm", "typed_confirmation": THIRD}
    before = row_counts()
    rows = [
        # (who, method, url, expected status)
        ("outsider", outsider_client, "get", detail, 404),
        ("outsider", outsider_client, "post", answer_url, 404),
        ("outsider", outsider_client, "post", propose_url, 404),
        ("member (no admin rights)", member_client, "post", answer_url, 403),
        ("member (no admin rights)", member_client, "post", propose_url, 403),
        ("viewer", viewer_client, "get", detail, 200),
        ("viewer", viewer_client, "post", answer_url, 403),
        ("facilitator", facilitator_client, "get", detail, 200),
        ("facilitator", facilitator_client, "post", answer_url, 403),
        ("anonymous", anonymous_client, "post", answer_url, 302),
    ]
    for who, client, method, url, expected in rows:
        response = client.get(url) if method == "get" else client.post(url, confirm | {"reason": REASON})
        assert response.status_code == expected, (who, url)
    assert row_counts() == before
    assert proposal.votes.count() == 0
    assert Proposal.objects.get().state == ProposalState.OPEN


def test_the_partnerships_list_shows_proposals_to_answer_in_bounded_queries(
    trio: Partnership,
    third_organisation: Organisation,
    org_admin_client: Client,
    partner_admin_client: Client,
    django_assert_max_num_queries: Any,
    removal_proposal: Proposal,
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        partner_admin_client.post(
            reverse("partnerships:propose_close", kwargs={"pk": trio.pk}), {"reason": "Done."}
        )
    with django_assert_max_num_queries(14):
        page = org_admin_client.get(reverse("partnerships:list")).content.decode()
    assert "Proposals waiting for your answer" in page
    assert (
        "Healthy Lunches: Meadow Grocers proposes to remove Third Sector Trust from the partnership" in page
    )
    assert "Healthy Lunches: Meadow Grocers proposes to close the partnership" in page
    # The proposer has nothing to answer.
    assert (
        "Proposals waiting for your answer"
        not in partner_admin_client.get(reverse("partnerships:list")).content.decode()
    )
