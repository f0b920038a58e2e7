"""A network survey round of the ``partnership`` (partnership_personas.py) and its answers, shared by the
network survey tests and the API's: ``open_round`` (opened by Harbor's admin, nobody has answered),
``rating(level=4, ...)`` (every answer 3 unless changed) and ``answer_saved``, an answer saved as the
answer page saves it (``networks.services.answer_save``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from commonground.web.networks import services
from commonground.web.networks.models import NetworkAnswer, NetworkRound
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for

# What tests/web/conftest.py takes with its star import: its own ``services`` must stay the organisations'.
__all__ = ["a_rating", "answer_saved", "open_round", "rating"]


@pytest.fixture
def open_round(partnership: Partnership, org_admin: Any) -> NetworkRound:
    """A round of Harbor and Meadow opened by Harbor's admin."""
    return services.round_open(
        access=partnership_access_for(user=org_admin, partnership_id=partnership.pk),
        user=org_admin,
        label="2026-spring",
        date=datetime.date(2026, 4, 1),
    )


def a_rating(**changes: int | None) -> services.Rating:
    """A rating with every answer 3 unless changed."""
    values: dict[str, int | None] = dict.fromkeys(
        ("level", "frequency", "power", "involvement", "resources", "reliable", "mission", "open"), 3
    )
    return services.Rating(**(values | changes))  # type: ignore[arg-type]


@pytest.fixture
def rating() -> Callable[..., services.Rating]:
    """``rating(level=4, ...)``: a rating with every answer 3 unless changed."""
    return a_rating


def answer_saved(
    user: Any,
    survey_round: NetworkRound,
    by: Organisation,
    about: Organisation,
    rating: services.Rating | None,
    version: int | None = None,
) -> NetworkAnswer:
    """``by``'s answer about ``about`` saved by ``user`` (``version``: the one a change was loaded at)."""
    return services.answer_save(
        access=partnership_access_for(user=user, partnership_id=survey_round.partnership_id),
        user=user,
        survey_round=survey_round,
        by_id=by.pk,
        about_id=about.pk,
        rating=rating,
        expected_version=version,
    )
