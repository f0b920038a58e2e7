"""Personas around one partnership, shared by the partnerships, assessments and URL-walk tests.

``partnership`` ("Healthy Lunches") joins ``organisation`` (Harbor Health Alliance, with the
``owner``/``org_admin``/``member``/``viewer`` personas) and ``partner_organisation`` (Meadow Grocers,
owned by ``partner_owner``, with admin ``partner_admin``), both active. ``facilitator`` is an active
facilitator with no organisation. ``outsider`` (owner of ``other_organisation``) is unrelated.

``fake_assess`` replaces the engine with a stand-in that returns a stored real result whose score
follows the number of goals in the profiles (so a profile change moves the score) and counts calls.
``engine_result`` runs the real engine once per test process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.test import Client

from commonground.core.profiles import Profile
from commonground.core.results import AssessmentResult
from commonground.web.access import Role
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import (
    Facilitator,
    FacilitatorState,
    Initiative,
    MemberState,
    Partnership,
    PartnershipMember,
)

MEADOW = {
    "name": "Meadow Grocers",
    "kind": "company",
    "mission": "Sell affordable groceries in every neighbourhood.",
    "sector": "Food retail",
    "values": [{"name": "Value for money", "weight": 5}, {"name": "Openness"}],
    "goals": [
        {"text": "Grow snack and soft drink sales by 20% a year", "priority": "high"},
        {"text": "Open ten new stores near schools"},
    ],
    "activities": [{"text": "Runs supermarkets"}, {"text": "Sells confectionery and sugary drinks"}],
    "stakeholders": [
        {"name": "Parents", "power": 3, "interest": 3, "legitimacy": True, "stance": "neutral"},
        {"name": "Shareholders", "power": 5, "interest": 5, "stance": "supportive"},
    ],
    "orientation": {"profit_purpose": 0.8},
    "culture": {"clan": 15, "adhocracy": 15, "market": 50, "hierarchy": 20},
}


@pytest.fixture
def partner_owner(make_user: Callable[..., Any]) -> Any:
    """Owner of ``partner_organisation``."""
    return make_user("pia-partner-owner")


@pytest.fixture
def partner_organisation(partner_owner: Any) -> Organisation:
    """Meadow Grocers, the other active partner."""
    return organisation_services.organisation_create(
        user=partner_owner, profile=Profile.model_validate(MEADOW)
    )


@pytest.fixture
def partner_admin(make_user: Callable[..., Any], partner_organisation: Organisation) -> Any:
    """Admin of ``partner_organisation``."""
    user = make_user("paul-partner-admin")
    Membership.objects.create(user=user, organisation=partner_organisation, role=Role.ADMIN)
    return user


@pytest.fixture
def partnership(
    organisation: Organisation, partner_organisation: Organisation, org_admin: Any
) -> Partnership:
    """Healthy Lunches, with Harbor and Meadow as active partners (rows made directly, no history)."""
    partnership = Partnership.objects.create(
        name="Healthy Lunches", description="School food.", created_by=org_admin
    )
    for org in (organisation, partner_organisation):
        PartnershipMember.objects.create(partnership=partnership, organisation=org, state=MemberState.ACTIVE)
    return partnership


@pytest.fixture
def initiative(partnership: Partnership) -> Initiative:
    """A proposed initiative of ``partnership``."""
    return Initiative.objects.create(partnership=partnership, name="Fruit at the till", social_value=4)


@pytest.fixture
def facilitator(make_user: Callable[..., Any], partnership: Partnership) -> Any:
    """An active facilitator of ``partnership`` with no organisation."""
    user = make_user("fay-facilitator")
    Facilitator.objects.create(partnership=partnership, user=user, state=FacilitatorState.ACTIVE)
    return user


@pytest.fixture
def facilitator_client(client_for: Callable[[Any], Client], facilitator: Any) -> Client:
    """Signed in as ``facilitator``."""
    return client_for(facilitator)


@pytest.fixture
def partner_admin_client(client_for: Callable[[Any], Client], partner_admin: Any) -> Client:
    """Signed in as ``partner_admin``."""
    return client_for(partner_admin)


_ENGINE_RESULTS: dict[str, dict[str, Any]] = {}


@pytest.fixture
def engine_result(harbor_profile: Profile) -> dict[str, Any]:
    """One real assessment (Harbor × Meadow) as its JSON document, computed once per test process."""
    if "harbor-meadow" not in _ENGINE_RESULTS:
        from commonground.core.assessment import assess_profiles

        result = assess_profiles([harbor_profile, Profile.model_validate(MEADOW)])
        _ENGINE_RESULTS["harbor-meadow"] = result.model_dump(mode="json")
    return _ENGINE_RESULTS["harbor-meadow"]


class FakeAssess:
    """Stand-in for ``assess_profiles``: the stored real result with a score from the goal count."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.calls = 0

    def __call__(
        self, profiles: Sequence[Profile], *, initiatives: Sequence[Any] = (), name: str | None = None
    ) -> AssessmentResult:
        self.calls += 1
        goals = sum(len(profile.goals) for profile in profiles)
        score = float(min(100, 20 + 10 * goals + 2 * len(initiatives)))
        return AssessmentResult.model_validate(
            {**self.document, "score": score, "parties": [p.name for p in profiles]}
        )


@pytest.fixture
def fake_assess(monkeypatch: pytest.MonkeyPatch, engine_result: dict[str, Any]) -> FakeAssess:
    """Replace the engine in the assessments service with ``FakeAssess``."""
    from commonground.web.assessments import services

    fake = FakeAssess(engine_result)
    monkeypatch.setattr(services, "assess_profiles", fake)
    return fake
