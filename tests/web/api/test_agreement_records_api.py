"""The agreement's records over the API: KPI readings, deliveries on commitments, decisions and votes,
through the pages' own forms, rules and services. What the API records shows on the agreement's pages,
never moves the agreement's version, and a refused write leaves everything as it was."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.web.agreements.models import Agreement, Decision, Delivery, Measurement, Vote
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    """Today plus ``n`` days, as the API writes dates."""
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def _url(partnership: Partnership, *rest: str) -> str:
    return "/".join([f"/api/v1/partnerships/{partnership.pk}/agreement", *rest])


def _harbor(agreement: Agreement, organisation: Organisation) -> str:
    return next(p for p, pk in agreement.partner_organisations.items() if pk == organisation.pk)


def _problems(response: Any) -> list[str]:
    return [problem["path"] for problem in response.json()["problems"]]


# --- readings and deliveries -----------------------------------------------------------------------


def test_a_reading_entered_over_the_api_shows_on_the_kpi_page_and_leaves_the_version(
    api_send: Callable[..., Any], api_as: Callable[..., Client], client_for: Callable[[Any], Client],
    org_admin: Any, partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    page_url = reverse("agreements:kpi", kwargs={"pk": partnership.pk, "kpi_id": "meals"})
    client_for(org_admin).get(page_url)  # the page's sections are cached from here on
    body = {"date": day(-3), "value": 240, "note": "Spring term, week one", "evidence": "https://x.org/r"}
    added = api_send(api_as(org_admin), "POST", _url(partnership, "kpis/meals/readings"), body)
    assert added.status_code == 201, added.content
    assert added.json() | {"id": 0, "created_at": ""} == {
        "id": 0, "kpi": "meals", "date": day(-3), "value": 240.0, "note": "Spring term, week one",
        "evidence": "https://x.org/r", "entered_by": "adam-admin", "created_at": "",
    }  # fmt: skip
    page = client_for(org_admin).get(page_url).content.decode()
    assert "Spring term, week one" in page
    fetched = api_as(org_admin).get(_url(partnership, f"kpis/meals/readings/{added.json()['id']}"))
    assert fetched.json() == added.json()
    agreement.refresh_from_db()
    assert agreement.version == 1
    # The agreement in force holds it too, and the reading of another KPI's path is not there.
    kpis = api_as(org_admin).get(_url(partnership, "kpis")).json()["items"]
    assert [m["value"] for m in kpis[0]["measurements"]] == [240.0]
    assert (
        api_as(org_admin).get(_url(partnership, f"kpis/trust/readings/{added.json()['id']}")).status_code
        == 404
    )


def test_a_delivery_recorded_over_the_api_shows_on_the_commitments_tab(
    api_send: Callable[..., Any], api_as: Callable[..., Client], client_for: Callable[[Any], Client],
    partner_admin: Any, partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    # The cook is owed to the partnership as a whole: Meadow's members record deliveries on it too.
    body = {"date": day(-1), "value": 1200, "note": "Two days of cooking", "met_in_full": True}
    added = api_send(api_as(partner_admin), "POST", _url(partnership, "commitments/cook/deliveries"), body)
    assert added.status_code == 201, added.content
    assert (added.json()["value"], added.json()["met_in_full"], added.json()["entered_by"]) == (
        1200.0, True, partner_admin.username,
    )  # fmt: skip
    page = client_for(partner_admin).get(reverse("agreements:commitments", kwargs={"pk": partnership.pk}))
    assert "Two days of cooking" in page.content.decode()
    listed = api_as(partner_admin).get(_url(partnership, "commitments/cook/deliveries")).json()
    assert (listed["count"], [d["note"] for d in listed["items"]]) == (1, ["Two days of cooking"])


def test_bad_records_are_refused_naming_the_field_and_nothing_is_saved(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    client = api_as(org_admin)
    readings, deliveries = (
        _url(partnership, "kpis/meals/readings"),
        _url(partnership, "commitments/cook/deliveries"),
    )
    cases = [
        (readings, {"date": day(2), "value": 1}, ["body.payload.date"]),  # in the future
        (readings, {"date": day(-200), "value": 1}, ["body.payload.date"]),  # before the baseline
        (readings, {"date": day(-1), "value": 1e16}, ["body.payload.value"]),  # the form's bound
        (readings, {"date": day(-1), "value": 1, "note": "x" * 4001}, ["body.payload.note"]),
        (readings, {"date": "someday", "value": 1}, ["body.payload.date"]),
        (deliveries, {"date": day(-1)}, ["body.payload.value"]),  # says nothing was delivered
        (deliveries, {"date": day(-1), "value": -5}, ["body.payload.value"]),
        (deliveries, {"date": day(1), "note": "Early"}, ["body.payload.date"]),
    ]
    for url, body, paths in cases:
        response = api_send(client, "POST", url, body)
        assert (response.status_code, _problems(response)) == (422, paths), (body, response.content)
        assert response.json()["message"]
    assert (Measurement.objects.count(), Delivery.objects.count()) == (0, 0)


def test_unknown_kpis_commitments_and_records_are_not_found_at_any_length(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    client = api_as(org_admin)
    for name in ("water", "x" * 300, "meals%20", "%C3%A9t%C3%A9"):
        for path in (f"kpis/{name}/readings", f"commitments/{name}/deliveries", f"decisions/{name}"):
            assert client.get(_url(partnership, path)).status_code == 404, path
        posted = api_send(
            client, "POST", _url(partnership, f"kpis/{name}/readings"), {"date": day(-1), "value": 1}
        )
        assert posted.status_code == 404
        voted = api_send(
            client, "POST", _url(partnership, f"decisions/{name}/votes"), {"partner": "x", "position": "yes"}
        )
        assert voted.status_code == 404
    assert client.get(_url(partnership, "kpis/meals/readings/999999")).status_code == 404
    assert client.get(_url(partnership, "commitments/cook/deliveries/999999")).status_code == 404
    assert Measurement.objects.count() == 0


def test_only_the_reporting_partner_enters_readings(
    api_send: Callable[..., Any], api_as: Callable[..., Client], partner_admin: Any, member: Any,
    partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    # "meals" is Harbor's to report; "trust" is joint, so Meadow's members may enter it.
    refused = api_send(api_as(partner_admin), "POST", _url(partnership, "kpis/meals/readings"),
                       {"date": day(-1), "value": 5})  # fmt: skip
    assert refused.status_code == 403
    assert "Harbor Health Alliance" in refused.json()["message"]
    joint = api_send(api_as(partner_admin), "POST", _url(partnership, "kpis/trust/readings"),
                     {"date": day(-1), "value": 4})  # fmt: skip
    assert joint.status_code == 201
    assert Measurement.objects.filter(kpi_id="meals").count() == 0


def test_record_lists_are_paged(
    api_as: Callable[..., Client], org_admin: Any, partnership: Partnership, agreement: Agreement
) -> None:
    for n in range(5):
        Measurement.objects.create(
            agreement=agreement, kpi_id="meals", date=timezone.localdate() - datetime.timedelta(days=n + 1),
            value=n, entered_by_name="adam-admin",
        )  # fmt: skip
    page = api_as(org_admin).get(_url(partnership, "kpis/meals/readings"), {"limit": 2, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [item["value"] for item in page["items"]] == [3.0, 2.0]  # oldest first: 4, 3, 2, 1, 0
    too_many = api_as(org_admin).get(_url(partnership, "kpis/meals/readings"), {"limit": 1000})
    assert (too_many.status_code, _problems(too_many)) == (422, ["query.limit"])


# --- decisions and votes ---------------------------------------------------------------------------


def _propose(client: Client, send: Callable[..., Any], partnership: Partnership, **body: Any) -> Any:
    return send(
        client, "POST", _url(partnership, "decisions"), {"title": "Buy an oven", "closes": day(14)} | body
    )


def test_a_proposal_and_votes_over_the_api_show_on_the_decision_page(
    api_send: Callable[..., Any], api_as: Callable[..., Client], client_for: Callable[[Any], Client],
    org_admin: Any, partner_admin: Any, organisation: Organisation, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    harbor = _harbor(agreement, organisation)
    meadow = next(p for p in agreement.partner_organisations if p != harbor)
    opened = _propose(
        api_as(org_admin), api_send, partnership, partner=harbor, proposal="For the school kitchen"
    )
    assert opened.status_code == 201, opened.content
    decision = opened.json()
    assert (decision["id"], decision["status"], decision["voting_open"], decision["can_vote_for"]) == (
        "buy-an-oven", "pending", True, [harbor],
    )  # fmt: skip
    votes = _url(partnership, "decisions/buy-an-oven/votes")
    first = api_send(api_as(org_admin), "POST", votes, {"partner": harbor, "position": "no"})
    assert first.status_code == 200, first.content
    # Voting again replaces Harbor's position: one vote per partner, the last counts.
    again = api_send(api_as(org_admin), "POST", votes, {"partner": harbor, "position": "yes"})
    assert [(v["partner"], v["position"]) for v in again.json()["votes"]] == [(harbor, "yes")]
    # Meadow's admin votes for Meadow only.
    refused = api_send(
        api_as(partner_admin), "POST", votes, {"partner": harbor, "position": "block", "reason": "No"}
    )
    assert refused.status_code == 403
    both = api_send(api_as(partner_admin), "POST", votes, {"partner": meadow, "position": "yes"})
    assert (both.status_code, both.json()["status"]) == (200, "passed")
    assert Vote.objects.filter(decision__slug="buy-an-oven").count() == 2
    page = (
        client_for(org_admin)
        .get(reverse("agreements:decision", kwargs={"pk": partnership.pk, "decision_id": "buy-an-oven"}))
        .content.decode()
    )
    assert "Buy an oven" in page
    assert "For the school kitchen" in page
    listed = api_as(partner_admin).get(_url(partnership, "decisions")).json()
    assert [(d["id"], d["status"]) for d in listed["items"]] == [("buy-an-oven", "passed")]
    agreement.refresh_from_db()
    assert agreement.version == 1


def test_a_proposal_is_checked_by_the_page_s_form_and_rules(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, partner_admin: Any,
    organisation: Organisation, partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    harbor = _harbor(agreement, organisation)
    client = api_as(org_admin)
    assert _propose(client, api_send, partnership, partner=harbor).status_code == 201
    cases = [
        ({"partner": harbor}, ["body.payload.title"]),  # its title is in the log already
        ({"partner": harbor, "title": "Later", "closes": day(-1)}, ["body.payload.closes"]),
        ({"partner": harbor, "title": "Later", "closes": day(400)}, ["body.payload.closes"]),
        ({"partner": "nobody", "title": "Later"}, ["body.payload.partner"]),
        ({"partner": harbor, "title": "Later", "rule_kind": "supermajority", "share": 40},
         ["body.payload.share"]),
        ({"partner": harbor, "title": "Later", "rule_kind": "weighted", "weights": {"nobody": 1}},
         ["body.payload.weights.nobody"]),
    ]  # fmt: skip
    for body, paths in cases:
        response = _propose(client, api_send, partnership, **body)
        assert (response.status_code, _problems(response)) == (422, paths), (body, response.content)
    # Meadow's admin may not propose for Harbor.
    assert (
        _propose(api_as(partner_admin), api_send, partnership, partner=harbor, title="Later").status_code
        == 403
    )
    assert list(Decision.objects.values_list("slug", flat=True)) == ["buy-an-oven"]
    own = _propose(
        client, api_send, partnership, partner=harbor, title="Weigh it", rule_kind="supermajority", share=75
    )
    assert own.json()["rule"] == {"kind": "supermajority", "share": 0.75, "weights": None, "quota": None,
                                  "quorum": None}  # fmt: skip
    assert own.json()["rule_is_own"] is True


def test_a_vote_on_a_closed_or_decided_decision_is_a_conflict(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, organisation: Organisation,
    partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    harbor = _harbor(agreement, organisation)
    today = timezone.localdate()
    Decision.objects.create(agreement=agreement, slug="closed", title="Closed", proposed_by=harbor,
                            proposer_name="a", opened=today - datetime.timedelta(days=20),
                            closes=today - datetime.timedelta(days=1))  # fmt: skip
    Decision.objects.create(agreement=agreement, slug="decided", title="Decided", proposed_by=harbor,
                            proposer_name="a", opened=today, closes=today + datetime.timedelta(days=9),
                            outcome="Done.", decided_at=timezone.now())  # fmt: skip
    for slug in ("closed", "decided"):
        response = api_send(api_as(org_admin), "POST", _url(partnership, f"decisions/{slug}/votes"),
                            {"partner": harbor, "position": "yes"})  # fmt: skip
        assert response.status_code == 409, response.content
        assert "voting has ended" in response.json()["message"]
        assert api_as(org_admin).get(_url(partnership, f"decisions/{slug}")).json()["can_vote_for"] == []
    assert Vote.objects.count() == 0


def test_a_vote_is_checked_by_the_page_s_form(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, organisation: Organisation,
    partnership: Partnership, agreement: Agreement,
) -> None:  # fmt: skip
    harbor = _harbor(agreement, organisation)
    _propose(api_as(org_admin), api_send, partnership, partner=harbor)
    votes = _url(partnership, "decisions/buy-an-oven/votes")
    cases = [
        ({"partner": harbor, "position": "block"}, ["body.payload.reason"]),  # a block says why
        ({"partner": harbor, "position": "object"}, ["body.payload.position"]),  # not under consensus
        ({"partner": "nobody", "position": "yes"}, ["body.payload.partner"]),
        ({"partner": harbor, "position": "maybe"}, ["body.payload.position"]),
    ]
    for body, paths in cases:
        response = api_send(api_as(org_admin), "POST", votes, body)
        assert (response.status_code, _problems(response)) == (422, paths), (body, response.content)
    assert Vote.objects.count() == 0


def test_records_of_a_kpi_or_commitment_that_left_the_terms_are_not_found_one_by_one_either(
    api_send: Callable[..., Any], api_as: Callable[..., Client], org_admin: Any, partnership: Partnership,
    agreement: Agreement,
) -> None:  # fmt: skip
    """The lists answered 404 once the item left the terms while a record of it was still served."""
    client = api_as(org_admin)
    reading = api_send(
        client, "POST", _url(partnership, "kpis/meals/readings"), {"date": day(-2), "value": 5}
    )
    delivery = api_send(client, "POST", _url(partnership, "commitments/cook/deliveries"),
                        {"date": day(-1), "note": "Cooked"})  # fmt: skip
    assert (reading.status_code, delivery.status_code) == (201, 201)
    what = agreement.document["what"]
    what["kpis"] = [kpi for kpi in what["kpis"] if kpi["id"] != "meals"]
    what["commitments"] = [c for c in what["commitments"] if c["id"] != "cook"]
    agreement.save(update_fields=["document"])
    for path in (
        f"kpis/meals/readings/{reading.json()['id']}",
        f"commitments/cook/deliveries/{delivery.json()['id']}",
    ):
        assert client.get(_url(partnership, path)).status_code == 404
        assert client.get(_url(partnership, path.rsplit("/", 1)[0])).status_code == 404
