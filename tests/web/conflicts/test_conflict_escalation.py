"""The daily escalation job and the agreement's own ladder: each move once, emailed once."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from agreement_terms import put_terms
from at_once import run_at_once
from conflict_steps import access_of, acknowledge, answer, propose, raise_issue
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.agreements import services as agreement_services
from commonground.web.agreements.models import Agreement
from commonground.web.conflicts import services
from commonground.web.conflicts.models import ConflictEntry, ConflictEvent, ConflictState, EventKind
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _days_ago(entry: ConflictEntry, days: int) -> None:
    """Move the entry's clock back: raised, deadline and rung all ``days`` earlier."""
    delta = datetime.timedelta(days=days)
    ConflictEntry.objects.filter(pk=entry.pk).update(
        created_at=entry.created_at - delta, rung_since=entry.rung_since - delta,
        acknowledge_by=entry.acknowledge_by - delta,
    )  # fmt: skip


def test_an_overdue_acknowledgement_climbs_once_and_mails_once(
    entry: ConflictEntry, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _days_ago(entry, 6)  # medium: five days to acknowledge
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_overdue_conflicts", stdout=out)
        call_command("escalate_overdue_conflicts", stdout=out)  # the same day again: nothing more
    assert out.getvalue().splitlines() == ["1 conflict entry escalated.", "0 conflict entries escalated."]
    entry.refresh_from_db()
    assert (entry.rung, entry.state) == ("senior_leaders", ConflictState.RAISED)  # still awaiting an answer
    event = ConflictEvent.objects.get(entry=entry, kind=EventKind.ESCALATED)
    assert event.escalation_key == "overdue:acknowledgement"
    assert event.author_name == ""  # the daily check
    assert len(mail.outbox) == 5  # Harbor's owner and admin, Meadow's owner and admin, the facilitator
    assert "the answer is overdue" in mail.outbox[0].body


def test_a_rung_whose_days_ran_out_climbs_and_nothing_settled_stays(
    entry: ConflictEntry, partner_admin: Any, member: Any
) -> None:
    acknowledge(partner_admin, entry)
    entry.refresh_from_db()
    _days_ago(entry, 15)  # leads may take 14 days on the default ladder
    settled = raise_issue(member, entry.partnership, entry.raising_organisation, category="values")
    acknowledge(partner_admin, settled)
    propose(partner_admin, settled)
    settled.refresh_from_db()
    answer(member, settled, accept=True)
    _days_ago(ConflictEntry.objects.get(pk=settled.pk), 40)
    assert services.conflicts_escalate_overdue() == 1
    entry.refresh_from_db()
    assert entry.rung == "senior_leaders"
    assert ConflictEvent.objects.get(entry=entry, kind=EventKind.ESCALATED).escalation_key == "overdue:leads"
    assert ConflictEntry.objects.get(pk=settled.pk).rung == "leads"


def test_the_job_moves_at_most_one_rung_a_day(entry: ConflictEntry, member: Any) -> None:
    _days_ago(entry, 30)  # both its acknowledgement and its rung's days are overdue
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert services.conflicts_escalate_overdue() == 1
    assert services.conflicts_escalate_overdue(today=tomorrow) == 0  # the new rung's days just started
    entry.refresh_from_db()
    assert entry.rung == "senior_leaders"


def test_the_agreements_ladder_decides_the_rungs_and_who_handles_them(
    member: Any, org_admin: Any, partner_admin: Any, member_client: Client, partnership: Partnership,
    organisation: Organisation,
) -> None:  # fmt: skip
    agreement = agreement_services.agreement_start(access=access_of(org_admin, partnership), user=org_admin)
    put_terms(agreement)
    document = dict(agreement.document)
    document["how"] = {
        **document["how"],
        "dispute_resolution": {"status": "fully", "ladder": [
            {"step": "leads", "days": 7},
            {"step": "mediation", "days": 30, "who": "Ana Ruiz, the partnership's facilitator"},
        ]},
    }  # fmt: skip
    valid = AgreementDocument.model_validate(document).model_dump(mode="json")
    Agreement.objects.filter(pk=agreement.pk).update(document=valid)
    entry = raise_issue(member, partnership, organisation)
    acknowledge(partner_admin, entry)
    propose(partner_admin, entry)
    entry.refresh_from_db()
    step = answer(member, entry, accept=False, reason="Not enough.")
    assert step is not None
    assert step.to.step.value == "mediation"  # no senior leaders on this ladder
    url = reverse("conflicts:detail", kwargs={"pk": partnership.pk, "conflict_id": entry.pk})
    page = member_client.get(url).content.decode()
    assert (
        "Facilitated dialogue or mediation</strong>: handled by Ana Ruiz, the partnership&#x27;s facilitator"
        in page
    )
    assert "(30 days)" in page
    # Rejected again at the top of this ladder: nowhere further, the entry ends rejected.
    propose(partner_admin, entry, "Half the fruit now, all by June.")
    entry.refresh_from_db()
    again = answer(member, entry, accept=False)
    assert again is None
    entry.refresh_from_db()
    assert (entry.state, entry.rung, entry.rejected_count) == (ConflictState.REJECTED, "mediation", 2)


@pytest.mark.django_db(transaction=True)  # each thread commits on its own connection
def test_the_daily_job_run_twice_at_once_moves_and_mails_once(entry: ConflictEntry, facilitator: Any) -> None:
    _days_ago(entry, 6)
    errors = run_at_once(lambda: call_command("escalate_overdue_conflicts", stdout=StringIO()))
    assert errors == []
    entry.refresh_from_db()
    assert entry.rung == "senior_leaders"
    assert ConflictEvent.objects.filter(entry=entry, kind=EventKind.ESCALATED).count() == 1
    assert len(mail.outbox) == 5
