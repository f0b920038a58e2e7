"""A partner an organisation skipped is "not answered", not a one-sided perception gap; only an
explicit "we do not work with them" makes a tie one-sided (in the results, the ties download, and
rounds frozen before the distinction was stored)."""

from __future__ import annotations

import csv
import datetime
import importlib
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from network_rounds import answer_saved

from commonground.core.profiles import Profile
from commonground.web.networks import services
from commonground.web.networks.models import NetworkRound
from commonground.web.networks.results import round_results
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember
from commonground.web.partnerships.selectors import partnership_access_for

pytestmark = pytest.mark.django_db

migration = importlib.import_module("commonground.web.networks.migrations.0002_frozen_not_working_with")


@pytest.fixture
def quay(partnership: Partnership, org_admin: Any) -> Organisation:
    """A third partner of Harbor × Meadow, owned by Harbor's admin (who then answers for it too)."""
    org = organisation_services.organisation_create(
        user=org_admin,
        profile=Profile.model_validate({"name": "Quay Tenants", "kind": "nonprofit", "mission": "Homes."}),
    )
    PartnershipMember.objects.create(partnership=partnership, organisation=org, state=MemberState.ACTIVE)
    return org


@pytest.fixture
def closed_round(
    partnership: Partnership,
    org_admin: Any,
    partner_admin: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    quay: Organisation,
    rating: Callable[..., services.Rating],
) -> NetworkRound:
    """Harbor works with Meadow and the Quay. Meadow answers only about the Quay ("we do not work
    with them") and skips Harbor; the Quay says it does not work with Harbor."""
    access = partnership_access_for(user=org_admin, partnership_id=partnership.pk)
    item = services.round_open(access=access, user=org_admin, label="r1", date=datetime.date(2026, 4, 1))
    for user, by, about, answer in (
        (org_admin, organisation, partner_organisation, rating(level=3)),
        (org_admin, organisation, quay, rating(level=2)),
        (partner_admin, partner_organisation, quay, None),
        (org_admin, quay, organisation, None),
    ):
        answer_saved(user, item, by, about, answer)
    services.round_close(access=access, user=org_admin, survey_round=item, confirmed=True)
    item.refresh_from_db()
    return item


def _findings(item: NetworkRound) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    analysis = round_results(partnership_name="P", survey_round=item, previous=None).analysis
    names = analysis.names
    gaps = [(names[g.a], names[g.b], g.kind) for g in analysis.gaps]
    return gaps, [(names[a], names[b]) for a, b in analysis.not_answered]


def test_a_skipped_partner_is_not_answered_and_an_explicit_no_is_a_one_sided_gap(
    closed_round: NetworkRound, organisation: Organisation, partner_organisation: Organisation
) -> None:
    assert closed_round.frozen is not None
    assert closed_round.frozen["not_responding"] == []  # Meadow answered, if not about everyone
    gaps, not_answered = _findings(closed_round)
    assert gaps == [(organisation.name, "Quay Tenants", "one-sided")]
    assert not_answered == [(organisation.name, partner_organisation.name)]


def test_the_results_page_and_the_download_say_which_is_which(
    closed_round: NetworkRound, partnership: Partnership, org_admin: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(org_admin)
    kwargs = {"pk": partnership.pk, "round_id": closed_round.pk}
    page = client.get(reverse("networks:round", kwargs=kwargs)).content.decode()
    assert "Ties not answered by the other side" in page
    assert "did not answer about A" in page
    assert "does not work with them" in page
    download = client.get(reverse("networks:export", kwargs={**kwargs, "fmt": "csv"}))
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert sorted(row["other_side"] for row in rows) == ["no tie", "not answered"]


def test_a_round_frozen_before_the_distinction_keeps_its_explicit_nos(closed_round: NetworkRound) -> None:
    frozen = dict(closed_round.frozen or {})
    kept = frozen.pop("not_working_with")
    NetworkRound.objects.filter(pk=closed_round.pk).update(frozen=frozen)
    migration.add_not_working_with(apps, None)
    closed_round.refresh_from_db()
    assert closed_round.frozen is not None
    assert closed_round.frozen["not_working_with"] == kept
    assert len(kept) == 2
