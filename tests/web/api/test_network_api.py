"""Network survey rounds over the API: anyone of the partnership lists them with their progress; a partner's
admin or owner closes an open one, with the page's confirmation when fewer than half have answered; a
member, a viewer and a facilitator may not, an outsider does not see the round exists, and a refused
close changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from network_rounds import a_rating, answer_saved

from commonground.web.networks.models import NetworkRound, RoundState
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _close(partnership: Partnership, survey_round: NetworkRound) -> str:
    return f"/api/v1/partnerships/{partnership.pk}/network/rounds/{survey_round.pk}/close"


def test_the_rounds_are_listed_with_their_progress_never_their_answers(
    api_as: Callable[..., Client], viewer: Any, member: Any, organisation: Organisation,
    partner_organisation: Organisation, partnership: Partnership, open_round: NetworkRound,
) -> None:  # fmt: skip
    answer_saved(member, open_round, organisation, partner_organisation, a_rating())
    listed = api_as(viewer).get(f"/api/v1/partnerships/{partnership.pk}/network/rounds")
    assert listed.status_code == 200
    (item,) = listed.json()["items"]
    assert item == {
        "id": open_round.pk, "label": "2026-spring", "date": "2026-04-01", "state": "open",
        "organisations": 2, "answered": 1, "complete": 1, "few_answered": False, "closed_at": None,
    }  # fmt: skip


def test_an_owner_closes_a_round_few_answered_only_when_the_body_confirms_it(
    api_as: Callable[..., Client], api_send: Callable[..., Any], owner: Any, partnership: Partnership,
    open_round: NetworkRound,
) -> None:  # fmt: skip
    client = api_as(owner)
    for body in (None, {}, {"confirm": False}):
        refused = api_send(client, "POST", _close(partnership, open_round), body)
        assert refused.status_code == 409, (body, refused.content)
        assert refused.json()["message"] == (
            "The round is still open: only 0 of 2 organisations have answered. Closing it freezes the "
            'results on their answers alone; send {"confirm": true} to close it anyway.'
        )
        open_round.refresh_from_db()
        assert open_round.state == RoundState.OPEN
    closed = api_send(client, "POST", _close(partnership, open_round), {"confirm": True})
    assert closed.status_code == 200, closed.content
    answer = closed.json()
    assert (answer["state"], answer["answered"], answer["few_answered"]) == ("closed", None, False)
    assert answer["closed_at"] is not None
    open_round.refresh_from_db()
    assert (open_round.state, open_round.closed_by) == (RoundState.CLOSED, owner)
    again = api_send(client, "POST", _close(partnership, open_round), {"confirm": True})
    assert again.status_code == 409
    assert again.json()["message"] == "This round is already closed."


def test_a_round_half_answered_closes_without_the_confirmation(
    api_as: Callable[..., Client], api_send: Callable[..., Any], org_admin: Any, member: Any,
    organisation: Organisation, partner_organisation: Organisation, partnership: Partnership,
    open_round: NetworkRound,
) -> None:  # fmt: skip
    answer_saved(member, open_round, organisation, partner_organisation, a_rating())  # 1 of 2: not under half
    closed = api_send(api_as(org_admin), "POST", _close(partnership, open_round), None)
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"
    # Its answers are frozen into the round, as a close on the page freezes them.
    open_round.refresh_from_db()
    assert [r["by"] for r in open_round.frozen["ratings"]] == [str(organisation.pk)]


@pytest.mark.parametrize(
    ("persona", "status", "words"),
    [
        ("member", 403, ""),
        ("viewer", 403, ""),
        ("facilitator", 403, ""),
        ("outsider", 404, ""),
        ("read_token", 403, "This token may only read"),
    ],
)
def test_only_a_partners_admins_and_owners_close_a_round_and_a_refusal_changes_nothing(
    request: pytest.FixtureRequest, api_as: Callable[..., Client], api_send: Callable[..., Any],
    org_admin: Any, partnership: Partnership, open_round: NetworkRound, persona: str, status: int,
    words: str,
) -> None:  # fmt: skip
    client = (
        api_as(org_admin, scope="read")
        if persona == "read_token"
        else api_as(request.getfixturevalue(persona))
    )
    refused = api_send(client, "POST", _close(partnership, open_round), {"confirm": True})
    assert refused.status_code == status, refused.content
    assert words in refused.json()["message"]
    open_round.refresh_from_db()
    assert (open_round.state, open_round.closed_by, open_round.frozen) == (RoundState.OPEN, None, None)
