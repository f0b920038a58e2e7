"""The agreement's emails: who gets each one, each sent once (even with the daily job run twice at once),
never to an unverified address, and a setting per person with a one-click unsubscribe link.

Personas (tests/web/conftest.py, partnership_personas.py): Harbor has ``owner``, ``org_admin`` (its
representatives), ``member`` and ``viewer``; Meadow has ``partner_owner`` and ``partner_admin``;
``facilitator`` facilitates the partnership. Everyone's address is verified unless a test says not.
Every write commits (transactional tests), so its emails go out as in production.

The default test terms (agreement_terms.py): Harbor's "cook" commitment was due 10 days ago, Meadow's
"fruit" is due in 90 days; KPIs "meals" (Harbor reports it) and "trust" (joint), quarterly, baselines
100 days ago, so a reading of each is due.
"""

from __future__ import annotations

import datetime
import re
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from agreement_terms import days, put_terms
from at_once import run_at_once
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.web.accounts.models import MailGroup, MailPreference
from commonground.web.accounts.services import unsubscribe_token
from commonground.web.agreements import decision_services, reminder_services, services
from commonground.web.agreements.models import Agreement, Notification
from commonground.web.agreements.record_services import measurement_add
from commonground.web.agreements.sections import PARTS
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for

HARBOR_PEOPLE = ["adam-admin", "mia-member", "olivia-owner"]  # members who may edit (not the viewer)
MEADOW_PEOPLE = ["paul-partner-admin", "pia-partner-owner"]
EVERYONE = sorted([*HARBOR_PEOPLE, "victor-viewer", *MEADOW_PEOPLE, "fay-facilitator"])


# Every write really commits, so its emails go out as they would in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agreement(
    partnership: Partnership, member: Any, viewer: Any, owner: Any, partner_owner: Any, partner_admin: Any,
    facilitator: Any,
) -> Agreement:  # fmt: skip
    """The partnership's agreement with the default test terms, every persona in place, no mail yet."""
    started = services.agreement_start(
        access=partnership_access_for(user=member, partnership_id=partnership.pk), user=member
    )
    mail.outbox.clear()
    return put_terms(started)


def _access(user: Any, agreement: Agreement) -> Any:
    return partnership_access_for(user=user, partnership_id=agreement.partnership_id)


def _partners(agreement: Agreement) -> tuple[str, str]:
    harbor, meadow = (p["id"] for p in agreement.document["who"]["partners"])
    return harbor, meadow


def _sign(agreement: Agreement, user: Any, organisation: Any) -> None:
    agreement.refresh_from_db()
    services.agreement_sign(
        access=_access(user, agreement), agreement=agreement, organisation_id=organisation.pk,
        version=agreement.version, user=user,
    )  # fmt: skip


def _sent() -> dict[str, list[str]]:
    """Who got which subjects (username part of the address), each person its own message."""
    found: dict[str, list[str]] = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        found.setdefault(message.to[0].split("@")[0], []).append(message.subject)
    return found


def _to(subject_part: str) -> list[str]:
    return sorted(m.to[0].split("@")[0] for m in mail.outbox if subject_part in m.subject)


def _signed_by_both(agreement: Agreement, org_admin: Any, partner_admin: Any, **orgs: Any) -> None:
    _sign(agreement, org_admin, orgs["harbor"])
    _sign(agreement, partner_admin, orgs["meadow"])
    mail.outbox.clear()


# --- decisions ---------------------------------------------------------------------------------------


