"""The demo partnership's health: the drift, the gap's month and the escalated conflict all show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from commonground.web.demo import demo_load
from commonground.web.partnerships.models import Partnership


@pytest.mark.django_db
def test_the_demo_health_page_names_the_drift_and_the_escalated_conflict(
    client_for: Callable[[Any], Client],
) -> None:
    demo_load()
    partnership = Partnership.objects.get(agreement__isnull=False)
    client = client_for(get_user_model().objects.get(username="demo"))
    page = client.get(reverse("health:page", kwargs={"pk": partnership.pk})).content.decode()
    assert "Needs attention:" in page
    assert "Pulse check-ins" in page
    assert "drift alert" in page
    assert "1 escalated past the leads" in page
    # Mediation after two rejected resolutions: the second of Glasl's three levels.
    assert "most escalated: Glasl level 2 of 3" in page
    assert "median 7 days to resolve" in page
    # The year's collaboration-factors check-in: one concern, named, and filed as an action item.
    assert "Concerns: Enough money, people and time." in page
    # The pulse trends are drawn from the frozen results: one chart per item of the pulse.
    assert page.count('class="chart"') == 7
    # The portfolio shows the same alerts across the organisation's partnerships.
    organisation = partnership.members.filter(state="active").order_by("organisation__name").first()
    assert organisation is not None
    portfolio = client.get(reverse("partnerships:portfolio", kwargs={"slug": organisation.organisation.slug}))
    assert "drift alert" in portfolio.content.decode()
    assert "open conflict" in portfolio.content.decode()
