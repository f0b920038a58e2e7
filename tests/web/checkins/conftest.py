"""Fixtures for the check-ins tests: the Harbor × Meadow partnership (partnership_personas.py), extra
people in each partner organisation, an open pulse check-in, and answering as someone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from commonground.core.alignment.items import PULSE
from commonground.web.access import Role
from commonground.web.checkins import answer_services, services
from commonground.web.checkins.models import Checkin
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for


@pytest.fixture
def add_people(make_user: Callable[..., Any]) -> Callable[..., list[Any]]:
    """``add_people(organisation, n, prefix)``: n new members of the organisation (verified emails)."""

    def add(organisation: Organisation, n: int, prefix: str, role: Role = Role.MEMBER) -> list[Any]:
        people = []
        for i in range(n):
            user = make_user(f"{prefix}-{i}")
            Membership.objects.create(user=user, organisation=organisation, role=role)
            people.append(user)
        return people

    return add


@pytest.fixture
def open_checkin(partnership: Partnership) -> Checkin:
    """A pulse check-in of ``partnership`` opened today for ten days (no one invited: mail is not read)."""
    from django.utils import timezone

    return services.checkin_open(
        partnership=partnership, name="pulse", today=timezone.localdate(), window_days=10, scheduled=False
    )


@pytest.fixture
def answer_as() -> Callable[..., Any]:
    """``answer_as(user, checkin, score=..., guess=..., comment=..., scores={item: n})``: answer through the
    service, for the user's one partner organisation."""

    def answer(
        user: Any,
        checkin: Checkin,
        *,
        score: int = 4,
        guess: int | None = 3,
        comment: str = "",
        scores: dict[str, int] | None = None,
    ) -> Any:
        access = partnership_access_for(user=user, partnership_id=checkin.partnership_id)
        own = {item.id: score for item in PULSE.items} | (scores or {})
        predictions = {item.id: guess for item in PULSE.items} if guess is not None else {}
        return answer_services.response_submit(
            access=access,
            user=user,
            checkin=checkin,
            organisation_id=access.organisation_ids[0],
            scores=own,
            predictions=predictions,
            comment=comment,
        )

    return answer
