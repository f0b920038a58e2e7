"""The agreement page's and a KPI page's read-only sections come from the cache: every change shows the
moment it is made, every reader sees only their own forms, and a page read again costs fewer queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from agreement_terms import days, put_terms
from django.test import Client
from django.urls import reverse

from commonground.web.agreements import services
from commonground.web.agreements.cached_sections import agreement_sections, kpi_sections
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.sections import PARTS
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for


def _url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"pk": partnership.pk, **kwargs})


def _page(client: Client, partnership: Partnership, name: str = "detail", **kwargs: Any) -> str:
    response = client.get(_url(name, partnership, **kwargs))
    assert response.status_code == 200
    return str(response.content.decode())


def _untokened(page: str) -> str:
    """The page with its CSRF tokens blanked (each response masks the token afresh)."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', page)


def _cook_met(page: str) -> str:
    """The "Met" cell of the cook's row in WHAT's commitments."""
    found = re.search(r"<td>A cook two days a week</td>.*?<td>(Yes|No)</td></tr>", page)
    assert found, "no row for the cook"
    return found.group(1)


@pytest.fixture
def agreement(partnership: Partnership, member: Any) -> Agreement:
    """The partnership's agreement with the default test terms (see ``agreement_terms``)."""
    started = services.agreement_start(
        access=partnership_access_for(user=member, partnership_id=partnership.pk), user=member
    )
    return put_terms(started)


def test_the_agreement_page_shows_each_change_the_moment_it_is_made(
    member_client: Client, partner_admin_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    harbor = agreement.document["who"]["partners"][0]["id"]
    page = _page(member_client, partnership)
    # Read again: the sections from the cache, the same page.
    assert _untokened(page) == _untokened(_page(member_client, partnership))
    assert _cook_met(page) == "No"
    # A part edited: a new version.
    data = PARTS["why"].initial(agreement.document) | {"shared_vision": "Lunches worth queuing for.",
                                                       "version": 1}  # fmt: skip
    assert member_client.post(_url("part_edit", partnership, part_key="why"), data).status_code == 302
    assert "Lunches worth queuing for." in _page(member_client, partnership)
    # A delivery in full: a record, the version unchanged.
    member_client.post(
        _url("delivery_add", partnership, commitment_id="cook"),
        {"date": days(0), "value": "5000", "met_in_full": "on"},
    )
    assert _cook_met(_page(member_client, partnership)) == "Yes"
    # A decision proposed: HOW counts it in the log.
    member_client.post(
        _url("propose", partnership),
        {"partner": harbor, "title": "Fund a cook", "proposal": "Share it.", "closes": days(7)},
    )
    assert "1 decision in the log" in _page(member_client, partnership)
    # A contribution in the partner's words, and a signature.
    member_client.post(
        _url("contribution", partnership), {"partner": harbor, "contribution": "Two cooks.", "version": 2}
    )
    meadow = partnership.members.get(organisation__name="Meadow Grocers").organisation_id
    partner_admin_client.post(_url("sign", partnership), {"organisation": meadow, "version": 3})
    page = _page(member_client, partnership)
    assert "In its own words: Two cooks." in page
    assert "Signed by paul-partner-admin" in page


def test_terms_written_outside_the_services_show_at_once(
    member_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    assert "A cook two days a week" in _page(member_client, partnership)
    # As a data migration or a test helper writes them: no new version, the partnership untouched.
    harbor = agreement.document["who"]["partners"][0]["id"]
    put_terms(agreement, commitments=[{"id": "cook", "by": harbor, "kind": "staff_time",
                                       "description": "A chef every day", "due": days(30)}])  # fmt: skip
    page = _page(member_client, partnership)
    assert "A chef every day" in page
    assert "A cook two days a week" not in page


def test_the_kpi_page_shows_a_reading_the_moment_it_is_entered(
    member_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    page = _page(member_client, partnership, "kpi", kpi_id="meals")
    assert "No readings yet." in page
    assert _untokened(page) == _untokened(_page(member_client, partnership, "kpi", kpi_id="meals"))
    reading = {"date": days(0), "value": "200", "note": "Term"}
    member_client.post(_url("measurement_add", partnership, kpi_id="meals"), reading)
    page = _page(member_client, partnership, "kpi", kpi_id="meals")
    assert "No readings yet." not in page
    assert "<td>200</td><td>500</td><td>Term</td>" in page
    assert '<span class="verdict verdict-blocked">Off track</span>' in page


def test_readers_share_the_sections_but_each_sees_only_their_own_forms(
    member_client: Client, partner_admin_client: Client, viewer_client: Client, agreement: Agreement,
    partnership: Partnership,
) -> None:  # fmt: skip
    mine = _page(member_client, partnership)
    theirs = _page(partner_admin_client, partnership)  # the sections the member's visit cached
    viewed = _page(viewer_client, partnership)
    assert "What Harbor Health Alliance brings" in mine
    assert "What Meadow Grocers brings" not in mine
    assert "What Meadow Grocers brings" in theirs
    assert "What Harbor Health Alliance brings" not in theirs
    assert "Sign version 1 for Meadow Grocers" in theirs
    assert "Sign version" not in mine
    assert "brings, in its own words" not in viewed
    assert "Add the comment" not in viewed
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert set(token.findall(mine)).isdisjoint(token.findall(theirs))
    # The KPI page too: Harbor reports "meals", Meadow's admin is told who does.
    assert "Enter a reading" in _page(member_client, partnership, "kpi", kpi_id="meals")
    page = _page(partner_admin_client, partnership, "kpi", kpi_id="meals")
    assert "Enter a reading" not in page
    assert "Readings of this KPI are entered by the members of Harbor Health Alliance." in page
    # No section holds a form, a token or an edit link.
    sections = agreement_sections(partnership=partnership, agreement=agreement)
    kpi = kpi_sections(partnership=partnership, agreement=agreement, kpi_id="meals")
    assert kpi is not None
    for html in (sections.open_items, sections.who, sections.why, sections.what, sections.how,
                 kpi.trend, kpi.readings, kpi.sheet):  # fmt: skip
        assert "<form" not in html
        assert "csrfmiddlewaretoken" not in html
        assert "/parts/" not in html


def test_a_kpi_page_read_again_costs_four_queries_fewer(
    member_client: Client, agreement: Agreement, partnership: Partnership, django_assert_num_queries: Any
) -> None:
    member_client.post(_url("measurement_add", partnership, kpi_id="meals"), {"date": days(0), "value": "9"})
    # Session, user, the partnership, the user's roles in it, the agreement, its records (readings,
    # deliveries, decisions; their votes only when there are decisions) and the site menu's organisations.
    with django_assert_num_queries(9):
        _page(member_client, partnership, "kpi", kpi_id="meals")
    # Read again: the records are not read.
    with django_assert_num_queries(6):
        _page(member_client, partnership, "kpi", kpi_id="meals")
    # A KPI the agreement does not have is not found, however often it is asked for.
    for _ in range(2):
        assert member_client.get(_url("kpi", partnership, kpi_id="nothing-such")).status_code == 404
