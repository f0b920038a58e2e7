"""The home page: a landing page for visitors; for people signed in, what needs them (invitations),
their partnerships with the latest verdict and what changed, and the profiles still incomplete."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.core.profiles import Profile
from commonground.web.access import Role
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import (
    MemberState,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Proposal,
    ProposalKind,
)

HOME = "/"


def _snapshot(partnership: Partnership, *, score: float, verdict: str, days_ago: int) -> AssessmentSnapshot:
    return AssessmentSnapshot.objects.create(
        partnership=partnership,
        result={},
        score=score,
        verdict=verdict,
        open_conflicts=3,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def _close_proposal(partnership: Partnership, proposer: Organisation) -> Proposal:
    """An open proposal by ``proposer`` to close ``partnership``, for the other partners to answer."""
    return Proposal.objects.create(
        partnership=partnership,
        kind=ProposalKind.CLOSE,
        proposer=proposer,
        proposer_name=proposer.name,
        old_name=partnership.name,
        reason="The work is done.",
        expires_at=timezone.now() + timedelta(days=14),
    )


def test_visitors_get_a_landing_page_that_says_what_it_does(anonymous_client: Client) -> None:
    response = anonymous_client.get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "organisations with different missions" in page
    assert "find out whether they fit together" in page
    assert "agree on how to work together" in page
    assert "stay aligned" in page
    assert f'href="{reverse("accounts:sign_up")}"' in page
    assert f'href="{reverse("accounts:sign_in")}"' in page
    assert "Sign out" not in page


def test_home_shows_each_partnership_with_its_latest_verdict_in_words_and_what_changed(
    member_client: Client, partnership: Partnership
) -> None:
    _snapshot(partnership, score=30.0, verdict="at_risk", days_ago=3)
    _snapshot(partnership, score=42.5, verdict="at_risk", days_ago=1)
    page = member_client.get(HOME).content.decode()
    assert "Healthy Lunches" in page
    assert "Partners: <bdi>Harbor Health Alliance</bdi>, <bdi>Meadow Grocers</bdi>" in page
    # Scores are whole numbers on every page (reports/numbers.py), and so is how far one moved.
    assert '<span class="verdict verdict-at_risk">At risk</span> <strong>43</strong>/100' in page
    assert "Up 13 points since the assessment before" in page
    assert "at_risk" not in page.replace("verdict-at_risk", "")  # no internal code in the words


def test_a_changed_verdict_names_the_one_before(member_client: Client, partnership: Partnership) -> None:
    _snapshot(partnership, score=55.0, verdict="workable", days_ago=2)
    _snapshot(partnership, score=20.0, verdict="blocked", days_ago=1)
    page = member_client.get(HOME).content.decode()
    assert ">Blocked</span>" in page
    assert "Was Workable (55)" in page


def test_a_partnership_never_assessed_says_so(member_client: Client, partnership: Partnership) -> None:
    page = member_client.get(HOME).content.decode()
    assert "Not assessed yet" in page


def _invitation(
    partnership: Partnership, email: str, *, kind: str, inviting: Organisation, expires_in_days: int = 7
) -> PartnershipInvitation:
    """An emailed invitation as invitation_send stores it (the token itself is not needed here)."""
    return PartnershipInvitation.objects.create(
        partnership=partnership,
        kind=kind,
        email=email,
        token_hash=PartnershipInvitation.hash_token(secrets.token_urlsafe(16)),
        inviting_organisation=inviting,
        expires_at=timezone.now() + timedelta(days=expires_in_days),
    )


def test_invitations_sent_to_my_address_wait_for_my_answer_on_home(
    client_for: Any, make_user: Any, partnership: Partnership, organisation: Organisation
) -> None:
    """Emailed invitations to join as a partner or to facilitate, once the address is verified."""
    rivers = Partnership.objects.create(name="Clean Rivers")
    as_partner = _invitation(rivers, "nina@example.org", kind="partner", inviting=organisation)
    to_facilitate = _invitation(partnership, "nina@example.org", kind="facilitator", inviting=organisation)
    _invitation(partnership, "someone-else@example.org", kind="partner", inviting=organisation)
    _invitation(rivers, "nina@example.org", kind="facilitator", inviting=organisation, expires_in_days=-1)
    nina = make_user("nina", email="nina@example.org")
    page = client_for(nina).get(HOME).content.decode()
    assert "Waiting for your answer (2)" in page
    assert "Harbor Health Alliance</bdi> invites you" in page
    assert "to bring one of your organisations into this partnership" in page
    assert "to facilitate this partnership" in page
    for invitation in (as_partner, to_facilitate):
        assert reverse("partnerships:invitation", kwargs={"invite_id": invitation.pk}) in page
    # Anyone can type someone else's address: an unverified one sees nothing of it.
    impostor = make_user("impostor", email="nina@example.org", verified=False)
    assert "Waiting for your answer" not in client_for(impostor).get(HOME).content.decode()


def test_proposals_my_organisation_must_answer_are_on_home(
    client_for: Any,
    org_admin: Any,
    member: Any,
    partnership: Partnership,
    partner_organisation: Organisation,
) -> None:
    """An admin sees a partner's open proposal their organisation has yet to answer; a member does not."""
    proposal = _close_proposal(partnership, partner_organisation)
    page = client_for(org_admin).get(HOME).content.decode()
    assert "Waiting for your answer (1)" in page
    assert "Meadow Grocers</bdi> proposes to <bdi>close the partnership</bdi>" in page
    assert "For <bdi>Harbor Health Alliance</bdi> to answer by" in page
    url = reverse("partnerships:proposal", kwargs={"pk": partnership.pk, "proposal_id": proposal.pk})
    assert url in page
    assert "Waiting for your answer" not in client_for(member).get(HOME).content.decode()


