"""Check-in writes over the API: an admin opens and closes a check-in, the people of a partner answer it
once through the answer page's own form and service; a refused answer stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commonground.core.alignment.items import PULSE
from commonground.web.checkins.models import Checkin, CheckinState, Response, ResponseScore
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

SCORES = dict.fromkeys(PULSE.ids, 4)


def _url(partnership: Partnership, *rest: object) -> str:
    return "/".join([f"/api/v1/partnerships/{partnership.pk}/checkins", *map(str, rest)])


@pytest.fixture
def opened(api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any,
    partnership: Partnership,
) -> Checkin:  # fmt: skip
    """A pulse check-in the admin opened over the API for a week."""
    response = api_send(api_as(org_admin), "POST", _url(partnership), {"item_set": "pulse", "window_days": 7})
    assert response.status_code == 201, response.content
    checkin = Checkin.objects.get()
    assert response["Location"].endswith(_url(partnership, checkin.pk))
    assert response.json()["state"] == "open"
    assert response.json()["respondents"] is None
    return checkin


def test_opening_is_the_pages_rules_with_each_field_named(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, partnership: Partnership,
    opened: Checkin,
) -> None:  # fmt: skip
    admin = api_as(org_admin)
    again = api_send(admin, "POST", _url(partnership), {"item_set": "pulse"})
    assert again.status_code == 409
    assert "already open" in again.json()["message"]
    bad = api_send(admin, "POST", _url(partnership), {"item_set": "moods", "window_days": 61})
    assert bad.status_code == 422
    assert [p["path"] for p in bad.json()["problems"]] == ["body.payload.window_days"]
    unknown = api_send(admin, "POST", _url(partnership), {"item_set": "moods"})
    assert unknown.status_code == 422
    assert [p["path"] for p in unknown.json()["problems"]] == ["body.payload.item_set"]
    assert Checkin.objects.count() == 1


def test_a_member_answers_once_and_nobody_reads_the_answer_back(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, organisation: Any,
    partnership: Partnership, opened: Checkin,
) -> None:  # fmt: skip
    client = api_as(member)
    url = _url(partnership, opened.pk, "responses")
    saved = api_send(client, "POST", url, {"scores": SCORES, "predictions": {"trust": 3}, "comment": "Fine"})
    assert saved.status_code == 201, saved.content
    assert saved.json()["organisation"] == organisation.slug
    assert set(saved.json()) == {"checkin", "organisation", "submitted_at"}  # no score, no comment
    response = Response.objects.get()
    assert (response.user, response.comment) == (member, "Fine")
    # One own score per item and one guess of each other partner's answer to "trust".
    assert ResponseScore.objects.count() == len(PULSE.ids) + 1
    twice = api_send(client, "POST", url, {"scores": SCORES})
    assert twice.status_code == 409
    assert "answered this check-in already" in twice.json()["message"]
    assert Response.objects.count() == 1


def test_a_refused_answer_names_each_field_and_stores_nothing(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partnership: Partnership,
    opened: Checkin,
) -> None:  # fmt: skip
    url = _url(partnership, opened.pk, "responses")
    missing = {key: value for key, value in SCORES.items() if key != "voice"}
    body = {"scores": missing | {"mood": 3}, "predictions": {"trust": 9}, "organisation": "nobody-here"}
    refused = api_send(api_as(member), "POST", url, body)
    assert refused.status_code == 422
    paths = sorted(problem["path"] for problem in refused.json()["problems"])
    assert paths == ["body.payload.predictions.trust"]  # the schema refuses a guess of 9 first
    refused = api_send(api_as(member), "POST", url, body | {"predictions": {}})
    paths = sorted(problem["path"] for problem in refused.json()["problems"])
    assert paths == ["body.payload.organisation", "body.payload.scores.mood", "body.payload.scores.voice"]
    assert not Response.objects.exists()
    assert not ResponseScore.objects.exists()


def test_a_read_token_cannot_answer_though_every_role_may(
    api_send: Callable[..., Any], api_as: Callable[..., Client], viewer: Any, partnership: Partnership,
    opened: Checkin,
) -> None:  # fmt: skip
    url = _url(partnership, opened.pk, "responses")
    refused = api_send(api_as(viewer, scope="read"), "POST", url, {"scores": SCORES})
    assert refused.status_code == 403
    assert not Response.objects.exists()
    assert api_send(api_as(viewer), "POST", url, {"scores": SCORES}).status_code == 201


def test_closing_freezes_the_results_and_then_refuses_answers(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, member: Any,
    partnership: Partnership, opened: Checkin,
) -> None:  # fmt: skip
    assert api_send(api_as(member), "POST", _url(partnership, opened.pk, "close")).status_code == 403
    closed = api_send(api_as(org_admin), "POST", _url(partnership, opened.pk, "close"))
    assert closed.status_code == 200, closed.content
    assert (closed.json()["state"], closed.json()["respondents"]) == ("closed", 0)
    opened.refresh_from_db()
    assert opened.state == CheckinState.CLOSED
    assert opened.results is not None
    assert api_send(api_as(org_admin), "POST", _url(partnership, opened.pk, "close")).status_code == 409
    late = api_send(api_as(member), "POST", _url(partnership, opened.pk, "responses"), {"scores": SCORES})
    assert late.status_code == 409
    assert not Response.objects.exists()
