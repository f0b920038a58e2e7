"""Resolving an objection and recording a decision's outcome over the API, through the decision page's
own forms, rules and services: what the API does shows on the decision page, a refused write leaves the
decision as it was, and the state the page refuses in is a conflict (409)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from agreement_terms import put_terms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.web.agreements.models import Agreement, Decision, Vote
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    """Today plus ``n`` days, as the API writes dates."""
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def _url(partnership: Partnership, *rest: str) -> str:
    return "/".join([f"/api/v1/partnerships/{partnership.pk}/agreement", *rest])


def _partners(agreement: Agreement, organisation: Organisation) -> tuple[str, str]:
    """Harbor's and Meadow's ids in the agreement."""
    harbor = next(p for p, pk in agreement.partner_organisations.items() if pk == organisation.pk)
    return harbor, next(p for p in agreement.partner_organisations if p != harbor)


def _problems(response: Any) -> list[str]:
    return [problem["path"] for problem in response.json()["problems"]]


def _page(client: Client, partnership: Partnership, slug: str) -> str:
    url = reverse("agreements:decision", kwargs={"pk": partnership.pk, "decision_id": slug})
    return client.get(url).content.decode()


def _open(send: Callable[..., Any], client: Client, partnership: Partnership, partner: str) -> None:
    """Harbor's admin proposes "Buy an oven" for ``partner``, closing in a fortnight."""
    opened = send(client, "POST", _url(partnership, "decisions"),
                  {"partner": partner, "title": "Buy an oven", "closes": day(14)})  # fmt: skip
    assert opened.status_code == 201, opened.content


def _vote(send: Callable[..., Any], client: Client, partnership: Partnership, **body: str) -> None:
    voted = send(client, "POST", _url(partnership, "decisions/buy-an-oven/votes"), body)
    assert voted.status_code == 200, voted.content


# --- objections ------------------------------------------------------------------------------------


