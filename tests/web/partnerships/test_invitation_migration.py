"""The migration to emailed invitations keeps every open invitation of the old kind (nothing is lost)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from invitation_links import post

from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import (
    Facilitator,
    FacilitatorState,
    MemberState,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module("commonground.web.partnerships.migrations.0003_partnership_invitations")


def test_open_invitations_of_the_old_kind_become_invitations_their_people_can_answer(
    partnership: Partnership,
    organisation: Organisation,
    org_admin: Any,
    outsider: Any,
    other_organisation: Organisation,
    make_user: Callable[..., Any],
    client_for: Callable[[Any], Client],
) -> None:
    old_place = PartnershipMember.objects.create(
        partnership=partnership,
        organisation=other_organisation,
        state=MemberState.INVITED,
        invited_by=org_admin,
    )
    fay = make_user("fay-facilitator")
    Facilitator.objects.create(
        partnership=partnership, user=fay, state=FacilitatorState.INVITED, invited_by=org_admin
    )

    migration.open_invitations_by_email(apps, None)

    assert not PartnershipMember.objects.filter(pk=old_place.pk).exists()
    assert not Facilitator.objects.filter(user=fay).exists()
    for_outsider = PartnershipInvitation.objects.get(kind="partner")
    assert (for_outsider.email, for_outsider.state) == (outsider.email, "pending")
    assert (for_outsider.inviting_organisation, for_outsider.invited_by) == (organisation, org_admin)
    assert PartnershipInvitation.objects.get(kind="facilitator").email == fay.email

    by_id = reverse("partnerships:invitation", kwargs={"invite_id": for_outsider.pk})
    client = client_for(outsider)
    assert by_id in client.get(reverse("partnerships:list")).content.decode()
    post(client, by_id, {"answer": "accept", "organisation": other_organisation.pk})
    joined = PartnershipMember.objects.get(partnership=partnership, organisation=other_organisation)
    assert joined.state == MemberState.ACTIVE
