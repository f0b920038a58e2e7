"""Action items over the API: add one by hand, mark it done with If-Match (428 without, 412 when stale),
as the check-ins tab does; a refused change leaves the item as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from reversion.models import Version

from commonground.web.checkins.models import ActionItem, ActionStatus
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _url(partnership: Partnership, *rest: object) -> str:
    return "/".join([f"/api/v1/partnerships/{partnership.pk}/action-items", *map(str, rest)])


def test_adding_gives_the_item_its_etag_and_records_it(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partnership: Partnership
) -> None:
    response = api_send(api_as(member), "POST", _url(partnership), {"text": "Agree who chairs"})
    assert response.status_code == 201, response.content
    action = ActionItem.objects.get()
    assert (action.text, action.status, action.source, action.created_by) == (
        "Agree who chairs", "open", "manual", member,
    )  # fmt: skip
    assert response["ETag"].startswith(f'"action-{action.pk}-v')
    assert response["Location"].endswith(_url(partnership, action.pk))
    comments = [v.revision.comment for v in Version.objects.get_for_object(partnership)]
    assert "Added an action item" in comments
    listed = api_as(member).get(_url(partnership)).json()
    assert [item["text"] for item in listed["items"]] == ["Agree who chairs"]


def test_an_empty_item_is_refused_with_its_field_named(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partnership: Partnership
) -> None:
    refused = api_send(api_as(member), "POST", _url(partnership), {"text": "   "})
    assert refused.status_code == 422
    assert [p["path"] for p in refused.json()["problems"]] == ["body.payload.text"]
    assert not ActionItem.objects.exists()


def test_marking_done_needs_the_current_etag_and_one_of_two_writers_wins(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, org_admin: Any,
    partnership: Partnership,
) -> None:  # fmt: skip
    action = ActionItem.objects.create(partnership=partnership, text="Talk about the rota")
    client, url = api_as(member), _url(partnership, action.pk, "status")
    missing = api_send(client, "PUT", url, {"status": "done"})
    assert missing.status_code == 428
    assert "If-Match" in missing.json()["message"]
    etag = client.get(_url(partnership, action.pk))["ETag"]
    first = api_send(api_as(org_admin), "PUT", url, {"status": "done"}, etag=etag)
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "done"
    assert first.json()["done_at"]
    second = api_send(client, "PUT", url, {"status": "open"}, etag=etag)
    assert second.status_code == 412
    assert f"changed by {org_admin.get_username()} meanwhile" in second.json()["message"]
    assert second["ETag"] == first["ETag"]
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_a_refused_status_leaves_the_item_unchanged(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partnership: Partnership
) -> None:
    action = ActionItem.objects.create(partnership=partnership, text="Talk about the rota")
    client, url = api_as(member), _url(partnership, action.pk, "status")
    etag = client.get(_url(partnership, action.pk))["ETag"]
    before = ActionItem.objects.values().get()
    bad = api_send(client, "PUT", url, {"status": "finished"}, etag=etag)
    assert bad.status_code == 422
    assert [p["path"] for p in bad.json()["problems"]] == ["body.payload.status"]
    stale = api_send(client, "PUT", url, {"status": "done"}, etag=f'"action-{action.pk}-v9-0123456789abcdef"')
    assert stale.status_code == 412
    assert (
        api_send(api_as(member, scope="read"), "PUT", url, {"status": "done"}, etag=etag).status_code == 403
    )
    assert ActionItem.objects.values().get() == before