def test_a_proposal_asks_the_other_partners_representatives_then_everyone_hears_how_it_ended(
    agreement: Agreement, member: Any, org_admin: Any, partner_admin: Any
) -> None:
    harbor, meadow = _partners(agreement)
    decision = decision_services.decision_propose(
        access=_access(member, agreement), agreement=agreement, partner_id=harbor, title="Fund a cook",
        proposal="Share the cost of a cook.", closes=datetime.date.fromisoformat(days(7)), rule=None,
        user=member,
    )  # fmt: skip
    # Meadow's representatives vote; Harbor proposed it, and members who are not representatives do not vote.
    assert _sent() == {name: ["“Healthy Lunches”: Harbor Health Alliance proposes “Fund a cook”: your vote"]
                       for name in MEADOW_PEOPLE}  # fmt: skip
    body = mail.outbox[0].body
    assert "Share the cost of a cook." in body
    assert f"/partnerships/{agreement.partnership_id}/agreement/decisions/fund-a-cook/" in body
    mail.outbox.clear()
    for user, partner in ((org_admin, harbor), (partner_admin, meadow)):
        decision_services.vote_cast(
            access=_access(user, agreement), agreement=agreement, decision=decision, partner_id=partner,
            position="yes", reason="", user=user,
        )  # fmt: skip
    # The second vote lets the rule decide: everyone in the partnership hears it, the facilitator too.
    assert _to("“Fund a cook” passed") == EVERYONE
    assert len(mail.outbox) == len(EVERYONE)
    mail.outbox.clear()
    decision_services.decision_outcome_record(
        access=_access(member, agreement), agreement=agreement, decision=decision,
        outcome="Harbor hires a cook; Meadow pays half.", review_date=None, user=member,
    )  # fmt: skip
    assert _to("Decided: “Fund a cook”") == EVERYONE
    assert "Harbor hires a cook; Meadow pays half." in mail.outbox[0].body


def test_a_proposal_whose_voting_closed_is_announced_once_by_the_daily_job(
    agreement: Agreement, member: Any, org_admin: Any
) -> None:
    harbor, _ = _partners(agreement)
    decision_services.decision_propose(
        access=_access(member, agreement), agreement=agreement, partner_id=harbor, title="Fund a cook",
        proposal="", closes=timezone.localdate(), rule=None, user=member,
    )  # fmt: skip
    mail.outbox.clear()
    later = timezone.localdate() + datetime.timedelta(days=1)
    reminder_services.agreement_reminders_send(today=later)
    reminder_services.agreement_reminders_send(today=later + datetime.timedelta(days=1))
    # Nobody voted: no quorum. Sent once whatever the number of runs.
    assert _to("“Fund a cook” did not reach its quorum") == EVERYONE
    assert len(mail.outbox) == len(EVERYONE)  # the agreement is not signed: no commitment reminders


# --- sign-off ----------------------------------------------------------------------------------------


def test_a_signature_asks_the_partners_that_have_not_signed_and_a_change_after_asks_everyone_once(
    agreement: Agreement, org_admin: Any, partner_admin: Any, member: Any, organisation: Any,
    partner_organisation: Any,
) -> None:  # fmt: skip
    _sign(agreement, org_admin, organisation)
    assert _to("Please sign version 1") == MEADOW_PEOPLE
    assert "Harbor Health Alliance signed version 1 of the agreement." in mail.outbox[0].body
    mail.outbox.clear()
    _sign(agreement, partner_admin, partner_organisation)
    assert mail.outbox == []  # every partner signed: no one is asked
    for n in (1, 2):  # two edits in a row: the first reopens sign-off, the second asks nothing more
        agreement.refresh_from_db()
        merged, problems = PARTS["why"].merged(
            agreement.document, {"shared_vision": f"Healthy lunches, take {n}.", "box": ""}
        )
        assert problems == []
        services.agreement_part_update(
            access=_access(member, agreement), agreement=agreement, part_key="why", merged=merged,
            expected_version=agreement.version, user=member,
        )  # fmt: skip
    # Harbor's and Meadow's admins and owners, once; the member and viewer do not sign.
    assert _to("Please sign version 2") == ["adam-admin", "olivia-owner", *MEADOW_PEOPLE]
    assert len(mail.outbox) == 4
    assert "A change reopens sign-off" in mail.outbox[0].body


