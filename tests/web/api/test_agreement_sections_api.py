"""The agreement's parts over the API: read each as its edit page holds it, change one with If-Match
through the page's own checks (sections.PARTS) and service; a refused change leaves the agreement as it
was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commonground.web.agreements.models import Agreement, AgreementRevision
from commonground.web.agreements.sections import PARTS
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _url(partnership: Partnership, *rest: str) -> str:
    return "/".join([f"/api/v1/partnerships/{partnership.pk}/agreement/sections", *rest])


def test_every_part_reads_as_its_edit_page_holds_it(
    api_as: Callable[..., Client], viewer: Any, partnership: Partnership, agreement: Agreement
) -> None:
    client = api_as(viewer, scope="read")
    listed = client.get(_url(partnership)).json()
    assert [item["key"] for item in listed["items"]] == list(PARTS)
    what = client.get(_url(partnership, "what"))
    assert what["ETag"].startswith(f'"what-{agreement.pk}-v{agreement.version}-')
    # Terms only: readings and deliveries are records, entered on their own pages.
    assert all("measurements" not in kpi for kpi in what.json()["content"]["kpis"])
    # A name that is no part is not found, as on the part edit page (not a validation error).
    unknown = client.get(_url(partnership, "when"))
    assert unknown.status_code == 404
    assert unknown.json() == client.get("/api/v1/partnerships/999999").json()
    # However long the name (the parts' names are short, an unknown one need not be).
    assert client.get(_url(partnership, "who-does-what-now")).status_code == 404
    assert client.get(_url(partnership, "x" * 300)).status_code == 404


def test_a_change_makes_a_new_version_and_needs_the_current_etag(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, org_admin: Any,
    partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    client, url = api_as(member), _url(partnership, "why")
    read = client.get(url)
    body = {"content": read.json()["content"] | {"shared_vision": "Every child eats well"}}
    assert api_send(client, "PUT", url, body).status_code == 428
    saved = api_send(api_as(org_admin), "PUT", url, body, etag=read["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == agreement.version + 1
    assert saved.json()["content"]["shared_vision"] == "Every child eats well"
    assert AgreementRevision.objects.filter(agreement=agreement, number=agreement.version + 1).exists()
    # A read of any part before that save is out of date: the version moved.
    stale = api_send(client, "PUT", url, body | {"content": body["content"] | {"shared_vision": "x"}},
                     etag=read["ETag"])  # fmt: skip
    assert stale.status_code == 412
    assert f"changed by {org_admin.get_username()} meanwhile" in stale.json()["message"]
    assert stale["ETag"] == saved["ETag"]
    # Out of date and not valid either: the version is what the writer must hear of first.
    both = api_send(client, "PUT", url, {"content": body["content"] | {"status": "maybe"}}, etag=read["ETag"])
    assert both.status_code == 412
    agreement.refresh_from_db()
    assert agreement.document["why"]["shared_vision"] == "Every child eats well"


def test_a_refused_change_names_its_field_and_leaves_the_agreement_unchanged(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    client = api_as(member)
    before = Agreement.objects.values("version", "document").get()
    why = client.get(_url(partnership, "why"))
    bad = api_send(client, "PUT", _url(partnership, "why"),
                   {"content": why.json()["content"] | {"status": "maybe"}}, etag=why["ETag"])  # fmt: skip
    assert bad.status_code == 422
    assert [p["path"] for p in bad.json()["problems"]] == ["body.payload.content.status"]
    what = client.get(_url(partnership, "what"))
    content = what.json()["content"]
    content["kpis"][0]["measurements"] = [{"date": "2026-01-01", "value": 3}]
    record = api_send(client, "PUT", _url(partnership, "what"), {"content": content}, etag=what["ETag"])
    assert record.status_code == 422
    assert record.json()["problems"][0]["path"] == "body.payload.content.kpis[0].measurements"
    who = client.get(_url(partnership, "who"))
    partners = who.json()["content"]["partners"]
    renamed = {
        "content": who.json()["content"] | {"partners": [partners[0] | {"id": "someone-else"}, *partners[1:]]}
    }
    moved = api_send(client, "PUT", _url(partnership, "who"), renamed, etag=who["ETag"])
    assert moved.status_code == 422
    # A list's place holding a number or a word is named, not a server error.
    for wrong in (5, "ab"):
        typed = api_send(client, "PUT", _url(partnership, "what"),
                         {"content": content | {"kpis": wrong}}, etag=what["ETag"])  # fmt: skip
        assert typed.status_code == 422
        assert typed.json()["problems"][0]["path"].startswith("body.payload.content.kpis")
    assert Agreement.objects.values("version", "document").get() == before


def test_a_part_put_as_it_stands_writes_nothing(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    revisions = AgreementRevision.objects.filter(agreement=agreement).count()
    for part in PARTS:
        read = api_as(member).get(_url(partnership, part))
        kept = api_send(api_as(member), "PUT", _url(partnership, part), {"content": read.json()["content"]},
                        etag=read["ETag"])  # fmt: skip
        assert kept.status_code == 200, (part, kept.content)
        assert (kept.json(), kept["ETag"]) == (read.json(), read["ETag"]), part
    assert Agreement.objects.get(pk=agreement.pk).version == agreement.version
    assert AgreementRevision.objects.filter(agreement=agreement).count() == revisions


def test_a_change_of_a_part_that_does_not_exist_is_not_found(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    etag = api_as(member).get(_url(partnership, "why"))["ETag"]
    for name in ("when", "who-does-what-now"):
        response = api_send(api_as(member), "PUT", _url(partnership, name), {"content": {}}, etag=etag)
        assert response.status_code == 404, (name, response.content)
    assert Agreement.objects.get(pk=agreement.pk).version == agreement.version
