"""The conflict log's main flow as people use it: raise, acknowledge, talk, propose, accept or reject,
with each action open only to the person it belongs to, and a stale proposal refused."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from conflict_steps import access_of, acknowledge, propose, raise_issue
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonground.web.conflicts import services
from commonground.web.conflicts.models import ConflictEntry, ConflictEvent, ConflictState, EventKind
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _url(name: str, entry: ConflictEntry) -> str:
    return reverse(f"conflicts:{name}", kwargs={"pk": entry.partnership_id, "conflict_id": entry.pk})


def test_a_member_raises_an_issue_from_the_page(member_client: Client, partnership: Partnership) -> None:
    url = reverse("conflicts:new", kwargs={"pk": partnership.pk})
    assert "Raise an issue" in member_client.get(url).content.decode()
    response = member_client.post(
        url,
        {"title": "Logo beside sweets", "description": "Our logo was on a sweets display.",
         "category": "values", "severity": "low", "touches_kind": "value", "touches_ref": "Children first",
         "approach": "collaborating"},
    )  # fmt: skip
    entry = ConflictEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", entry)
    assert (entry.raising_organisation_name, entry.rung, entry.state) == (
        "Harbor Health Alliance",
        "leads",
        "raised",
    )
    assert (entry.acknowledge_by - entry.created_at.date()).days == 10  # low severity: ten days
    page = member_client.get(_url("detail", entry)).content.decode()
    assert "Glasl stage 1 of 9" in page
    assert "facilitation or moderation" in page
    assert "the default ladder: the partnership has no agreement yet" in page


def test_an_incomplete_raise_names_the_problem_and_saves_nothing(
    member_client: Client, partnership: Partnership
) -> None:
    response = member_client.post(
        reverse("conflicts:new", kwargs={"pk": partnership.pk}),
        {"title": "X", "description": "Y", "category": "values", "severity": "low", "touches_kind": "goal"},
    )
    assert response.status_code == 422
    assert "Say what kind of thing it touches and which one, or neither." in response.content.decode()
    assert not ConflictEntry.objects.exists()


def test_only_the_other_side_acknowledges(
    entry: ConflictEntry, member_client: Client, org_admin_client: Client, partner_admin_client: Client,
    facilitator_client: Client,
) -> None:  # fmt: skip
    for client, expected in ((member_client, 403), (org_admin_client, 403), (facilitator_client, 403)):
        assert client.post(_url("acknowledge", entry), {"version": entry.version}).status_code == expected
    entry.refresh_from_db()
    assert entry.state == ConflictState.RAISED
    response = partner_admin_client.post(
        _url("acknowledge", entry), {"version": entry.version, "approach": "compromising"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.other_approach) == (ConflictState.ACKNOWLEDGED, "compromising")
    assert entry.acknowledged_by is not None
    assert entry.acknowledged_by.username == "paul-partner-admin"
    page = partner_admin_client.get(_url("detail", entry)).content.decode()
    assert "Approach (other side)" in page
    assert "compromising: Each side gives up part" in page


def test_only_the_raiser_answers_and_a_rejection_climbs_one_rung(
    entry: ConflictEntry, partner_admin: Any, member_client: Client, org_admin_client: Client,
    partner_admin_client: Client, facilitator: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    acknowledge(partner_admin, entry)
    propose(partner_admin, entry)
    entry.refresh_from_db()
    answer = {"version": entry.version, "answer": "reject", "reason": "May is too late."}
    assert org_admin_client.post(_url("answer", entry), answer).status_code == 403  # Harbor, not the raiser
    assert partner_admin_client.post(_url("answer", entry), answer).status_code == 403
    page = member_client.get(_url("detail", entry)).content.decode()
    assert "Send my answer" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert member_client.post(_url("answer", entry), answer).status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.rung, entry.rejected_count) == (ConflictState.ESCALATED, "senior_leaders", 1)
    # Harbor's admins (owner, admin), Meadow's (owner, admin) and the facilitator, once each.
    assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == [
        "adam-admin", "fay-facilitator", "olivia-owner", "paul-partner-admin", "pia-partner-owner"
    ]  # fmt: skip
    assert mail.outbox[0].subject == "“Healthy Lunches”: “Fruit missing at the tills” moves to senior leaders"
    assert "the proposed resolution was rejected" in mail.outbox[0].body
    page = member_client.get(_url("detail", entry)).content.decode()
    assert "Senior leaders" in page
    assert "Escalated" in page
    assert "May is too late." in page


def test_accepting_resolves_and_feeds_the_medians(
    entry: ConflictEntry, partner_admin: Any, member: Any, member_client: Client
) -> None:
    acknowledge(partner_admin, entry)
    propose(partner_admin, entry)
    entry.refresh_from_db()
    member_client.post(_url("answer", entry), {"version": entry.version, "answer": "accept"})
    entry.refresh_from_db()
    assert entry.state == ConflictState.RESOLVED
    assert entry.resolved_at is not None
    page = member_client.get(reverse("conflicts:list", kwargs={"pk": entry.partnership_id})).content.decode()
    assert "Median time to acknowledge</dt><dd>0.0 days" in page
    assert "Median time to resolve</dt><dd>0.0 days" in page
    assert "Open</dt><dd>0 of 1" in page


def test_two_people_proposing_at_once_one_wins_the_other_is_told(
    entry: ConflictEntry, partner_admin: Any, member_client: Client, partner_admin_client: Client
) -> None:
    acknowledge(partner_admin, entry)
    entry.refresh_from_db()
    loaded = entry.version  # both opened the form at this version
    first = partner_admin_client.post(
        _url("propose", entry), {"version": loaded, "resolution": "Fruit by May."}
    )
    assert first.status_code == 302
    second = member_client.post(
        _url("propose", entry), {"version": loaded, "resolution": "Fruit by March.", "interests": "Children"}
    )
    assert second.status_code == 409
    text = second.content.decode()
    assert "This issue was changed by paul-partner-admin meanwhile" in text
    assert "Your changes were not saved" in text
    assert "Fruit by March." in text  # what was typed is kept
    entry.refresh_from_db()
    assert entry.resolution == "Fruit by May."
    assert ConflictEvent.objects.filter(entry=entry, kind=EventKind.PROPOSED).count() == 1


def test_dialogue_messages_from_both_sides_and_the_facilitator(
    entry: ConflictEntry, partner_admin: Any, member_client: Client, facilitator_client: Client,
    viewer_client: Client,
) -> None:  # fmt: skip
    acknowledge(partner_admin, entry)
    member_client.post(_url("message", entry), {"text": "Which stores?"})
    response = facilitator_client.post(
        _url("message", entry), {"text": "Shall we meet on Friday?"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="dialogue"' in response.content.decode()
    assert "Shall we meet on Friday?" in response.content.decode()
    assert viewer_client.post(_url("message", entry), {"text": "Me too"}).status_code == 403
    entry.refresh_from_db()
    assert entry.state == ConflictState.IN_DIALOGUE
    sides = [e.side for e in ConflictEvent.objects.filter(entry=entry, kind=EventKind.MESSAGE)]
    assert sides == ["Harbor Health Alliance", "Facilitator"]


def test_a_threat_to_leave_moves_the_estimate_to_the_lose_lose_edge(
    entry: ConflictEntry, partner_admin: Any, partner_admin_client: Client
) -> None:
    acknowledge(partner_admin, entry)
    partner_admin_client.post(
        _url("message", entry), {"text": "We may leave over this.", "exit_threatened": "on"}
    )
    page = partner_admin_client.get(_url("detail", entry)).content.decode()
    assert "Glasl stage 6 of 9" in page
    assert "process consultation or mediation" in page
    assert "Someone has said they may leave the partnership over this." in page


def test_high_severity_starts_one_rung_up(
    member: Any, partnership: Partnership, organisation: Organisation, org_admin: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        entry = raise_issue(member, partnership, organisation, severity="high")
    assert entry.rung == "senior_leaders"
    assert (entry.acknowledge_by - entry.created_at.date()).days == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "adam-admin@example.org", "olivia-owner@example.org", "pia-partner-owner@example.org"
    ]  # fmt: skip


def test_the_same_trouble_back_within_ninety_days_climbs_a_rung(
    member: Any, partnership: Partnership, organisation: Organisation
) -> None:
    first = raise_issue(
        member, partnership, organisation, touches_kind="commitment", touches_ref="till-fruit"
    )
    again = raise_issue(
        member,
        partnership,
        organisation,
        category="conduct",
        touches_kind="commitment",
        touches_ref="Till-Fruit",
    )
    other = raise_issue(member, partnership, organisation, category="values")
    assert (first.rung, again.rung, other.rung) == ("leads", "senior_leaders", "leads")
    assert ConflictEvent.objects.get(entry=again, kind=EventKind.ESCALATED).escalation_key == "repeated"


def test_a_viewer_and_a_facilitator_cannot_raise(
    viewer_client: Client, facilitator: Any, partnership: Partnership, client_for: Any
) -> None:
    url = reverse("conflicts:new", kwargs={"pk": partnership.pk})
    assert viewer_client.get(url).status_code == 403
    assert client_for(facilitator).get(url).status_code == 403


def test_services_refuse_what_the_views_would(entry: ConflictEntry, member: Any, partner_admin: Any) -> None:
    with pytest.raises(services.ConflictError):
        acknowledge(member, entry)  # the raiser's own side
    with pytest.raises(services.ConflictError):
        propose(partner_admin, entry)  # not acknowledged yet
    access = access_of(partner_admin, entry.partnership)
    with pytest.raises(services.ConflictError):
        services.facilitator_note_add(access=access, user=partner_admin, entry=entry, text="Private?")


def test_a_closed_partnerships_log_is_a_record(
    entry: ConflictEntry, partner_admin: Any, partner_admin_client: Client, facilitator_client: Client,
    member_client: Client,
) -> None:  # fmt: skip
    Partnership.objects.filter(pk=entry.partnership_id).update(status="closed")
    assert (
        partner_admin_client.post(_url("acknowledge", entry), {"version": entry.version}).status_code == 403
    )
    facilitator_client.post(_url("message", entry), {"text": "Still there?"})
    facilitator_client.post(_url("note", entry), {"text": "Closed now."})
    page = member_client.get(_url("detail", entry)).content.decode()
    assert "Add to the dialogue" not in page
    assert entry.events.count() == 1  # raised, nothing since
    assert entry.facilitator_notes.count() == 0
    assert services.conflicts_escalate_overdue(today=entry.acknowledge_by + datetime.timedelta(days=30)) == 0


def test_an_escalation_email_shows_typed_titles_and_names_as_data(
    member: Any, organisation: Organisation, partnership: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    Partnership.objects.filter(pk=partnership.pk).update(name="Lunches\nVisit https://evil.example")
    partnership.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        # High severity moves up a rung at once, and the rung's people are emailed.
        raise_issue(
            member, partnership, organisation, title="Refund due: claim at pay.evil.example", severity="high"
        )
    assert mail.outbox
    for message in mail.outbox:
        assert "evil.example" not in message.subject + message.body
        assert "“Refund due: claim at pay[.]evil[.]example”" in message.subject
        assert "“Lunches Visit https[:]//evil[.]example”" in message.body
