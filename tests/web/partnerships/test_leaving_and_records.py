"""A partner may always leave by itself; a partner that left or was removed keeps read access to its record
of the partnership (how it went, the proposal with reasons and answers, what it contributed), and nothing
it contributed is deleted. A removed partner comes back only through a new invitation it accepts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from invitation_links import invite, post
from proposal_fixtures import (
    REASON,
    THIRD,
    answer,
    mails_by_recipient,
    member_of,
    row_counts,
)

from commonground.web.access import Role
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.assessments.presentation import BODY_FORMAT
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.organisations.selectors import OrgAccess
from commonground.web.partnerships import services
from commonground.web.partnerships.models import (
    Initiative,
    InitiativeScore,
    MemberState,
    Partnership,
    PartnershipInvitation,
    Proposal,
    ProposalKind,
    ProposalState,
)
from commonground.web.partnerships.selectors import partnership_access_for

pytestmark = pytest.mark.django_db


def _snapshot(partnership: Partnership, *organisations: Organisation) -> AssessmentSnapshot:
    versions = [
        {"organisation_id": o.pk, "name": o.name, "version": 1, "fingerprint": "x"} for o in organisations
    ]
    return AssessmentSnapshot.objects.create(
        partnership=partnership, result={}, score=48.6, verdict="at_risk", profile_versions=versions,
        body_html="<p>Stored body.</p>", body_format=BODY_FORMAT,
    )  # fmt: skip


@pytest.fixture
def removed(
    trio: Partnership,
    organisation: Organisation,
    partner_organisation: Organisation,
    third_organisation: Organisation,
    third_owner: Any,
    org_admin_client: Client,
    initiative: Initiative,
    removal_proposal: Proposal,
) -> dict[str, Any]:
    """Meadow proposed removing Third Sector Trust, which scored an initiative and was assessed; then
    Harbor confirmed."""
    services.initiative_score_set(
        access=partnership_access_for(user=third_owner, partnership_id=trio.pk),
        initiative=initiative,
        organisation_id=third_organisation.pk,
        economic_value=4,
        user=third_owner,
    )
    with_third = _snapshot(trio, organisation, partner_organisation, third_organisation)
    answer(org_admin_client, removal_proposal, answer="confirm", typed_confirmation=THIRD)
    without_third = _snapshot(trio, organisation, partner_organisation)
    return {"proposal": removal_proposal, "with": with_third, "without": without_third}


def test_the_removed_partner_reads_its_record_and_nothing_else_of_the_partnership(
    trio: Partnership,
    removed: dict[str, Any],
    third_organisation: Organisation,
    third_owner: Any,
    make_user: Callable[..., Any],
    client_for: Callable[[Any], Client],
    org_admin_client: Client,
) -> None:
    third_viewer = make_user("tess-third-viewer")
    Membership.objects.create(user=third_viewer, organisation=third_organisation, role=Role.VIEWER)
    later = Proposal.objects.create(
        partnership=trio, kind=ProposalKind.CLOSE, proposer_name="Harbor Health Alliance",
        old_name=trio.name, reason="Later.", expires_at=timezone.now() + timezone.timedelta(days=1),
    )  # fmt: skip
    pk, proposal = trio.pk, removed["proposal"]
    clients = {user.username: client_for(user) for user in (third_owner, third_viewer)}
    rows = [
        # The record: read only.
        ("partnerships:record", {}, "get", 200),
        ("partnerships:record_assessment", {"snapshot_id": removed["with"].pk}, "get", 200),
        ("partnerships:record_assessment", {"snapshot_id": removed["without"].pk}, "get", 404),
        ("partnerships:proposal", {"proposal_id": proposal.pk}, "get", 200),
        ("partnerships:proposal", {"proposal_id": later.pk}, "get", 404),  # not about it
        ("partnerships:proposal_answer", {"proposal_id": proposal.pk}, "post", 404),
        ("partnerships:proposal_withdraw", {"proposal_id": proposal.pk}, "post", 404),
        # Everything else of the partnership, as for anyone outside it.
        ("partnerships:detail", {}, "get", 404),
        ("partnerships:proposals", {}, "get", 404),
        ("partnerships:history", {}, "get", 404),
        ("partnerships:initiatives", {}, "get", 404),
        ("partnerships:leave", {}, "get", 404),
        ("partnerships:propose_rename", {}, "post", 404),
        ("assessments:list", {}, "get", 404),
        ("assessments:detail", {"snapshot_id": removed["with"].pk}, "get", 404),
        ("stakeholders:register", {}, "get", 404),
    ]
    before = row_counts()
    for username, client in clients.items():
        for name, kwargs, method, expected in rows:
            url = reverse(name, kwargs={"pk": pk, **kwargs})
            response = client.get(url) if method == "get" else client.post(url, {"answer": "decline"})
            assert response.status_code == expected, (username, name, kwargs)
    assert row_counts() == before
    # The remaining partners have no "record" of their own: they see the partnership itself.
    assert org_admin_client.get(reverse("partnerships:record", kwargs={"pk": pk})).status_code == 404


def test_the_record_shows_the_removal_with_reasons_answers_and_what_it_contributed(
    trio: Partnership,
    removed: dict[str, Any],
    initiative: Initiative,
    third_owner: Any,
    client_for: Callable[[Any], Client],
    org_admin: Any,
) -> None:
    client = client_for(third_owner)
    today = timezone.now().strftime("%Y-%m-%d")
    listing = client.get(reverse("partnerships:list")).content.decode()
    assert "No longer a partner" in listing
    assert f"Third Sector Trust removed on {today}" in " ".join(listing.split())
    assert reverse("partnerships:record", kwargs={"pk": trio.pk}) in listing

    # The remaining partners withdraw the initiative it scored: its record keeps the score as it stood.
    services.initiative_delete(
        access=partnership_access_for(user=org_admin, partnership_id=trio.pk), initiative=initiative,
        user=org_admin,
    )  # fmt: skip
    page = " ".join(
        client.get(reverse("partnerships:record", kwargs={"pk": trio.pk})).content.decode().split()
    )
    assert f"Removed on {today}." in page
    assert REASON in page
    assert "Meadow Grocers proposed to remove Third Sector Trust from the partnership" in page
    assert "<td>Harbor Health Alliance</td><td>Confirmed</td><td>adam-admin</td>" in page
    assert "<td>Fruit at the till</td><td>4</td>" in page
    assert removed["with"].created_at.strftime("%Y-%m-%d %H:%M") in page
    assert '<td>49/100</td><td><span class="verdict verdict-at_risk">At risk</span></td>' in page  # in words
    snapshot_page = client.get(
        reverse("partnerships:record_assessment", kwargs={"pk": trio.pk, "snapshot_id": removed["with"].pk})
    ).content.decode()
    assert "Stored body." in snapshot_page
    assert "Your record of Healthy Lunches" in snapshot_page


def test_nothing_the_removed_partner_contributed_is_deleted(
    trio: Partnership, removed: dict[str, Any], third_organisation: Organisation, initiative: Initiative
) -> None:
    assert InitiativeScore.objects.filter(organisation=third_organisation, initiative=initiative).exists()
    assert AssessmentSnapshot.objects.filter(partnership=trio).count() == 2
    assert member_of(trio, third_organisation).state == MemberState.REMOVED


def test_a_history_restore_keeps_a_former_partners_scores(
    trio: Partnership,
    removed: dict[str, Any],
    third_organisation: Organisation,
    initiative: Initiative,
    org_admin: Any,
    org_admin_client: Client,
) -> None:
    history = org_admin_client.get(reverse("partnerships:history", kwargs={"pk": trio.pk}))
    oldest = history.context["versions"][-1]
    org_admin_client.post(reverse("partnerships:restore", kwargs={"pk": trio.pk, "version_id": oldest.pk}))
    assert InitiativeScore.objects.filter(organisation=third_organisation, initiative=initiative).exists()


def test_a_partner_leaves_by_itself_typing_its_name_and_everyone_is_told(
    trio: Partnership,
    third_organisation: Organisation,
    third_owner: Any,
    owner: Any,
    org_admin: Any,
    partner_owner: Any,
    partner_admin: Any,
    client_for: Callable[[Any], Client],
) -> None:
    client = client_for(third_owner)
    url = reverse("partnerships:leave", kwargs={"pk": trio.pk})
    page = client.get(url).content.decode()
    assert "A partner may always leave by itself" in page
    assert "Type your organisation&#x27;s name to confirm" in page
    refused = client.post(url, {"typed_confirmation": "Third", "reason": ""})
    assert "To leave, type “Third Sector Trust” exactly." in refused.content.decode()
    assert member_of(trio, third_organisation).state == MemberState.ACTIVE

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"typed_confirmation": THIRD, "reason": "Our funding for this ended."})
    assert response["Location"] == reverse("partnerships:list")
    place = member_of(trio, third_organisation)
    assert (place.state, place.end_reason) == (MemberState.LEFT, "Our funding for this ended.")
    subject = "Healthy Lunches: Third Sector Trust has left the partnership"
    everyone = [owner, org_admin, partner_owner, partner_admin, third_owner]
    assert mails_by_recipient() == {user.email: [subject] for user in everyone}
    assert "Our funding for this ended." in mail.outbox[0].body

    today = timezone.now().strftime("%Y-%m-%d")
    listing = " ".join(client.get(reverse("partnerships:list")).content.decode().split())
    assert f"Third Sector Trust left on {today}" in listing
    record = " ".join(
        client.get(reverse("partnerships:record", kwargs={"pk": trio.pk})).content.decode().split()
    )
    assert f"Left on {today}." in record
    assert "Our funding for this ended." in record


def test_leaving_lets_proposals_about_it_lapse_and_carries_those_it_alone_held_up(
    trio: Partnership,
    org_admin: Any,
    third_organisation: Organisation,
    third_owner: Any,
    partner_admin_client: Client,
    org_admin_client: Client,
    client_for: Callable[[Any], Client],
    removal_proposal: Proposal,
) -> None:
    removal = removal_proposal
    with TestCase.captureOnCommitCallbacks(execute=True):
        org_admin_client.post(
            reverse("partnerships:propose_rename", kwargs={"pk": trio.pk}),
            {"new_name": "Lunches for All", "reason": "Warmer."},
        )
    rename = Proposal.objects.exclude(pk=removal.pk).get()
    answer(partner_admin_client, rename, answer="confirm", typed_confirmation="Healthy Lunches")
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(third_owner).post(
            reverse("partnerships:leave", kwargs={"pk": trio.pk}), {"typed_confirmation": THIRD}
        )
    removal.refresh_from_db()
    rename.refresh_from_db()
    trio.refresh_from_db()
    assert removal.state == ProposalState.LAPSED
    assert rename.state == ProposalState.CARRIED  # Third Sector Trust was the only partner yet to confirm
    assert trio.name == "Lunches for All"
    left = "Healthy Lunches: Third Sector Trust has left the partnership"
    lapsed = "Healthy Lunches: the proposal to remove Third Sector Trust from the partnership lapsed"
    renamed = "Healthy Lunches: the partnership is now called Lunches for All"
    assert mails_by_recipient()[org_admin.email] == [left, lapsed, renamed]
    assert mails_by_recipient()[third_owner.email] == [left, lapsed]  # no longer a partner when renamed


def test_a_removed_partner_comes_back_only_by_a_new_invitation_and_its_removal_stays_on_record(
    trio: Partnership,
    removed: dict[str, Any],
    organisation: Organisation,
    third_organisation: Organisation,
    third_owner: Any,
    make_user: Callable[..., Any],
    client_for: Callable[[Any], Client],
    org_admin_client: Client,
) -> None:
    proposal = removed["proposal"]
    # Someone who administers a partner and the removed organisation cannot just bring it back.
    both = make_user("bea-both")
    for org in (organisation, third_organisation):
        Membership.objects.create(user=both, organisation=org, role=Role.ADMIN)
    runs_third = OrgAccess(
        organisation=third_organisation,
        membership=Membership.objects.get(user=both, organisation=third_organisation),
    )
    with pytest.raises(
        services.PartnershipError, match="only by accepting an invitation sent after its removal"
    ):
        services.member_join(partnership=trio, org_access=runs_third, user=both)

    # Nor can an invitation sent before the removal (still pending) undo what the partners decided.
    third = client_for(third_owner)
    early = invite(org_admin_client, trio, third_owner.email)
    PartnershipInvitation.objects.update(
        sent_at=member_of(trio, third_organisation).ended_at - timedelta(days=1)
    )
    before = row_counts()
    page = " ".join(
        post(third, early, {"answer": "accept", "organisation": third_organisation.pk})
        .content.decode()
        .split()
    )
    assert "The partners removed Third Sector Trust: it can come back only by accepting an invitation" in page
    assert row_counts() == before
    assert member_of(trio, third_organisation).state == MemberState.REMOVED

    # A new invitation, accepted by Third Sector Trust's owner, brings it back.
    link = invite(org_admin_client, trio, third_owner.email)
    response = post(third, link, {"answer": "accept", "organisation": third_organisation.pk})
    assert response["Location"] == reverse("partnerships:detail", kwargs={"pk": trio.pk})
    place = member_of(trio, third_organisation)
    assert (place.state, place.ended_at, place.end_reason) == (MemberState.ACTIVE, None, "")
    # The removal and every answer to it stay in the partnership's history.
    proposal.refresh_from_db()
    assert (proposal.state, proposal.subject) == (ProposalState.CARRIED, place)
    assert proposal.votes.count() == 1
    history = " ".join(
        third.get(reverse("partnerships:history", kwargs={"pk": trio.pk})).content.decode().split()
    )
    assert "Third Sector Trust accepted the invitation of Harbor Health Alliance and rejoined" in history

    # Its record link (in the emails and its old list) says it rejoined and leads to the proposals.
    record = third.get(reverse("partnerships:record", kwargs={"pk": trio.pk}), follow=True)
    assert record.redirect_chain == [(reverse("partnerships:proposals", kwargs={"pk": trio.pk}), 302)]
    page = " ".join(record.content.decode().split())
    today = timezone.now().strftime("%Y-%m-%d")
    assert f"Third Sector Trust rejoined Healthy Lunches on {today}: it is a partner again" in page
    assert "Meadow Grocers proposes to remove Third Sector Trust from the partnership" in page
    detail = third.get(reverse("partnerships:proposal", kwargs={"pk": trio.pk, "proposal_id": proposal.pk}))
    assert REASON in detail.content.decode()
    snapshot = removed["with"].pk
    record_assessment = third.get(
        reverse("partnerships:record_assessment", kwargs={"pk": trio.pk, "snapshot_id": snapshot})
    )
    assert record_assessment["Location"] == reverse(
        "assessments:detail", kwargs={"pk": trio.pk, "snapshot_id": snapshot}
    )
    assert "No longer a partner" not in third.get(reverse("partnerships:list")).content.decode()
    # Partners that never went still have no record page.
    assert org_admin_client.get(reverse("partnerships:record", kwargs={"pk": trio.pk})).status_code == 404
