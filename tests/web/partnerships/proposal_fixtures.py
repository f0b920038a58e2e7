"""A partnership of three for the proposal tests, and helpers to act and read the mail.

``trio`` is ``partnership`` (Healthy Lunches) with a third active partner: Harbor Health Alliance
(``owner``, ``org_admin``), Meadow Grocers (``partner_owner``, ``partner_admin``) and Third Sector Trust
(``third_owner``). In the brief's words: A is Harbor, B is Meadow, C is Third Sector Trust.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from commonground.core.profiles import Profile
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember, Proposal

THIRD = "Third Sector Trust"
REASON = "Third Sector Trust has not taken part in a year and does not answer."


@pytest.fixture
def third_owner(make_user: Callable[..., Any]) -> Any:
    """Owner of ``third_organisation``."""
    return make_user("theo-third-owner")


@pytest.fixture
def third_organisation(third_owner: Any) -> Organisation:
    """Third Sector Trust, the third active partner."""
    profile = Profile.model_validate({"name": THIRD, "kind": "nonprofit", "mission": "Help neighbours."})
    return organisation_services.organisation_create(user=third_owner, profile=profile)


@pytest.fixture
def trio(
    partnership: Partnership,
    third_organisation: Organisation,
    owner: Any,
    org_admin: Any,
    partner_owner: Any,
    partner_admin: Any,
) -> Partnership:
    """Harbor, Meadow and Third Sector Trust, all active in ``partnership``."""
    PartnershipMember.objects.create(
        partnership=partnership, organisation=third_organisation, state=MemberState.ACTIVE
    )
    return partnership


def member_of(partnership: Partnership, organisation: Organisation) -> PartnershipMember:
    """The organisation's place in the partnership."""
    return PartnershipMember.objects.get(partnership=partnership, organisation=organisation)


@pytest.fixture
def on_commit() -> Iterator[None]:
    """Run on-commit callbacks (the emails) as the request's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def mails_by_recipient() -> dict[str, list[str]]:
    """Every email sent so far: recipient address → subjects, in order (one recipient per message)."""
    found: dict[str, list[str]] = {}
    for message in mail.outbox:
        assert len(message.to) == 1, "each person gets their own message"
        found.setdefault(message.to[0], []).append(message.subject)
    return found


def propose_removal(client: Client, partnership: Partnership, member: PartnershipMember, reason: str) -> Any:
    """POST the proposal to remove ``member`` (the proposer is the user's only organisation)."""
    url = reverse("partnerships:propose_remove", kwargs={"pk": partnership.pk, "member_id": member.pk})
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"reason": reason})


def answer(client: Client, proposal: Proposal, **data: str) -> Any:
    """POST an answer to ``proposal`` (``answer`` = confirm/decline, ``typed_confirmation``, ``reason``)."""
    url = reverse(
        "partnerships:proposal_answer", kwargs={"pk": proposal.partnership_id, "proposal_id": proposal.pk}
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data, follow=True)


@pytest.fixture
def removal_proposal(
    trio: Partnership, third_organisation: Organisation, partner_admin_client: Client
) -> Proposal:
    """Meadow (B) proposes to remove Third Sector Trust (C), giving ``REASON``; Harbor (A) is to answer."""
    propose_removal(partner_admin_client, trio, member_of(trio, third_organisation), REASON)
    return Proposal.objects.get()


def row_counts() -> dict[str, int]:
    """Rows per model, to show a refused request changed nothing."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}
