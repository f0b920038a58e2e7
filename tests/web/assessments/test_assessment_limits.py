"""How often assessments run and how much one may store are bounded (security review F1: each run of
two maximal profiles took 16 s and stored 64 MB, as often as anyone pressed "Run")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.web import throttles
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.partnerships.models import Partnership
from commonground.web.throttles import Limit

pytestmark = pytest.mark.django_db


def _run(client: Client, partnership: Partnership) -> Any:
    return client.post(reverse("assessments:run", kwargs={"pk": partnership.pk}), follow=False)


def test_the_run_past_the_hourly_limit_is_refused_without_running_the_engine(
    member_client: Client, partnership: Partnership, fake_assess: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttles, "ASSESSMENTS_PER_ACCOUNT", Limit("assessment-test-account", 2, 3600))
    assert [_run(member_client, partnership).status_code for _ in range(2)] == [302, 302]
    refused = _run(member_client, partnership)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many assessments: you may run at most 2 an hour" in page
    assert "Try again in" in page
    assert fake_assess.calls == 2
    assert AssessmentSnapshot.objects.filter(partnership=partnership).count() == 2


def test_the_members_of_one_organisation_share_its_budget(
    member_client: Client,
    owner_client: Client,
    partnership: Partnership,
    fake_assess: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(throttles, "ASSESSMENTS_PER_ORGANISATION", Limit("assessment-test-org", 2, 3600))
    assert _run(member_client, partnership).status_code == 302
    assert _run(owner_client, partnership).status_code == 302
    refused = _run(owner_client, partnership)
    assert refused.status_code == 429
    assert "your organisation&#x27;s members may run at most 2 an hour" in refused.content.decode()
    assert fake_assess.calls == 2


def test_an_assessment_too_large_to_keep_is_refused_and_nothing_stored(
    member_client: Client, partnership: Partnership, fake_assess: Any, settings: Any
) -> None:
    settings.ASSESSMENT_MAX_BYTES = 10_000
    response = member_client.post(reverse("assessments:run", kwargs={"pk": partnership.pk}), follow=True)
    assert "MB to keep" in response.content.decode()
    assert "Nothing was stored" in response.content.decode()
    assert not AssessmentSnapshot.objects.filter(partnership=partnership).exists()