def test_home_names_the_empty_parts_of_profiles_the_person_may_complete(
    client_for: Any, owner: Any, viewer: Any, organisation: Organisation
) -> None:
    sparse = organisation_services.organisation_create(
        user=owner,
        profile=Profile.model_validate({"name": "Sparse Trust", "kind": "nonprofit", "mission": "Help."}),
    )
    Membership.objects.create(user=viewer, organisation=sparse, role=Role.VIEWER)
    page = client_for(owner).get(HOME).content.decode()
    assert "Profiles to complete" in page
    edit = reverse("organisations:profile_edit", kwargs={"slug": sparse.slug})
    assert f'href="{edit}#part-values"' in page
    assert (
        "add values, goals, activities, red lines, stakeholders, profit–purpose orientation and culture."
        in page
    )
    # Harbor is complete: it is not listed.
    assert reverse("organisations:profile_edit", kwargs={"slug": organisation.slug}) not in page
    # A viewer cannot complete it, so it is no task of theirs (the card still says what is missing).
    page = client_for(viewer).get(HOME).content.decode()
    assert "Profiles to complete" not in page
    assert "Profile still without values" in page


def test_same_named_organisations_are_told_apart_on_home_and_in_the_menu(
    owner_client: Client, owner: Any, organisation: Organisation
) -> None:
    organisation_services.organisation_create(
        user=owner,
        profile=Profile.model_validate({"name": organisation.name, "kind": "company", "mission": "Help."}),
        location="Leith, Scotland",
    )
    page = owner_client.get(HOME).content.decode()
    assert "Harbor Health Alliance (Charity or non-profit)" in page  # in the menu
    assert "Harbor Health Alliance (Leith, Scotland)" in page
    assert "Leith, Scotland · your role: owner" in page  # on its card


def test_home_shows_nothing_of_partnerships_the_person_is_not_part_of(
    outsider: Any, client_for: Any, partnership: Partnership
) -> None:
    _snapshot(partnership, score=30.0, verdict="at_risk", days_ago=1)
    page = client_for(outsider).get(HOME).content.decode()
    assert "Healthy Lunches" not in page
    assert "Meadow Grocers" not in page


def test_a_facilitator_sees_the_partnership_they_facilitate(
    facilitator_client: Client, partnership: Partnership
) -> None:
    page = facilitator_client.get(HOME).content.decode()
    assert "Healthy Lunches" in page
    assert "you facilitate" in page


def test_home_costs_the_same_queries_for_one_partnership_or_ten(
    member_client: Client,
    org_admin_client: Client,
    organisation: Organisation,
    partnership: Partnership,
    partner_organisation: Organisation,
    django_assert_max_num_queries: Any,
) -> None:
    """A member's home costs at most 12 queries; an admin's 14 (the proposals they must answer, and
    their answers, are two more), however many partnerships and proposals there are."""
    _snapshot(partnership, score=30.0, verdict="at_risk", days_ago=1)
    _close_proposal(partnership, partner_organisation)
    with django_assert_max_num_queries(12):
        assert member_client.get(HOME).status_code == 200
    with django_assert_max_num_queries(14):
        assert "Waiting for your answer (1)" in org_admin_client.get(HOME).content.decode()
    for n in range(9):
        more = Partnership.objects.create(name=f"Partnership {n}")
        for org in (organisation, partner_organisation):
            PartnershipMember.objects.create(partnership=more, organisation=org, state=MemberState.ACTIVE)
        _snapshot(more, score=50.0 + n, verdict="workable", days_ago=2)
        _snapshot(more, score=40.0, verdict="workable", days_ago=3)
        _close_proposal(more, partner_organisation)
    with django_assert_max_num_queries(12):
        page = member_client.get(HOME).content.decode()
    assert page.count('class="summary"') == 10
    with django_assert_max_num_queries(14):
        page = org_admin_client.get(HOME).content.decode()
    assert "Waiting for your answer (10)" in page
