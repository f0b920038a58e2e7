"""A partnership's check-ins over the API, read only: the list as the check-ins tab has it, and a closed
check-in's released figures as its export has them; never a cell of fewer than five answers, a comment,
or who answered."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.core.alignment.items import PULSE
from commonground.web.access import Role
from commonground.web.checkins import answer_services, services
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for

pytestmark = pytest.mark.django_db


def _people(make_user: Callable[..., Any], organisation: Organisation, n: int, prefix: str) -> list[Any]:
    people = [make_user(f"{prefix}-{i}") for i in range(n)]
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, role=Role.MEMBER) for user in people
    )
    return people


def _answer(user: Any, checkin: Any, score: int) -> None:
    access = partnership_access_for(user=user, partnership_id=checkin.partnership_id)
    answer_services.response_submit(
        access=access, user=user, checkin=checkin, organisation_id=access.organisation_ids[0],
        scores={item.id: score for item in PULSE.items}, predictions={}, comment=f"Said by {user.username}",
    )  # fmt: skip


def test_a_closed_check_in_shows_only_what_its_export_releases(
    api_as: Callable[..., Client], make_user: Callable[..., Any], client_for: Callable[[Any], Client],
    viewer: Any, partnership: Partnership, organisation: Organisation, partner_organisation: Organisation,
) -> None:  # fmt: skip
    checkin = services.checkin_open(
        partnership=partnership, name="pulse", today=timezone.localdate(), window_days=10, scheduled=False
    )
    harbor = _people(make_user, organisation, 5, "harbor")
    meadow = _people(make_user, partner_organisation, 2, "meadow")
    for person, score in zip(harbor + meadow, (1, 2, 3, 4, 5, 2, 4), strict=True):
        _answer(person, checkin, score)
    viewer_api = api_as(viewer, scope="read")
    url = f"/api/v1/partnerships/{partnership.pk}/checkins/{checkin.pk}"

    while_open = viewer_api.get(url)
    assert while_open.status_code == 200
    assert while_open.json()["state"] == "open"
    assert while_open.json()["respondents"] is None  # not even how many, until it closes
    assert while_open.json()["results"] == []

    services.checkin_close(checkin_id=checkin.pk)
    closed = viewer_api.get(url)
    body = closed.json()
    assert (body["state"], body["respondents"]) == ("closed", 7)
    assert closed["ETag"] != while_open["ETag"]
    cells = body["results"]
    assert "All partners" in {cell["partner"] for cell in cells}
    assert "Meadow Grocers" not in {cell["partner"] for cell in cells}  # two answers
    assert all(cell["n"] >= 5 for cell in cells)
    # The same figures as the check-in's CSV download on its page, no more.
    export = client_for(viewer).get(
        reverse("checkins:export", kwargs={"pk": partnership.pk, "checkin_id": checkin.pk, "fmt": "csv"})
    )
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [(c["partner"], c["item"], f"{c['mean']:.2f}", str(c["n"])) for c in cells] == [
        (r["partner"], r["item"], r["mean"], r["n"]) for r in rows
    ]
    text = json.dumps(body)
    assert "Said by" not in text
    assert not [person.username for person in harbor + meadow if person.username in text]

    listed = viewer_api.get(f"/api/v1/partnerships/{partnership.pk}/checkins").json()
    assert listed["count"] == 1
    assert listed["items"][0] | {"results": cells} == body


def test_the_list_is_newest_first_and_paged(
    api_as: Callable[..., Client], member: Any, partnership: Partnership
) -> None:
    today = timezone.localdate()
    for name in ("pulse", "factors"):
        services.checkin_open(partnership=partnership, name=name, today=today, window_days=5, scheduled=True)
    client = api_as(member, scope="read")
    url = f"/api/v1/partnerships/{partnership.pk}/checkins"
    first = client.get(url, {"limit": 1}).json()
    second = client.get(url, {"limit": 1, "offset": 1}).json()
    assert (first["count"], second["count"]) == (2, 2)
    assert [first["items"][0]["item_set"], second["items"][0]["item_set"]] == ["factors", "pulse"]
    assert client.get(url, {"limit": 101}).status_code == 422
