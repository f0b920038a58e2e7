"""The network survey's writes: who opens and closes rounds, and the rules of an organisation's answers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from network_rounds import answer_saved

from commonground.web.networks import services
from commonground.web.networks.models import NetworkAnswer, NetworkRound
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership, ProposalKind
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services.proposals import proposal_answer, proposal_create
from commonground.web.records import StaleEditError

pytestmark = pytest.mark.django_db

Access = Callable[[Any, Partnership], PartnershipAccess]
DAY = datetime.date(2026, 9, 1)


def test_an_admin_opens_a_round_asking_every_active_partner(
    partnership: Partnership, org_admin: Any, access_of: Access
) -> None:
    survey_round = services.round_open(
        access=access_of(org_admin, partnership), user=org_admin, label="2026-autumn", date=DAY
    )
    assert survey_round.is_open
    assert sorted(survey_round.names().values()) == ["Harbor Health Alliance", "Meadow Grocers"]


@pytest.mark.parametrize("persona", ["member", "viewer", "facilitator"])
def test_only_admins_and_owners_open_a_round(
    partnership: Partnership, persona: str, request: pytest.FixtureRequest, access_of: Access
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(services.NetworkError, match="admins and owners"):
        services.round_open(access=access_of(user, partnership), user=user, label="x", date=DAY)
    assert not NetworkRound.objects.exists()


def test_a_second_open_round_or_a_repeated_name_is_refused(
    partnership: Partnership, org_admin: Any, access_of: Access, open_round: NetworkRound
) -> None:
    access = access_of(org_admin, partnership)
    with pytest.raises(services.NetworkError, match="already open"):
        services.round_open(access=access, user=org_admin, label="another", date=DAY)
    services.round_close(access=access, user=org_admin, survey_round=open_round, confirmed=True)
    with pytest.raises(services.NetworkError, match="already a round called"):
        services.round_open(access=access, user=org_admin, label=open_round.label, date=DAY)


def test_a_partnership_over_the_size_limit_cannot_open_a_round(
    partnership: Partnership, org_admin: Any, access_of: Access, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SURVEY_MAX_ORGANISATIONS", 1)
    with pytest.raises(services.NetworkError, match="at most 1"):
        services.round_open(access=access_of(org_admin, partnership), user=org_admin, label="big", date=DAY)


def test_a_member_saves_and_changes_their_organisations_answer(
    open_round: NetworkRound,
    member: Any,
    org_admin: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
) -> None:
    first = answer_saved(
        member, open_round, organisation, partner_organisation, rating(level=4, frequency=None)
    )
    assert (first.works_with, first.level, first.frequency, first.open) == (True, 4, None, 3)
    changed = answer_saved(
        org_admin, open_round, organisation, partner_organisation, None, version=first.version
    )
    assert (changed.works_with, changed.level, changed.version) == (False, None, 2)
    assert NetworkAnswer.objects.count() == 1


def test_one_answer_per_pair_and_a_stale_change_is_refused(
    open_round: NetworkRound,
    member: Any,
    org_admin: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
) -> None:
    answer_saved(member, open_round, organisation, partner_organisation, rating())
    with pytest.raises(services.NetworkError, match="meanwhile"):
        answer_saved(org_admin, open_round, organisation, partner_organisation, rating(level=1))
    answer_saved(member, open_round, organisation, partner_organisation, rating(level=2), version=1)
    with pytest.raises(StaleEditError):
        answer_saved(org_admin, open_round, organisation, partner_organisation, rating(level=1), version=1)
    assert NetworkAnswer.objects.get().level == 2


@pytest.mark.parametrize(
    ("changes", "named"), [({"level": 5}, "level"), ({"open": 0}, "open"), ({"power": None}, "power")]
)
def test_answers_outside_one_to_four_are_refused(
    open_round: NetworkRound,
    member: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
    changes: dict[str, int | None],
    named: str,
) -> None:
    with pytest.raises(services.NetworkError, match=named):
        answer_saved(member, open_round, organisation, partner_organisation, rating(**changes))
    assert not NetworkAnswer.objects.exists()


@pytest.mark.parametrize("persona", ["partner_admin", "viewer", "facilitator", "outsider"])
def test_nobody_else_writes_an_organisations_answers(
    open_round: NetworkRound,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    from django.http import Http404

    user = request.getfixturevalue(persona)
    with pytest.raises((services.NetworkError, Http404)):
        answer_saved(user, open_round, organisation, partner_organisation, rating())
    assert not NetworkAnswer.objects.exists()


def test_an_organisation_does_not_rate_itself(
    open_round: NetworkRound, member: Any, organisation: Organisation, rating: Callable[..., services.Rating]
) -> None:
    with pytest.raises(services.NetworkError, match="itself"):
        answer_saved(member, open_round, organisation, organisation, rating())


def test_a_closed_round_refuses_writes(
    open_round: NetworkRound,
    partnership: Partnership,
    member: Any,
    partner_admin: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
    access_of: Access,
) -> None:
    answer = answer_saved(member, open_round, organisation, partner_organisation, rating())
    with pytest.raises(services.NetworkError, match="admins and owners"):
        services.round_close(
            access=access_of(member, partnership), user=member, survey_round=open_round, confirmed=True
        )
    closed = services.round_close(
        access=access_of(partner_admin, partnership),
        user=partner_admin,
        survey_round=open_round,
        confirmed=True,
    )
    assert (closed.is_open, closed.closed_by) == (False, partner_admin)
    with pytest.raises(services.NetworkError, match="closed"):
        answer_saved(
            member, open_round, organisation, partner_organisation, rating(level=1), version=answer.version
        )
    with pytest.raises(services.NetworkError, match="already closed"):
        services.round_close(
            access=access_of(partner_admin, partnership),
            user=partner_admin,
            survey_round=open_round,
            confirmed=True,
        )
    assert NetworkAnswer.objects.get().level == 3


def test_closing_freezes_the_answers_into_the_round(
    open_round: NetworkRound,
    partnership: Partnership,
    member: Any,
    org_admin: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
    access_of: Access,
) -> None:
    from commonground.web.networks.results import round_results

    answer_saved(member, open_round, organisation, partner_organisation, rating(level=4))
    services.round_close(
        access=access_of(org_admin, partnership), user=org_admin, survey_round=open_round, confirmed=True
    )
    frozen = NetworkRound.objects.get().frozen
    assert frozen["not_responding"] == [str(partner_organisation.pk)]
    assert [(r["by"], r["about"], r["level"]) for r in frozen["ratings"]] == [
        (str(organisation.pk), str(partner_organisation.pk), 4)
    ]
    meadow = str(partner_organisation.pk)
    partner_organisation.delete()  # its answers and memberships go; the published round stays whole
    assert not NetworkAnswer.objects.exists()
    results = round_results(partnership_name="P", survey_round=NetworkRound.objects.get(), previous=None)
    assert (len(results.analysis.ties), results.analysis.density) == (1, 1.0)
    assert results.analysis.names[meadow] == "Meadow Grocers"


def test_an_open_round_closes_with_the_partnership_and_keeps_its_answers(
    open_round: NetworkRound,
    partnership: Partnership,
    member: Any,
    org_admin: Any,
    partner_admin: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
    access_of: Access,
    client_for: Callable[[Any], Client],
) -> None:
    answer_saved(member, open_round, organisation, partner_organisation, rating(level=4))
    proposal = proposal_create(
        access=access_of(org_admin, partnership),
        kind=ProposalKind.CLOSE,
        organisation_id=organisation.pk,
        reason="The project has ended.",
        user=org_admin,
    )
    proposal_answer(
        access=access_of(partner_admin, partnership),
        proposal=proposal,
        organisation_id=partner_organisation.pk,
        confirm=True,
        typed_confirmation=partnership.name,
        user=partner_admin,
    )
    closed = NetworkRound.objects.get()
    assert (closed.is_open, closed.closed_by) == (False, partner_admin)
    assert closed.frozen is not None
    assert [(r["by"], r["level"]) for r in closed.frozen["ratings"]] == [(str(organisation.pk), 4)]
    # The record shows the round's results, to a partner's people as to anyone who reads the record.
    page = client_for(org_admin).get(
        reverse("networks:round", kwargs={"pk": partnership.pk, "round_id": closed.pk})
    )
    assert page.status_code == 200
    assert "Ties (CSV)" in page.content.decode()


def test_a_round_few_answered_closes_only_when_confirmed(
    open_round: NetworkRound, partnership: Partnership, org_admin: Any, access_of: Access
) -> None:
    # Nobody has answered: closing now would freeze results on no answers at all.
    access = access_of(org_admin, partnership)
    with pytest.raises(services.FewAnswered, match=r"only 0 of \d+ organisations have answered"):
        services.round_close(access=access, user=org_admin, survey_round=open_round)
    open_round.refresh_from_db()
    assert open_round.is_open
    closed = services.round_close(access=access, user=org_admin, survey_round=open_round, confirmed=True)
    assert not closed.is_open
