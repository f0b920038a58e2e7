"""A partnership's check-in schedule over the API: read as the check-ins tab shows it, started and changed
by a partner's admin with If-Match through the schedule page's form and service."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.web.checkins.models import CheckinSchedule
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _url(partnership: Partnership) -> str:
    return f"/api/v1/partnerships/{partnership.pk}/checkin-schedule"


def test_an_admin_starts_and_changes_the_schedule_and_the_check_ins_tab_shows_it(
    api_send: Callable[..., Any], api_as: Callable[..., Client], client_for: Callable[[Any], Client],
    org_admin: Any, partner_admin: Any, member: Any, partnership: Partnership,
) -> None:  # fmt: skip
    first = timezone.localdate() + datetime.timedelta(days=3)
    unstarted = api_as(member).get(_url(partnership))
    assert unstarted.json() | {"starts_on": None, "in_force": None, "next_opening": None} == {
        "started": False, "version": 0, "follow_agreement": True, "frequency": "monthly", "starts_on": None,
        "window_days": 10, "factors_every": 6, "in_force": None, "next_opening": None,
    }  # fmt: skip
    body = {"frequency": "fortnightly", "starts_on": first.isoformat(), "window_days": 7}
    assert api_send(api_as(org_admin), "PUT", _url(partnership), body).status_code == 428
    assert api_send(api_as(member), "PUT", _url(partnership), body, etag=unstarted["ETag"]).status_code == 403
    started = api_send(api_as(org_admin), "PUT", _url(partnership), body, etag=unstarted["ETag"])
    assert started.status_code == 200, started.content
    assert (started.json()["started"], started.json()["version"]) == (True, 1)
    assert started.json()["in_force"]["frequency"] == "fortnightly"
    assert started.json()["next_opening"] == first.isoformat()
    page = client_for(member).get(reverse("checkins:index", kwargs={"pk": partnership.pk})).content.decode()
    assert "stays open for 7 days" in page
    # A second start from the unstarted read is out of date: someone started check-ins meanwhile.
    again = api_send(api_as(partner_admin), "PUT", _url(partnership), body | {"window_days": 3},
                     etag=unstarted["ETag"])  # fmt: skip
    assert again.status_code == 412
    assert again["ETag"] == started["ETag"]
    changed = api_send(api_as(partner_admin), "PUT", _url(partnership), body | {"factors_every": 0},
                       etag=started["ETag"])  # fmt: skip
    assert changed.status_code == 200, changed.content
    stale = api_send(api_as(org_admin), "PUT", _url(partnership), body, etag=started["ETag"])
    assert stale.status_code == 412
    assert "changed by paul-partner-admin meanwhile" in stale.json()["message"]
    saved = CheckinSchedule.objects.get(partnership=partnership)
    assert (saved.version, saved.window_days, saved.factors_every) == (2, 7, 0)


def test_a_first_date_more_than_five_years_ahead_is_refused_and_a_stored_one_still_reads(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, member: Any,
    partnership: Partnership,
) -> None:  # fmt: skip
    unstarted = api_as(member).get(_url(partnership))
    body = {"frequency": "weekly", "starts_on": "9999-12-31", "window_days": 7}
    refused = api_send(api_as(org_admin), "PUT", _url(partnership), body, etag=unstarted["ETag"])
    assert refused.status_code == 422, refused.content
    assert [p["path"] for p in refused.json()["problems"]] == ["body.payload.starts_on"]
    assert "between 1 year back and 5 years ahead" in refused.json()["problems"][0]["message"]
    assert not CheckinSchedule.objects.exists()
    # A row saved before the bound: every read still answers, with the date as saved.
    CheckinSchedule.objects.create(partnership=partnership, frequency="weekly",
                                   starts_on=datetime.date(9999, 12, 31))  # fmt: skip
    read = api_as(member).get(_url(partnership))
    assert read.status_code == 200, read.content
    assert (read.json()["starts_on"], read.json()["next_opening"]) == ("9999-12-31", "9999-12-31")
    assert read.json()["in_force"]["window_days"] == 6


def test_an_unstarted_schedule_read_before_midnight_still_starts_check_ins_after_it(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, partnership: Partnership,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    today = timezone.localdate()
    read = api_as(org_admin).get(_url(partnership))
    assert read.json()["starts_on"] == today.isoformat()  # the page's suggestion, not a saved date
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    after = api_as(org_admin).get(_url(partnership))
    assert after.json()["starts_on"] != read.json()["starts_on"]
    assert after["ETag"] == read["ETag"]  # nobody changed anything
    body = {"frequency": "monthly", "starts_on": (today + datetime.timedelta(days=2)).isoformat()}
    started = api_send(api_as(org_admin), "PUT", _url(partnership), body, etag=read["ETag"])
    assert started.status_code == 200, started.content
    assert started.json()["version"] == 1
