"""The home page: a landing page for visitors; for people signed in, what needs them (invitations),
their partnerships with the latest verdict and what changed, and the profiles still incomplete."""

from __future__ import annotations

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
    Facilitator,
    MemberState,
    Partnership,
    PartnershipMember,
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
    assert '<span class="verdict verdict-at_risk">At risk</span> <strong>42.5</strong>/100' in page
    assert "Up 12.5 points since the assessment before" in page
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


def test_invitations_waiting_for_an_answer_are_on_home(
    client_for: Any, org_admin: Any, partnership: Partnership, make_user: Any, outsider: Any
) -> None:
    """An admin sees their organisation's partnership invitations; a person their facilitator invitation."""
    newcomer = organisation_services.organisation_create(
        user=org_admin,
        profile=Profile.model_validate({"name": "Second Harbour", "kind": "nonprofit", "mission": "Help."}),
    )
    invited = PartnershipMember.objects.create(
        partnership=Partnership.objects.create(name="Clean Rivers"),
        organisation=newcomer,
        state=MemberState.INVITED,
        invited_by=outsider,
    )
    page = client_for(org_admin).get(HOME).content.decode()
    assert "Waiting for your answer (1)" in page
    assert reverse("partnerships:invitation", kwargs={"invite_id": invited.pk}) in page
    assert "Clean Rivers" in page

    fay = make_user("fay-to-be")
    invitation = Facilitator.objects.create(partnership=partnership, user=fay, invited_by=org_admin)
    page = client_for(fay).get(HOME).content.decode()
    assert "You are invited to facilitate this partnership" in page
    assert reverse("partnerships:facilitation", kwargs={"facilitation_id": invitation.pk}) in page


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
    organisation: Organisation,
    partnership: Partnership,
    partner_organisation: Organisation,
    django_assert_max_num_queries: Any,
) -> None:
    _snapshot(partnership, score=30.0, verdict="at_risk", days_ago=1)
    with django_assert_max_num_queries(12):
        assert member_client.get(HOME).status_code == 200
    for n in range(9):
        more = Partnership.objects.create(name=f"Partnership {n}")
        for org in (organisation, partner_organisation):
            PartnershipMember.objects.create(partnership=more, organisation=org, state=MemberState.ACTIVE)
        _snapshot(more, score=50.0 + n, verdict="workable", days_ago=2)
        _snapshot(more, score=40.0, verdict="workable", days_ago=3)
    with django_assert_max_num_queries(12):
        page = member_client.get(HOME).content.decode()
    assert page.count('class="summary"') == 10
