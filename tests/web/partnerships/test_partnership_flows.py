"""Partnerships: inviting organisations by email, answering, leaving, facilitators,
initiatives scored by their own partner, optimistic locking, history and restore (the portfolio:
test_portfolio.py)."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from invitation_links import invite, post

from commonground.core.profiles import Profile
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships import services
from commonground.web.partnerships.models import (
    Facilitator,
    FacilitatorState,
    Initiative,
    InitiativeScore,
    MemberState,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
)
from commonground.web.partnerships.selectors import partnership_access_for

pytestmark = pytest.mark.django_db


def _org(user: Any, name: str) -> Organisation:
    profile = Profile.model_validate({"name": name, "kind": "nonprofit", "mission": f"{name} helps people."})
    return organisation_services.organisation_create(user=user, profile=profile)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_invite_accept_decline_and_leave(
    org_admin_client: Client,
    organisation: Organisation,
    partner_organisation: Organisation,
    partner_admin: Any,
    partner_admin_client: Client,
    anonymous_client: Client,
) -> None:
    response = org_admin_client.post(
        reverse("partnerships:new", kwargs={"slug": organisation.slug}),
        {"name": "Healthy Lunches", "description": "Better school food."},
    )
    partnership = Partnership.objects.get(name="Healthy Lunches")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:detail", kwargs={"pk": partnership.pk})
    detail = reverse("partnerships:detail", kwargs={"pk": partnership.pk})

    # Invite Meadow's admin by email; before answering, they see the invitation only (in their list).
    invite(org_admin_client, partnership, partner_admin.email)
    assert partner_admin_client.get(detail).status_code == 404
    invitation = PartnershipInvitation.objects.get(partnership=partnership)
    answer_url = reverse("partnerships:invitation", kwargs={"invite_id": invitation.pk})
    assert answer_url in partner_admin_client.get(reverse("partnerships:list")).content.decode()
    assert partner_admin_client.get(answer_url).status_code == 200

    response = post(
        partner_admin_client, answer_url, {"answer": "accept", "organisation": partner_organisation.pk}
    )
    assert response.status_code == 302
    member = PartnershipMember.objects.get(partnership=partnership, organisation=partner_organisation)
    assert member.state == MemberState.ACTIVE
    assert member.responded_at is not None
    assert partner_admin_client.get(detail).status_code == 200
    assert "has been accepted" in partner_admin_client.get(answer_url).content.decode()  # answered: closed

    # Someone else declines through the emailed link, without an account.
    path = invite(org_admin_client, partnership, "tara@third.example")
    post(anonymous_client, path, {"answer": "decline"})
    assert PartnershipInvitation.objects.get(email="tara@third.example").state == "declined"

    # Meadow leaves (typing its name); its people lose access; Harbor (last partner) cannot leave.
    response = partner_admin_client.post(
        reverse("partnerships:leave", kwargs={"pk": partnership.pk}),
        {"organisation": partner_organisation.pk, "typed_confirmation": "Meadow Grocers"},
    )
    member.refresh_from_db()
    assert member.state == MemberState.LEFT
    assert partner_admin_client.get(detail).status_code == 404
    refused = org_admin_client.post(
        reverse("partnerships:leave", kwargs={"pk": partnership.pk}),
        {"organisation": organisation.pk, "typed_confirmation": "Harbor Health Alliance"},
    )
    assert "You are the last partner: close the partnership instead" in refused.content.decode()
    assert (
        PartnershipMember.objects.get(partnership=partnership, organisation=organisation).state
        == MemberState.ACTIVE
    )

    history = org_admin_client.get(
        reverse("partnerships:history", kwargs={"pk": partnership.pk})
    ).content.decode()
    for phrase in (
        "Started by Harbor",
        "Harbor Health Alliance invited a partner organisation by email",
        "Meadow Grocers accepted the invitation of Harbor Health Alliance and joined",
        "An invitation of a partner organisation was declined",
        "Meadow Grocers left",
    ):
        assert phrase in history


def test_facilitator_invitation_and_what_a_facilitator_sees(
    org_admin_client: Client,
    partnership: Partnership,
    organisation: Organisation,
    make_user: Callable[..., Any],
    client_for: Callable[[Any], Client],
) -> None:
    person = make_user("nina-neutral")
    path = invite(org_admin_client, partnership, person.email, kind="facilitator")
    client = client_for(person)
    detail = reverse("partnerships:detail", kwargs={"pk": partnership.pk})
    assert client.get(detail).status_code == 404  # not yet accepted
    post(client, path, {"answer": "accept"})
    place = Facilitator.objects.get(partnership=partnership, user=person)
    assert place.state == FacilitatorState.ACTIVE
    page = client.get(detail)
    assert page.status_code == 200
    assert "Facilitator (read only)" in page.content.decode()
    for name in ("detail", "members", "history", "profile_export"):
        kwargs = {"slug": organisation.slug} | ({"fmt": "yaml"} if name == "profile_export" else {})
        assert client.get(reverse(f"organisations:{name}", kwargs=kwargs)).status_code == 404
    assert (
        client.get(reverse("partnerships:portfolio", kwargs={"slug": organisation.slug})).status_code == 404
    )
    assert (
        client.post(reverse("partnerships:edit", kwargs={"pk": partnership.pk}), {"name": "X"}).status_code
        == 403
    )
    assert client.post(reverse("assessments:run", kwargs={"pk": partnership.pk})).status_code == 403


def test_viewer_reads_but_cannot_change(
    viewer_client: Client, partnership: Partnership, initiative: Initiative, organisation: Organisation
) -> None:
    before = _row_counts()
    assert viewer_client.get(reverse("partnerships:detail", kwargs={"pk": partnership.pk})).status_code == 200
    assert (
        viewer_client.get(reverse("partnerships:initiatives", kwargs={"pk": partnership.pk})).status_code
        == 200
    )
    refused = [
        (reverse("assessments:run", kwargs={"pk": partnership.pk}), {}),
        (reverse("partnerships:edit", kwargs={"pk": partnership.pk}), {"name": "Renamed", "version": 1}),
        (
            reverse("partnerships:initiative_new", kwargs={"pk": partnership.pk}),
            {"name": "X", "social_value": 3},
        ),
        (
            reverse(
                "partnerships:initiative_score", kwargs={"pk": partnership.pk, "initiative_id": initiative.pk}
            ),
            {"organisation": organisation.pk, "economic_value": 5},
        ),
    ]
    for url, data in refused:
        assert viewer_client.post(url, data).status_code == 403, url
    assert _row_counts() == before
    partnership.refresh_from_db()
    assert partnership.name == "Healthy Lunches"


def test_each_partner_scores_only_its_own_economic_value(
    member_client: Client,
    partnership: Partnership,
    initiative: Initiative,
    organisation: Organisation,
    partner_organisation: Organisation,
) -> None:
    url = reverse(
        "partnerships:initiative_score", kwargs={"pk": partnership.pk, "initiative_id": initiative.pk}
    )
    response = member_client.post(
        url, {"organisation": partner_organisation.pk, "economic_value": 5}, follow=True
    )
    assert "members can score its economic value" in response.content.decode()
    assert not InitiativeScore.objects.exists()
    member_client.post(url, {"organisation": organisation.pk, "economic_value": 2})
    score = InitiativeScore.objects.get()
    assert (score.organisation, score.economic_value) == (organisation, 2)


def test_stale_partnership_edit_is_refused_with_who_changed_it(
    org_admin_client: Client, partner_admin_client: Client, partnership: Partnership
) -> None:
    url = reverse("partnerships:edit", kwargs={"pk": partnership.pk})
    partner_admin_client.post(url, {"description": "Lunches first", "version": 1})
    response = org_admin_client.post(url, {"description": "Lunches second", "version": 1})
    assert response.status_code == 200
    assert (
        "This partnership was changed by paul-partner-admin meanwhile (it is now at version 2). Your "
        "changes were not saved: look at the current version and apply them again."
    ) in response.content.decode()
    partnership.refresh_from_db()
    assert (partnership.description, partnership.version) == ("Lunches first", 2)


def test_stale_initiative_edit_is_refused(
    member_client: Client, org_admin_client: Client, partnership: Partnership, initiative: Initiative
) -> None:
    url = reverse(
        "partnerships:initiative_edit", kwargs={"pk": partnership.pk, "initiative_id": initiative.pk}
    )
    member_client.post(url, {"name": "Fruit first", "social_value": 5, "version": 1})
    response = org_admin_client.post(url, {"name": "Fruit second", "social_value": 2, "version": 1})
    assert (
        "This initiative was changed by mia-member meanwhile (it is now at version 2). Your changes were "
        "not saved: look at the current version and apply them again."
    ) in response.content.decode()
    initiative.refresh_from_db()
    assert (initiative.name, initiative.social_value) == ("Fruit first", 5)


def test_history_restore_brings_back_description_and_initiatives_never_the_name(
    org_admin: Any,
    org_admin_client: Client,
    member_client: Client,
    organisation: Organisation,
    partner_organisation: Organisation,
) -> None:
    from commonground.web.organisations.selectors import organisation_access

    partnership = services.partnership_create(
        org_access=organisation_access(user=org_admin, slug=organisation.slug),
        name="Original",
        description="First description.",
        user=org_admin,
    )
    access = partnership_access_for(user=org_admin, partnership_id=partnership.pk)
    first = services.initiative_create(
        access=access, name="Keep me", description="", level="", social_value=3, user=org_admin
    )
    org_admin_client.post(
        reverse("partnerships:edit", kwargs={"pk": partnership.pk}),
        {"description": "Later description.", "version": 1},
    )
    Partnership.objects.filter(pk=partnership.pk).update(name="Renamed")  # as a carried proposal would
    member_client.post(
        reverse("partnerships:initiative_new", kwargs={"pk": partnership.pk}),
        {"name": "Later idea", "social_value": 2},
    )
    Initiative.objects.filter(pk=first.pk).delete()  # lost outside the services: restore must bring it back
    history = org_admin_client.get(reverse("partnerships:history", kwargs={"pk": partnership.pk}))
    versions = history.context["versions"]
    target = next(v for v in versions if v.revision.comment == "Proposed the initiative “Keep me”")
    assert (
        member_client.post(
            reverse("partnerships:restore", kwargs={"pk": partnership.pk, "version_id": target.pk})
        ).status_code
        == 403
    )
    org_admin_client.post(
        reverse("partnerships:restore", kwargs={"pk": partnership.pk, "version_id": target.pk})
    )
    partnership.refresh_from_db()
    assert partnership.description == "First description."
    assert partnership.name == "Renamed"  # a name changes only by the partners' agreement, never by a restore
    assert partnership.version == 3  # moved forward, never back
    assert list(Initiative.objects.filter(partnership=partnership).values_list("name", flat=True)) == [
        "Keep me"
    ]
    assert (
        "Restored the shared material"
        in org_admin_client.get(
            reverse("partnerships:history", kwargs={"pk": partnership.pk})
        ).content.decode()
    )


class _IdsAndLabels(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if tag == "label" and found.get("for"):
            self.label_targets.append(found["for"] or "")


def test_detail_page_has_unique_ids_every_label_finds_its_input_and_links_the_register(
    org_admin_client: Client, partnership: Partnership
) -> None:
    page = org_admin_client.get(
        reverse("partnerships:detail", kwargs={"pk": partnership.pk})
    ).content.decode()
    parser = _IdsAndLabels()
    parser.feed(page)
    # The invite form and the facilitator form both ask for an email; each must get its own input id.
    assert "id_invite-email" in parser.ids
    assert "id_facilitator-email" in parser.ids
    assert len(parser.ids) == len(set(parser.ids)), sorted(i for i in parser.ids if parser.ids.count(i) > 1)
    assert parser.label_targets
    assert set(parser.label_targets) <= set(parser.ids)
    assert reverse("stakeholders:register", kwargs={"pk": partnership.pk}) in page