def test_a_member_asks_for_sign_off_once_a_day(
    agreement: Agreement, member: Any, member_client: Client, viewer_client: Client
) -> None:
    url = reverse("agreements:signoff_request", kwargs={"pk": agreement.partnership_id})
    page = member_client.get(reverse("agreements:detail", kwargs={"pk": agreement.partnership_id}))
    assert "Ask the partners that have not signed to sign" in page.content.decode()
    response = member_client.post(url, follow=True)
    assert "are asked to sign, by email" in response.content.decode()
    assert _to("Please sign version 1") == ["adam-admin", "olivia-owner", *MEADOW_PEOPLE]
    assert "mia-member asks every partner of Healthy Lunches" in mail.outbox[0].body
    mail.outbox.clear()
    response = member_client.post(url, follow=True)
    assert "mia-member asked the partners to sign today already: ask again tomorrow." in (
        response.content.decode()
    )
    assert mail.outbox == []
    assert viewer_client.post(url).status_code == 403


# --- the daily job: commitments and readings ---------------------------------------------------------


def test_reminders_wait_until_every_partner_has_signed_a_version(agreement: Agreement) -> None:
    assert reminder_services.agreement_reminders_send() == {}
    assert mail.outbox == []


def test_an_overdue_commitment_and_due_readings_are_reminded_once_each_to_the_partner_concerned(
    agreement: Agreement, org_admin: Any, partner_admin: Any, member: Any, organisation: Any,
    partner_organisation: Any,
) -> None:  # fmt: skip
    _signed_by_both(agreement, org_admin, partner_admin, harbor=organisation, meadow=partner_organisation)
    out = StringIO()
    call_command("send_agreement_reminders", stdout=out)
    assert "reminder emails sent (3 about commitments, 8 about readings, 0 about decisions)" in out.getvalue()
    assert _to("Overdue: Harbor Health Alliance's commitment") == HARBOR_PEOPLE  # the viewer only reads
    overdue = next(m for m in mail.outbox if "Overdue" in m.subject)
    assert "A cook two days a week" in overdue.body
    assert "10 days ago" in overdue.body
    assert _to("A reading of “Healthy meals served” is due") == HARBOR_PEOPLE  # Harbor reports it
    assert _to("A reading of “Trust between partners” is due") == HARBOR_PEOPLE + MEADOW_PEOPLE  # joint
    mail.outbox.clear()
    call_command("send_agreement_reminders", stdout=StringIO())
    assert mail.outbox == []  # each once
    # A reading moves the next one on by a quarter; 60 days before it, Meadow's fruit is due soon.
    measurement_add(
        access=_access(member, agreement), agreement=agreement, kpi_id="meals", date=timezone.localdate(),
        value=300, note="", evidence="", user=member,
    )  # fmt: skip
    reminder_services.agreement_reminders_send(today=timezone.localdate() + datetime.timedelta(days=61))
    assert _to("Due on") == MEADOW_PEOPLE
    assert _to("Healthy meals served") == []


def test_no_email_goes_to_an_unverified_address(
    agreement: Agreement, org_admin: Any, partner_admin: Any, member: Any, organisation: Any,
    partner_organisation: Any,
) -> None:  # fmt: skip
    _signed_by_both(agreement, org_admin, partner_admin, harbor=organisation, meadow=partner_organisation)
    member.email = "mia-new@example.org"  # changed, not yet verified
    member.save(update_fields=["email"])
    reminder_services.agreement_reminders_send()
    addresses = {m.to[0] for m in mail.outbox}
    assert "mia-new@example.org" not in addresses
    assert "mia-member@example.org" not in addresses
    assert "adam-admin@example.org" in addresses


# --- each once, even when the job runs twice at the same time -----------------------------------------


