"""The daily job: opens what is due and invites everyone, reminds once, closes and freezes; twice is once.

Harbor has ``owner``, ``org_admin``, ``member`` and ``viewer``; Meadow ``partner_owner`` and
``partner_admin``; ``facilitator`` belongs to neither and is never invited to answer.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from commonground.web.accounts.models import MailPreference
from commonground.web.agreements import services as agreement_services
from commonground.web.checkins import services
from commonground.web.checkins.models import Checkin, CheckinState, Notification
from commonground.web.checkins.reminder_services import checkin_reminders_send
from commonground.web.checkins.selectors import schedule_find, schedule_terms
from commonground.web.checkins.services import CheckinError
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for

EVERYONE = [
    "adam-admin",
    "mia-member",
    "olivia-owner",
    "paul-partner-admin",
    "pia-partner-owner",
    "victor-viewer",
]


def _start(partnership: Partnership, admin: Any, *, starts_on: datetime.date, factors_every: int = 0) -> None:
    services.schedule_save(
        access=partnership_access_for(user=admin, partnership_id=partnership.pk), user=admin,
        expected_version=None, frequency="monthly", follow_agreement=True, window_days=10,
        factors_every=factors_every, starts_on=starts_on,
    )  # fmt: skip


def _to(subject_part: str) -> list[str]:
    return sorted(m.to[0].split("@")[0] for m in mail.outbox if subject_part in m.subject)


def test_the_job_opens_invites_reminds_and_closes_each_once(
    partnership: Partnership, org_admin: Any, member: Any, viewer: Any, owner: Any, partner_admin: Any,
    facilitator: Any, outsider: Any, answer_as: Callable[..., Any], django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    today = timezone.localdate()
    _start(partnership, org_admin, starts_on=today)
    MailPreference.objects.create(user=owner, reminders=False)  # unsubscribed: no check-in email
    with django_capture_on_commit_callbacks(execute=True):
        done = checkin_reminders_send(today=today)
    assert done["opened"] == 1
    checkin = Checkin.objects.get()
    assert (checkin.opens_on, checkin.closes_on) == (today, today + datetime.timedelta(days=9))
    assert _to("Check-in open") == [name for name in EVERYONE if name != "olivia-owner"]
    assert "anonymous" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert checkin_reminders_send(today=today).total() == 0  # again the same day: nothing
    assert mail.outbox == []
    answer_as(member, checkin)
    reminder_day = checkin.closes_on - datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert checkin_reminders_send(today=reminder_day)["reminders"] == 4
        assert checkin_reminders_send(today=reminder_day + datetime.timedelta(days=1))["reminders"] == 0
    assert _to("Check-in closes") == [
        "adam-admin",
        "paul-partner-admin",
        "pia-partner-owner",
        "victor-viewer",
    ]
    assert Notification.objects.count() == 5 + 4
    done = checkin_reminders_send(today=checkin.closes_on + datetime.timedelta(days=1))
    assert done["closed"] == 1
    checkin.refresh_from_db()
    assert checkin.state == CheckinState.CLOSED
    assert checkin.results is not None
    assert checkin.respondents == 1


def test_the_command_runs_and_the_next_one_opens_a_month_later(
    partnership: Partnership, org_admin: Any, capsys: Any
) -> None:
    first = datetime.date(2026, 1, 31)
    _start(partnership, org_admin, starts_on=first, factors_every=2)
    checkin_reminders_send(today=first)
    assert checkin_reminders_send(today=datetime.date(2026, 2, 27)) == {"closed": 1}
    done = checkin_reminders_send(today=datetime.date(2026, 2, 28))  # 31 January + 1 month
    assert done == {"opened": 2}  # the second pulse, and the factors with it
    assert sorted(Checkin.objects.filter(state="open").values_list("item_set", flat=True)) == [
        "factors",
        "pulse",
    ]
    call_command("send_checkin_reminders")
    assert "check-in(s) opened" in capsys.readouterr().out


def test_a_signed_agreement_sets_the_frequency(
    partnership: Partnership, organisation: Any, partner_organisation: Any, org_admin: Any, partner_admin: Any
) -> None:
    agreement = agreement_services.agreement_start(
        access=partnership_access_for(user=org_admin, partnership_id=partnership.pk), user=org_admin
    )
    document = dict(agreement.document)
    document["how"] = {**document["how"], "checkins": {"status": "fully", "frequency": "quarterly",
                                                        "first": "2026-03-01"}}  # fmt: skip
    agreement.document = document
    agreement.save()
    _start(partnership, org_admin, starts_on=datetime.date(2026, 1, 1))
    terms = schedule_terms(partnership=partnership, schedule=schedule_find(partnership=partnership))
    assert (terms.frequency, terms.from_agreement) == ("monthly", False)  # not signed yet: a draft
    for admin, org in ((org_admin, organisation), (partner_admin, partner_organisation)):
        agreement_services.agreement_sign(
            access=partnership_access_for(user=admin, partnership_id=partnership.pk), agreement=agreement,
            organisation_id=org.pk, version=agreement.version, user=admin,
        )  # fmt: skip
    terms = schedule_terms(partnership=partnership, schedule=schedule_find(partnership=partnership))
    assert (terms.frequency, terms.first, terms.from_agreement) == (
        "quarterly",
        datetime.date(2026, 3, 1),
        True,
    )


def test_a_closed_partnership_opens_nothing_but_its_open_check_in_still_closes(
    partnership: Partnership,
    org_admin: Any,
    member: Any,
    open_checkin: Checkin,
    answer_as: Callable[..., Any],
) -> None:
    _start(partnership, org_admin, starts_on=timezone.localdate())
    Partnership.objects.filter(pk=partnership.pk).update(status="closed")
    with pytest.raises(CheckinError, match="partnership is closed"):
        answer_as(member, open_checkin)
    done = checkin_reminders_send(today=open_checkin.closes_on + datetime.timedelta(days=40))
    assert done == {"closed": 1}
    assert Checkin.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_daily_jobs_at_once_open_once_and_send_each_email_once(
    partnership: Partnership, org_admin: Any, member: Any, viewer: Any, partner_admin: Any
) -> None:
    _start(partnership, org_admin, starts_on=timezone.localdate())
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def run() -> None:
        barrier.wait()
        try:
            checkin_reminders_send()
        except Exception as exc:  # a crash of either job is a failure
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Checkin.objects.count() == 1
    # Every invitation logged once, and each logged one sent once (one address per email).
    assert Notification.objects.count() == len(mail.outbox) == len(EVERYONE)
    assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == EVERYONE
