"""The agreement's sign-off over the API: who signed which version and signing one, comments on its
parts, and each partner's contribution in its own words, through the page's own rules and services; what
the API does shows on the agreement page, and a refused write leaves everything as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.web.agreements.models import Agreement, AgreementRevision, Comment, Signature
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _url(partnership: Partnership, *rest: str) -> str:
    return "/".join([f"/api/v1/partnerships/{partnership.pk}/agreement", *rest])


def _partner_id(agreement: Agreement, organisation: Organisation) -> str:
    return next(p for p, pk in agreement.partner_organisations.items() if pk == organisation.pk)


def _sign(client: Client, send: Callable[..., Any], partnership: Partnership, slug: str, version: int) -> Any:
    return send(client, "POST", _url(partnership, "signatures"), {"organisation": slug, "version": version})


def test_a_signature_made_over_the_api_shows_on_the_agreement_page_and_in_the_sign_off(
    api_send: Callable[..., Any], api_as: Callable[..., Client], client_for: Callable[[Any], Client],
    org_admin: Any, partner_admin: Any, organisation: Organisation, partner_organisation: Organisation,
    partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    before = api_as(org_admin).get(_url(partnership, "signatures")).json()
    assert (before["version"], before["agreed"], before["signatures"]) == (1, False, [])
    assert [(row["name"], row["can_sign"]) for row in before["partners"]] == [
        ("Harbor Health Alliance", True), ("Meadow Grocers", False),
    ]  # fmt: skip
    signed = _sign(api_as(org_admin), api_send, partnership, organisation.slug, 1)
    assert signed.status_code == 201, signed.content
    harbor = signed.json()["partners"][0]
    assert harbor["signed"]["signer"] == "adam-admin"
    assert harbor["partner"] == _partner_id(agreement, organisation)
    assert signed.json()["agreed"] is False
    page = client_for(org_admin).get(reverse("agreements:detail", kwargs={"pk": partnership.pk}))
    assert "Signed by adam-admin on" in page.content.decode()
    assert "Sign version 1 for Harbor Health Alliance" not in page.content.decode()
    # Meadow's admin signs for Meadow: every partner has signed the version in force.
    both = _sign(api_as(partner_admin), api_send, partnership, partner_organisation.slug, 1)
    assert both.status_code == 201, both.content
    assert both.json()["agreed"] is True
    listed = [(s["organisation_name"], s["version"]) for s in both.json()["signatures"]]
    assert listed == [("Meadow Grocers", 1), ("Harbor Health Alliance", 1)]  # newest first
    agreement.refresh_from_db()
    assert (agreement.version, agreement.document["state"]) == (1, "agreed")


def test_signing_a_version_no_longer_in_force_is_refused_and_nothing_is_signed(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, member: Any,
    organisation: Organisation, partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    read = api_as(org_admin).get(_url(partnership, "signatures")).json()
    why = api_as(member).get(_url(partnership, "sections", "why"))
    changed = api_send(api_as(member), "PUT", _url(partnership, "sections", "why"),
                       {"content": why.json()["content"] | {"shared_vision": "Fresh food"}},
                       etag=why["ETag"])  # fmt: skip
    assert changed.status_code == 200
    stale = _sign(api_as(org_admin), api_send, partnership, organisation.slug, read["version"])
    assert stale.status_code == 409
    assert "mia-member changed the agreement meanwhile: version 2 is now in force" in stale.json()["message"]
    assert not Signature.objects.exists()
    # Read again, sign what is in force; a second signature of it is refused too.
    assert _sign(api_as(org_admin), api_send, partnership, organisation.slug, 2).status_code == 201
    twice = _sign(api_as(org_admin), api_send, partnership, organisation.slug, 2)
    assert twice.status_code == 409
    assert "already signed version 2" in twice.json()["message"]
    assert Signature.objects.count() == 1


def test_no_one_signs_for_an_organisation_that_is_not_theirs(
    api_send: Callable[..., Any], api_as: Callable[..., Client], partner_admin: Any, org_admin: Any,
    other_organisation: Organisation, organisation: Organisation, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    for_harbor = _sign(api_as(partner_admin), api_send, partnership, organisation.slug, 1)
    assert for_harbor.status_code == 403
    assert "Only an admin or owner of that partner organisation" in for_harbor.json()["message"]
    not_a_partner = _sign(api_as(org_admin), api_send, partnership, other_organisation.slug, 1)
    assert not_a_partner.status_code == 422
    assert [p["path"] for p in not_a_partner.json()["problems"]] == ["body.payload.organisation"]
    assert not Signature.objects.exists()


def test_partners_and_facilitators_comment_and_everyone_in_the_partnership_reads_the_comments(
    api_send: Callable[..., Any], api_as: Callable[..., Client], client_for: Callable[[Any], Client],
    member: Any, facilitator: Any, viewer: Any, partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    url = _url(partnership, "comments")
    added = api_send(
        api_as(facilitator), "POST", url, {"section": "how", "text": "  Who chairs the board?  "}
    )
    assert added.status_code == 201, added.content
    assert added.json() | {"id": 0, "created_at": ""} == {
        "id": 0, "section": "how", "author": "fay-facilitator", "as_facilitator": True,
        "text": "Who chairs the board?", "version": 1, "created_at": "",
    }  # fmt: skip
    assert (
        api_send(api_as(member), "POST", url, {"section": "why", "text": "Name the schools"}).status_code
        == 201
    )
    listed = api_as(viewer, scope="read").get(url).json()
    assert [(c["section"], c["author"]) for c in listed["items"]] == [
        ("how", "fay-facilitator"), ("why", "mia-member"),
    ]  # fmt: skip
    assert listed["count"] == 2
    page = client_for(viewer).get(reverse("agreements:detail", kwargs={"pk": partnership.pk}))
    assert "Who chairs the board?" in page.content.decode()
    # A viewer only reads, as on the page; a part that is not one, or no text, is named and not saved.
    refused = api_send(api_as(viewer), "POST", url, {"section": "why", "text": "Me too"})
    assert refused.status_code == 403
    for body, path in (({"section": "when", "text": "x"}, "body.payload.section"),
                       ({"section": "why", "text": ""}, "body.payload.text")):  # fmt: skip
        bad = api_send(api_as(member), "POST", url, body)
        assert bad.status_code == 422
        assert bad.json()["problems"][0]["path"] == path
    assert Comment.objects.count() == 2


def test_a_partner_states_its_own_contribution_with_if_match_and_only_its_own(
    api_send: Callable[..., Any], api_as: Callable[..., Client], member: Any, partner_admin: Any,
    organisation: Organisation, partner_organisation: Organisation, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    harbor, meadow = _partner_id(agreement, organisation), _partner_id(agreement, partner_organisation)
    url = _url(partnership, "contributions", harbor)
    read = api_as(member).get(url)
    assert read.json() == {"partner": harbor, "name": "Harbor Health Alliance", "contribution": None,
                           "version": 1}  # fmt: skip
    assert read["ETag"].startswith(f'"contribution-{agreement.pk}-v1-')
    body = {"contribution": "Two school kitchens and their cooks"}
    assert api_send(api_as(member), "PUT", url, body).status_code == 428
    saved = api_send(api_as(member), "PUT", url, body, etag=read["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved.json()["contribution"] == "Two school kitchens and their cooks"
    assert saved.json()["version"] == 2
    who = api_as(member).get(_url(partnership, "sections", "who")).json()["content"]
    assert [p.get("contribution") for p in who["partners"]] == ["Two school kitchens and their cooks", None]
    # From the earlier read: 412, even with a text the form refuses (the version is heard of first).
    stale = api_send(api_as(member), "PUT", url, {"contribution": "Cooks\x00"}, etag=read["ETag"])
    assert stale.status_code == 412
    assert stale["ETag"] == saved["ETag"]
    bad = api_send(api_as(member), "PUT", url, {"contribution": "Cooks\x00"}, etag=saved["ETag"])
    assert bad.status_code == 422
    assert [p["path"] for p in bad.json()["problems"]] == ["body.payload.contribution"]
    # Meadow's admin cannot word Harbor's, even from a current read; Meadow's own is theirs to state.
    current = api_as(partner_admin).get(url)["ETag"]
    refused = api_send(api_as(partner_admin), "PUT", url, {"contribution": "Nothing"}, etag=current)
    assert refused.status_code == 403
    meadow_url = _url(partnership, "contributions", meadow)
    own = api_send(api_as(partner_admin), "PUT", meadow_url, {"contribution": "Fruit, every day"},
                   etag=api_as(partner_admin).get(meadow_url)["ETag"])  # fmt: skip
    assert own.status_code == 200, own.content
    for unknown in ("nobody", "x" * 65, "no%20body"):  # not named, whatever its form: 404, not 422
        assert api_as(member).get(_url(partnership, "contributions", unknown)).status_code == 404, unknown
    agreement.refresh_from_db()
    assert agreement.version == 3
    assert [p.get("contribution") for p in agreement.document["who"]["partners"]] == [
        "Two school kitchens and their cooks", "Fruit, every day",
    ]  # fmt: skip


def test_a_contribution_as_it_stands_writes_nothing_and_a_change_after_signing_reopens_sign_off(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, partner_admin: Any,
    organisation: Organisation, partner_organisation: Organisation, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    for user, slug in ((org_admin, organisation.slug), (partner_admin, partner_organisation.slug)):
        assert _sign(api_as(user), api_send, partnership, slug, 1).status_code == 201
    revisions = AgreementRevision.objects.count()
    url = _url(partnership, "contributions", _partner_id(agreement, organisation))
    read = api_as(org_admin).get(url)
    for same in ("", "  "):  # none stated, and none again: the signed agreement stays signed
        kept = api_send(api_as(org_admin), "PUT", url, {"contribution": same}, etag=read["ETag"])
        assert kept.status_code == 200, kept.content
        assert (kept.json(), kept["ETag"]) == (read.json(), read["ETag"])
    agreement.refresh_from_db()
    assert (agreement.version, agreement.document["state"]) == (1, "agreed")
    assert AgreementRevision.objects.count() == revisions
    saved = api_send(api_as(org_admin), "PUT", url, {"contribution": "Kitchens"}, etag=read["ETag"])
    assert saved.status_code == 200
    signoff = api_as(org_admin).get(_url(partnership, "signatures")).json()
    assert (signoff["version"], signoff["agreed"]) == (2, False)
    assert [row["earlier"]["version"] for row in signoff["partners"]] == [1, 1]
    agreement.refresh_from_db()
    assert agreement.document["state"] == "draft"
    # The same words again (as the form trims them) change nothing more.
    again = api_send(api_as(org_admin), "PUT", url, {"contribution": "Kitchens "}, etag=saved["ETag"])
    assert (again.status_code, again["ETag"]) == (200, saved["ETag"])
    assert Agreement.objects.get(pk=agreement.pk).version == 2
