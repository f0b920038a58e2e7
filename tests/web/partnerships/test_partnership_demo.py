"""The demo: three organisations, an admin for each, and an assessed partnership with a real tension."""

from __future__ import annotations

import pytest

from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.demo import demo_load
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import InitiativeScore, MemberState, Partnership


@pytest.mark.django_db
def test_demo_has_three_organisations_and_an_assessed_partnership() -> None:
    accounts = demo_load()
    assert accounts is not None
    # The demo account's three; the network demo's coalition adds 29 more (tests/web/networks/).
    assert Organisation.objects.filter(memberships__user__username="demo").count() == 3
    assert Membership.objects.filter(role="admin").count() == 3
    partnership = Partnership.objects.get(name="Healthier food for families")
    active = partnership.members.filter(state=MemberState.ACTIVE).values_list("organisation__name", flat=True)
    assert sorted(active) == ["Bright Start Child Health Trust", "Meadowgate Supermarkets"]
    assert InitiativeScore.objects.filter(initiative__partnership=partnership).count() == 4
    snapshot = AssessmentSnapshot.objects.get(partnership=partnership)
    assert snapshot.open_conflicts > 0  # sweets and sugary drinks against child health
    assert len(snapshot.profile_versions) == 2
    assert len(snapshot.initiatives) == 2
