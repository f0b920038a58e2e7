"""The log page and its figures, and the facilitator's notes, which no partner ever reads."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from conflict_steps import access_of, acknowledge, answer, propose, raise_issue
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.web.conflicts.models import ConflictEntry
from commonground.web.conflicts.selectors import conflict_open_summary
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

SECRET = "Meadow's lead seems under pressure from head office; talk to her alone first."


def test_the_list_costs_the_same_queries_for_one_entry_or_six(
    member: Any, member_client: Client, partnership: Partnership, organisation: Organisation,
    django_assert_num_queries: Any,
) -> None:  # fmt: skip
    url = reverse("conflicts:list", kwargs={"pk": partnership.pk})
    raise_issue(member, partnership, organisation)
    member_client.get(url)  # the session, once
    # session, user, partnership, memberships (the scope), the entries, the page chrome's organisations
    with django_assert_num_queries(6):
        assert member_client.get(url).status_code == 200
    for n in range(5):
        raise_issue(member, partnership, organisation, title=f"Issue {n}", category="roles")
    with django_assert_num_queries(6):
        page = member_client.get(url).content.decode()
    assert page.count('class="summary"') == 6


def test_the_list_shows_state_severity_rung_and_age_open_first(
    member: Any,
    partner_admin: Any,
    member_client: Client,
    partnership: Partnership,
    organisation: Organisation,
) -> None:
    done = raise_issue(member, partnership, organisation, title="Old and settled")
    acknowledge(partner_admin, done)
    propose(partner_admin, done)
    done.refresh_from_db()
    answer(member, done, accept=True)
    raise_issue(member, partnership, organisation, title="Still open", severity="high")
    page = member_client.get(reverse("conflicts:list", kwargs={"pk": partnership.pk})).content.decode()
    assert page.index("Still open") < page.index("Old and settled")
    assert "<strong>Raised</strong> · high severity" in page
    assert "Rung: Senior leaders" in page
    assert "<strong>Resolved</strong> · medium severity" in page
    assert "0\xa0minutes ago" in page


def test_the_summary_counts_open_entries_by_severity_and_rung_with_medians(
    member: Any, partner_admin: Any, partnership: Partnership, organisation: Organisation
) -> None:
    first = raise_issue(member, partnership, organisation, severity="low")
    second = raise_issue(member, partnership, organisation, severity="high", category="values")
    raise_issue(member, partnership, organisation, severity="low", category="conduct")
    # Acknowledged two and four days after raising: the median of the two is three days.
    for entry, days in ((first, 2), (second, 4)):
        acknowledge(partner_admin, entry)
        ConflictEntry.objects.filter(pk=entry.pk).update(
            acknowledged_at=entry.created_at + datetime.timedelta(days=days)
        )
    # The third is overdue: its deadline was yesterday.
    ConflictEntry.objects.filter(severity="low", category="conduct").update(
        acknowledge_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    summary = conflict_open_summary(access=access_of(member, partnership))
    assert (summary.total, summary.open, summary.overdue) == (3, 3, 1)
    assert summary.by_severity == {"low": 2, "medium": 0, "high": 1}
    assert summary.by_rung == {"leads": 2, "senior_leaders": 1, "mediation": 0, "arbitration_or_exit": 0}
    assert summary.median_acknowledge_days == 3.0
    assert summary.median_resolve_days is None


def test_facilitator_notes_reach_the_facilitators_only(
    entry: ConflictEntry, facilitator: Any, facilitator_client: Client, member_client: Client,
    viewer_client: Client, org_admin_client: Client, owner_client: Client, partner_admin_client: Client,
    outsider_client: Client, client_for: Any, partner_owner: Any,
) -> None:  # fmt: skip
    detail = reverse("conflicts:detail", kwargs={"pk": entry.partnership_id, "conflict_id": entry.pk})
    notes = reverse("conflicts:note", kwargs={"pk": entry.partnership_id, "conflict_id": entry.pk})
    assert facilitator_client.post(notes, {"text": SECRET}).status_code == 302
    assert "talk to her alone first." in facilitator_client.get(detail).content.decode()
    partners = (member_client, viewer_client, org_admin_client, owner_client, partner_admin_client,
                client_for(partner_owner))  # fmt: skip
    pages = [
        detail,
        reverse("conflicts:list", kwargs={"pk": entry.partnership_id}),
        reverse("partnerships:history", kwargs={"pk": entry.partnership_id}),
        reverse("partnerships:detail", kwargs={"pk": entry.partnership_id}),
    ]
    for client in partners:
        for url in pages:
            page = client.get(url).content.decode()
            assert "talk to her alone" not in page
            assert "Facilitator's notes" not in page
        assert client.post(notes, {"text": "Let me in"}).status_code == 403
    assert outsider_client.get(detail).status_code == 404
    assert outsider_client.post(notes, {"text": "Let me in"}).status_code == 404
    assert entry.facilitator_notes.count() == 1


def test_touches_are_offered_from_the_agreement_in_force(
    member: Any, member_client: Client, partnership: Partnership, org_admin: Any
) -> None:
    from agreement_terms import put_terms

    from commonground.web.agreements import services as agreement_services

    put_terms(agreement_services.agreement_start(access=access_of(org_admin, partnership), user=org_admin))
    page = member_client.get(reverse("conflicts:new", kwargs={"pk": partnership.pk})).content.decode()
    assert '<datalist id="touch-options">' in page
    assert "cook: A cook two days a week" in page  # a commitment of the agreement
    assert ">clause</option>" in page
