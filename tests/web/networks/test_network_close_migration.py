"""A round left open in a partnership closed before rounds closed with it is closed by migration 0003,
with its answers frozen as a close by its admins would freeze them; other rounds are left alone."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from network_rounds import answer_saved

from commonground.web.networks import services
from commonground.web.networks.models import NetworkRound
from commonground.web.networks.results import round_document
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership, PartnershipStatus
from commonground.web.partnerships.selectors import partnership_access_for

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "commonground.web.networks.migrations.0003_close_rounds_of_closed_partnerships"
)


@pytest.fixture
def answered_round(
    open_round: NetworkRound,
    member: Any,
    partner_admin: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
) -> NetworkRound:
    """Harbor rates Meadow 4; Meadow says it does not work with Harbor."""
    for user, by, about, answer in (
        (member, organisation, partner_organisation, rating(level=4)),
        (partner_admin, partner_organisation, organisation, None),
    ):
        answer_saved(user, open_round, by, about, answer)
    return open_round


def _close_without_signal(partnership: Partnership) -> None:
    # As partnerships were closed before partnership_closed existed: nothing closed their rounds.
    Partnership.objects.filter(pk=partnership.pk).update(status=PartnershipStatus.CLOSED)


def test_a_round_open_in_a_closed_partnership_is_closed_with_its_answers_frozen(
    answered_round: NetworkRound,
    partnership: Partnership,
    organisation: Organisation,
    partner_organisation: Organisation,
    org_admin: Any,
    client_for: Callable[[Any], Client],
) -> None:
    expected = round_document(answered_round)  # what a close by the admins would have stored
    _close_without_signal(partnership)
    migration.close_rounds_of_closed_partnerships(apps, None)
    closed = NetworkRound.objects.get()
    assert (closed.is_open, closed.closed_by, closed.closed_at is not None) == (False, None, True)
    assert closed.frozen == expected
    assert [(r["by"], r["about"], r["level"]) for r in closed.frozen["ratings"]] == [
        (str(organisation.pk), str(partner_organisation.pk), 4)
    ]
    assert closed.frozen["not_working_with"] == {str(partner_organisation.pk): [str(organisation.pk)]}
    # The read-only record now shows the round's results.
    page = client_for(org_admin).get(
        reverse("networks:round", kwargs={"pk": partnership.pk, "round_id": closed.pk})
    )
    assert page.status_code == 200
    assert "Ties (CSV)" in page.content.decode()


def test_rounds_of_active_partnerships_and_closed_rounds_are_left_alone(
    answered_round: NetworkRound, partnership: Partnership, org_admin: Any
) -> None:
    migration.close_rounds_of_closed_partnerships(apps, None)
    assert NetworkRound.objects.get().is_open  # the partnership is active: its admins close it
    services.round_close(
        access=partnership_access_for(user=org_admin, partnership_id=partnership.pk),
        user=org_admin,
        survey_round=answered_round,
        confirmed=True,
    )
    before = NetworkRound.objects.values("closed_by", "closed_at", "frozen").get()
    _close_without_signal(partnership)
    migration.close_rounds_of_closed_partnerships(apps, None)
    assert NetworkRound.objects.values("closed_by", "closed_at", "frozen").get() == before