def test_an_objection_resolved_over_the_api_shows_as_resolved_on_the_decision_page(
    api_send: Callable[..., Any], api_as: Callable[..., Client], client_for: Callable[[Any], Client],
    org_admin: Any, partner_admin: Any, member: Any, organisation: Organisation, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    harbor, meadow = _partners(agreement, organisation)
    put_terms(agreement, rule={"kind": "consent"})
    _open(api_send, api_as(org_admin), partnership, harbor)
    _vote(api_send, api_as(partner_admin), partnership, partner=meadow, position="object",
          reason="Costs too much this year")  # fmt: skip
    _vote(api_send, api_as(org_admin), partnership, partner=harbor, position="yes")
    detail = _url(partnership, "decisions/buy-an-oven")
    # Each side sees whose objection it may resolve: only Meadow's admin, for Meadow.
    held = api_as(partner_admin).get(detail).json()
    assert (held["status"], held["can_resolve_for"]) == ("pending", [meadow])
    assert api_as(org_admin).get(detail).json()["can_resolve_for"] == []
    assert "objection not yet resolved" in _page(client_for(member), partnership, "buy-an-oven")

    resolve = _url(partnership, "decisions/buy-an-oven/resolve")
    refused = api_send(api_as(org_admin), "POST", resolve, {"partner": meadow})
    assert refused.status_code == 403
    assert "Meadow Grocers" in refused.json()["message"]
    assert Vote.objects.get(partner_id=meadow).resolved is False

    resolved = api_send(api_as(partner_admin), "POST", resolve, {"partner": meadow})
    assert resolved.status_code == 200, resolved.content
    shown = resolved.json()
    assert [(v["partner"], v["position"], v["resolved"]) for v in shown["votes"]] == [
        (meadow, "object", True), (harbor, "yes", False),
    ]  # fmt: skip
    assert (shown["status"], shown["can_resolve_for"]) == ("passed", [])
    page = _page(client_for(member), partnership, "buy-an-oven")
    assert "(resolved or withdrawn)" in page
    assert '<span class="verdict verdict-aligned">Passed</span>' in page
    # Resolved already: the page's "no open objection", as a conflict; nothing changes.
    again = api_send(api_as(partner_admin), "POST", resolve, {"partner": meadow})
    assert again.status_code == 409
    assert "Meadow Grocers has no open objection to this decision." in again.json()["message"]
    agreement.refresh_from_db()
    assert agreement.version == 1


def test_a_resolution_is_refused_where_the_page_refuses_it(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, member: Any,
    facilitator: Any, organisation: Organisation, partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    harbor, meadow = _partners(agreement, organisation)
    today = timezone.localdate()
    days = datetime.timedelta
    stored = {
        "open": {"opened": today, "closes": today + days(9)},
        "closed": {"opened": today - days(20), "closes": today - days(1)},
        "decided": {
            "opened": today,
            "closes": today + days(9),
            "outcome": "Done.",
            "decided_at": timezone.now(),
        },
    }
    for slug, when in stored.items():
        decision = Decision.objects.create(
            agreement=agreement, slug=slug, title=slug.title(), proposed_by=harbor, proposer_name="a", **when
        )
        Vote.objects.create(decision=decision, partner_id=harbor, position="block", reason="Too dear",
                            voter_name="adam-admin")  # fmt: skip
    client = api_as(org_admin)
    cases = [
        ("closed", {"partner": harbor}, 409, "voting has ended"),
        ("decided", {"partner": harbor}, 409, "The outcome of this decision is recorded"),
        ("open", {"partner": meadow}, 403, "Meadow Grocers"),  # not Harbor's admin's to resolve
        ("open", {"partner": "nobody"}, 422, "not valid"),
        ("open", {"partner": "x" * 65}, 422, "request"),
    ]
    for slug, body, status, words in cases:
        response = api_send(client, "POST", _url(partnership, f"decisions/{slug}/resolve"), body)
        assert response.status_code == status, (slug, body, response.content)
        assert words in response.json()["message"], response.json()
        if status == 422:
            assert _problems(response) == ["body.payload.partner"]
    # Harbor's member and the facilitator do not represent Harbor.
    for who in (member, facilitator):
        response = api_send(
            api_as(who), "POST", _url(partnership, "decisions/open/resolve"), {"partner": harbor}
        )
        assert response.status_code == 403
    assert not Vote.objects.filter(resolved=True).exists()


def test_unknown_decisions_are_not_found_at_any_length_for_either_action(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, organisation: Organisation,
    partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    harbor, _ = _partners(agreement, organisation)
    client = api_as(org_admin)
    for name in ("water", "x" * 300, "buy-an-oven%20", "%C3%A9t%C3%A9"):
        resolved = api_send(
            client, "POST", _url(partnership, f"decisions/{name}/resolve"), {"partner": harbor}
        )
        recorded = api_send(
            client, "POST", _url(partnership, f"decisions/{name}/outcome"), {"outcome": "Done"}
        )
        assert (resolved.status_code, recorded.status_code) == (404, 404), name
        assert resolved.json() == recorded.json()
    assert Decision.objects.count() == 0


# --- outcomes --------------------------------------------------------------------------------------


def test_an_outcome_recorded_over_the_api_shows_on_the_decision_page(
    api_send: Callable[..., Any], api_as: Callable[..., Client], client_for: Callable[[Any], Client],
    org_admin: Any, partner_admin: Any, member: Any, viewer: Any, facilitator: Any,
    organisation: Organisation, partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    harbor, meadow = _partners(agreement, organisation)
    _open(api_send, api_as(org_admin), partnership, harbor)
    _vote(api_send, api_as(org_admin), partnership, partner=harbor, position="yes")
    _vote(api_send, api_as(partner_admin), partnership, partner=meadow, position="yes")
    detail = _url(partnership, "decisions/buy-an-oven")
    may = {who.username: api_as(who).get(detail).json()["can_record_outcome"]
           for who in (member, partner_admin, viewer, facilitator)}  # fmt: skip
    assert may == {member.username: True, partner_admin.username: True, viewer.username: False,
                   facilitator.username: False}  # fmt: skip
    outcome = _url(partnership, "decisions/buy-an-oven/outcome")
    body = {"outcome": "Harbor buys the oven; Meadow pays a third.", "review_date": day(180)}
    recorded = api_send(api_as(member), "POST", outcome, body)
    assert recorded.status_code == 200, recorded.content
    shown = recorded.json()
    assert (shown["outcome"], shown["review_date"], shown["status"]) == (body["outcome"], day(180), "passed")
    assert (shown["voting_open"], shown["can_vote_for"], shown["can_record_outcome"]) == (False, [], False)
    page = _page(client_for(viewer), partnership, "buy-an-oven")
    assert "Harbor buys the oven; Meadow pays a third." in page
    assert f"Recorded by {member.username} on {timezone.localdate().isoformat()}" in page
    assert f"To be reviewed on {day(180)}" in page
    # Recorded once: a second statement is a conflict, and voting has ended with it.
    again = api_send(api_as(partner_admin), "POST", outcome, {"outcome": "Something else"})
    assert again.status_code == 409
    assert f"{member.username} recorded the outcome already" in again.json()["message"]
    late = api_send(api_as(org_admin), "POST", _url(partnership, "decisions/buy-an-oven/votes"),
                    {"partner": harbor, "position": "no"})  # fmt: skip
    assert late.status_code == 409
    assert Decision.objects.get(slug="buy-an-oven").outcome == body["outcome"]
    agreement.refresh_from_db()
    assert agreement.version == 1


def test_an_outcome_waits_for_the_rule_and_is_checked_by_the_page_s_form(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, partner_admin: Any,
    viewer: Any, facilitator: Any, organisation: Organisation, partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    harbor, meadow = _partners(agreement, organisation)
    _open(api_send, api_as(org_admin), partnership, harbor)
    outcome = _url(partnership, "decisions/buy-an-oven/outcome")
    pending = api_send(api_as(org_admin), "POST", outcome, {"outcome": "Buy it"})
    assert pending.status_code == 409
    assert "The decision is still open" in pending.json()["message"]
    _vote(api_send, api_as(org_admin), partnership, partner=harbor, position="yes")
    _vote(api_send, api_as(partner_admin), partnership, partner=meadow, position="yes")
    cases = [
        ({"outcome": "   "}, ["body.payload.outcome"]),  # the form strips it: empty
        ({"outcome": "x" * 4001}, ["body.payload.outcome"]),
        ({}, ["body.payload.outcome"]),
        ({"outcome": "Buy it", "review_date": day(0)}, ["body.payload.review_date"]),  # not in the future
        ({"outcome": "Buy it", "review_date": "someday"}, ["body.payload.review_date"]),
    ]
    for body, paths in cases:
        response = api_send(api_as(org_admin), "POST", outcome, body)
        assert (response.status_code, _problems(response)) == (422, paths), (body, response.content)
    # A viewer and a facilitator follow the decision; they do not write its outcome.
    for who in (viewer, facilitator):
        assert api_send(api_as(who), "POST", outcome, {"outcome": "Buy it"}).status_code == 403
    assert Decision.objects.get(slug="buy-an-oven").decided_at is None