def test_the_daily_job_run_twice_at_once_sends_each_email_once(
    partnership: Partnership, member: Any, viewer: Any, owner: Any, org_admin: Any, partner_admin: Any,
    partner_owner: Any, organisation: Any, partner_organisation: Any,
) -> None:  # fmt: skip
    agreement = put_terms(
        services.agreement_start(
            access=partnership_access_for(user=member, partnership_id=partnership.pk), user=member
        )
    )
    _signed_by_both(agreement, org_admin, partner_admin, harbor=organisation, meadow=partner_organisation)
    errors = run_at_once(lambda: call_command("send_agreement_reminders", stdout=StringIO()))
    assert errors == []
    events = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(events) == len(set(events)) == 11  # one per recipient and event
    assert Notification.objects.exclude(kind="signoff").count() == 11


# --- the setting per person and the unsubscribe link --------------------------------------------------


def test_a_person_turns_reminders_off_on_the_account_page_and_still_gets_decisions(
    agreement: Agreement, org_admin: Any, partner_admin: Any, member: Any, organisation: Any,
    partner_organisation: Any, member_client: Client,
) -> None:  # fmt: skip
    page = member_client.get(reverse("accounts:account")).content.decode()
    assert 'name="reminders"' in page
    assert 'name="decisions"' in page
    response = member_client.post(reverse("accounts:mail_preferences"), {"decisions": "on"}, follow=True)
    assert "Your email settings are saved." in response.content.decode()
    _signed_by_both(agreement, org_admin, partner_admin, harbor=organisation, meadow=partner_organisation)
    reminder_services.agreement_reminders_send()
    assert "mia-member" not in _sent()
    assert "adam-admin" in _sent()
    decision_services.decision_propose(
        access=_access(partner_admin, agreement), agreement=agreement, partner_id=_partners(agreement)[1],
        title="Open on Saturdays", proposal="", closes=timezone.localdate(), rule=None, user=partner_admin,
    )  # fmt: skip
    mail.outbox.clear()
    reminder_services.agreement_reminders_send(today=timezone.localdate() + datetime.timedelta(days=1))
    assert "mia-member" in _to("“Open on Saturdays” did not reach its quorum")


def test_the_unsubscribe_link_asks_for_a_click_then_stops_that_group_without_signing_in(
    agreement: Agreement, org_admin: Any, partner_admin: Any, member: Any, organisation: Any,
    partner_organisation: Any,
) -> None:  # fmt: skip
    _signed_by_both(agreement, org_admin, partner_admin, harbor=organisation, meadow=partner_organisation)
    reminder_services.agreement_reminders_send()
    message = next(m for m in mail.outbox if m.to == ["adam-admin@example.org"])
    found = re.search(r"https?://\S+/accounts/email/unsubscribe/\S+/", message.body)
    assert found is not None
    path = urlsplit(found.group(0)).path
    visitor = Client()  # not signed in
    page = visitor.get(path).content.decode()
    assert "Stop these emails" in page
    assert "adam-admin" in page
    assert "Agreement reminders" in page
    done = visitor.post(path)
    assert "gets no more emails of this kind" in done.content.decode()
    # A new reading moves the next one on: a quarter later it is due again, to everyone but adam-admin.
    measurement_add(
        access=_access(member, agreement), agreement=agreement, kpi_id="meals", date=timezone.localdate(),
        value=300, note="", evidence="", user=member,
    )  # fmt: skip
    mail.outbox.clear()
    reminder_services.agreement_reminders_send(today=timezone.localdate() + datetime.timedelta(days=100))
    assert _to("“Healthy meals served” is due") == ["mia-member", "olivia-owner"]
    assert visitor.get("/accounts/email/unsubscribe/not-a-token/").status_code == 400
    assert visitor.post("/accounts/email/unsubscribe/not-a-token/").status_code == 400


def test_an_unsubscribe_page_opened_changes_nothing(org_admin: Any) -> None:
    token = unsubscribe_token(user=org_admin, group=MailGroup.DECISIONS)
    assert Client().get(reverse("accounts:unsubscribe", kwargs={"token": token})).status_code == 200
    assert not MailPreference.objects.exists()
    Client().post(reverse("accounts:unsubscribe", kwargs={"token": token}))
    preference = MailPreference.objects.get(user=org_admin)
    assert (preference.decisions, preference.reminders) == (False, True)
