"""The demo's check-ins: a frozen year with enough people, Meadowgate's voice drifting down from month 7,
a perception gap on fairness, comments to release, this month's open to answer; quick to load."""

from __future__ import annotations

from collections.abc import Callable
from statistics import mean
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from commonground.web.checkins.models import ActionItem, ActionSource, Checkin, CheckinState
from commonground.web.demo import demo_load


def test_the_demo_holds_a_frozen_year_of_check_ins(client_for: Callable[[Any], Client], db: None) -> None:
    assert demo_load() is not None
    closed = list(Checkin.objects.filter(state=CheckinState.CLOSED, item_set="pulse").order_by("opens_on"))
    assert len(closed) == 12
    # One collaboration-factors check-in in month 6, whose one concern became an action item.
    [factors] = Checkin.objects.filter(state=CheckinState.CLOSED, item_set="factors")
    assert factors.respondents == 20
    assert ActionItem.objects.get(source=ActionSource.FACTOR).item == "resources"
    assert all(c.results is not None and c.respondents == 20 for c in closed)
    assert Checkin.objects.filter(state=CheckinState.OPEN).count() == 1
    latest = closed[-1]
    names = {name: key for key, name in latest.partner_names.items()}
    shop, charity = names["Meadowgate Supermarkets"], names["Bright Start Child Health Trust"]

    def series(item: str, partner: str) -> list[float]:
        cells = {(c["checkin"], c["partner"], c["item"]): c["mean"] for c in latest.results["cells"]}
        return [cells[(c.label, partner, item)] for c in closed]

    voice = series("voice", shop)
    assert all(value is not None for value in voice)
    assert mean(voice[:6]) - mean(voice[-3:]) > 1.0  # the drift from month 7
    assert mean(series("fairness", charity)) - mean(series("fairness", shop)) > 1.0  # the gap
    # One comment from each partner (different ones), shown once the analysis releases them.
    comments = [c.comment for c in closed[-1].responses.all() if c.comment]
    assert len(set(comments)) == len(comments) == 2

    charity_admin = client_for(get_user_model().objects.get(username="demo-bright-start"))
    page = charity_admin.get(reverse("checkins:index", kwargs={"pk": latest.partnership_id})).content.decode()
    assert "Answer now" in page
    assert "Meadowgate Supermarkets" in page
    detail = charity_admin.get(
        reverse("checkins:detail", kwargs={"pk": latest.partnership_id, "checkin_id": latest.pk})
    ).content.decode()
    assert "Voice in decisions" in detail
    assert "<svg" in detail
