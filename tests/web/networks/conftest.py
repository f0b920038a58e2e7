"""Fixtures for the network survey tests: the Harbor × Meadow partnership (partnership_personas.py), an
open round of it and a rating (network_rounds.py, shared with the API's tests), and the Riverside demo
coalition stored from its survey file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from commonground.core.network import Survey, load_survey
from commonground.core.profiles import Profile
from commonground.web.networks.demo import EXAMPLE, demo_network_load
from commonground.web.organisations import services as organisation_services
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import PartnershipAccess, partnership_access_for


@pytest.fixture
def access_of() -> Callable[[Any, Partnership], PartnershipAccess]:
    """``access_of(user, partnership)``: the user's access to the partnership, as a view gets it."""

    def access(user: Any, partnership: Partnership) -> PartnershipAccess:
        return partnership_access_for(user=user, partnership_id=partnership.pk)

    return access


@pytest.fixture
def riverside_survey() -> Survey:
    """The demo coalition's survey file, as ``commonground network`` reads it."""
    return load_survey(EXAMPLE)


@pytest.fixture
def riverside(owner: Any) -> Partnership:
    """The demo coalition stored in the workspace: 30 organisations, two closed rounds; ``owner`` owns
    the food bank, so reaches the coalition."""
    food_bank = organisation_services.organisation_create(
        user=owner,
        profile=Profile.model_validate(
            {"name": "Riverside Community Food Bank", "kind": "nonprofit", "mission": "Feed people."}
        ),
    )
    return demo_network_load(food_bank=food_bank)
