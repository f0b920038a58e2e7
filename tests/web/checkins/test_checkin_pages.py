"""The check-ins tab: schedule, opening and closing by hand, action items, the calendar, query counts."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.web.checkins import services
from commonground.web.checkins.models import ActionItem, ActionStatus, Checkin, CheckinSchedule, CheckinState
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for


def _url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"checkins:{name}", kwargs={"pk": partnership.pk, **kwargs})


def test_an_admin_starts_check_ins_and_a_member_sees_the_schedule(
    org_admin_client: Client, member_client: Client, partnership: Partnership
) -> None:
    assert "Check-ins have not started" in member_client.get(_url("index", partnership)).content.decode()
    response = org_admin_client.post(
        _url("schedule", partnership),
        {
            "follow_agreement": "on",
            "frequency": "quarterly",
            "starts_on": "2026-01-15",
            "window_days": "7",
            "factors_every": "4",
        },
    )
    assert response.status_code == 302
    page = member_client.get(_url("index", partnership)).content.decode()
    assert "every three months" in page
    assert "open for 7 days" in page
    assert "Every 4th check-in also asks the longer collaboration factors" in page


@pytest.mark.parametrize("starts_on", ["today", "2001-01-15"])
def test_a_stale_schedule_save_says_who_changed_it(org_admin_client: Client, partnership: Partnership,
                                                  partner_admin: Any, starts_on: str) -> None:  # fmt: skip
    # Also when the stale form's date is now out of bounds: who changed it is what the person needs.
    CheckinSchedule.objects.create(partnership=partnership, version=2, updated_by=partner_admin)
    response = org_admin_client.post(
        _url("schedule", partnership),
        {
            "frequency": "monthly",
            "starts_on": timezone.localdate().isoformat() if starts_on == "today" else starts_on,
            "window_days": "7",
            "factors_every": "0",
            "version": "1",
        },
    )
    assert "changed by paul-partner-admin meanwhile" in response.content.decode()
    assert CheckinSchedule.objects.get().window_days == 10


def test_an_admin_opens_and_closes_a_check_in_by_hand(
    org_admin_client: Client, partnership: Partnership
) -> None:
    response = org_admin_client.post(
        _url("open", partnership), {"item_set": "factors", "window_days": "5"}, follow=True
    )
    assert "everyone is invited" in response.content.decode()
    checkin = Checkin.objects.get()
    assert (checkin.item_set, checkin.scheduled) == ("factors", False)
    again = org_admin_client.post(
        _url("open", partnership), {"item_set": "factors", "window_days": "5"}, follow=True
    )
    assert "already open" in again.content.decode()
    org_admin_client.post(_url("close", partnership, checkin_id=checkin.pk))
    checkin.refresh_from_db()
    assert checkin.state == CheckinState.CLOSED
    page = org_admin_client.get(_url("detail", partnership, checkin_id=checkin.pk)).content.decode()
    assert "Fewer than 5 people answered in all" in page


def test_members_add_action_items_and_mark_them_done(
    member_client: Client, viewer_client: Client, partnership: Partnership
) -> None:
    member_client.post(_url("action_add", partnership), {"text": "Send the minutes within a week."})
    action = ActionItem.objects.get()
    assert "Send the minutes within a week." in viewer_client.get(_url("index", partnership)).content.decode()
    assert viewer_client.post(_url("action_status", partnership, action_id=action.pk),
                              {"status": "done", "version": "1"}).status_code == 403  # fmt: skip
    member_client.post(
        _url("action_status", partnership, action_id=action.pk), {"status": "done", "version": "1"}
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    stale = member_client.post(
        _url("action_status", partnership, action_id=action.pk),
        {"status": "open", "version": "1"},
        follow=True,
    )
    assert "changed by mia-member meanwhile" in stale.content.decode()


def test_the_calendar_lists_check_ins_and_the_planned_ones(
    member_client: Client, partnership: Partnership, open_checkin: Checkin, org_admin: Any
) -> None:
    CheckinSchedule.objects.create(partnership=partnership, starts_on=timezone.localdate())
    response = member_client.get(_url("calendar", partnership))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 13  # the open one, then twelve monthly ones planned
    assert f"DTSTART;VALUE=DATE:{open_checkin.opens_on:%Y%m%d}" in body
    assert "Check-in (Pulse check-in): Open" in body


def _checkins(partnership: Partnership, n: int) -> None:
    start = timezone.localdate() - datetime.timedelta(days=31 * (n + 1))
    for i in range(n):
        opens = start + datetime.timedelta(days=31 * i)
        checkin = Checkin.objects.create(partnership=partnership, item_set="pulse", opens_on=opens,
                                         closes_on=opens + datetime.timedelta(days=9))  # fmt: skip
        services.checkin_close(checkin_id=checkin.pk)
        ActionItem.objects.create(partnership=partnership, checkin=checkin, text=f"Look at month {i}")


@pytest.mark.parametrize("count", [1, 6])
def test_the_tab_costs_the_same_queries_for_any_number_of_check_ins(
    count: int, member_client: Client, partnership: Partnership, django_assert_num_queries: Callable[..., Any]
) -> None:
    _checkins(partnership, count)
    services.checkin_open(
        partnership=partnership, name="pulse", today=timezone.localdate(), window_days=10, scheduled=True
    )
    CheckinSchedule.objects.create(partnership=partnership)
    member_client.get(_url("index", partnership))  # warm the session and the caches
    # Session, user, scope (partnership, memberships), schedule, agreement, check-ins with counts, own
    # answers, action items, latest results, the site menu's organisations.
    with django_assert_num_queries(11):
        response = member_client.get(_url("index", partnership))
    assert response.status_code == 200
    assert response.content.decode().count("Look at month") == 2 * count  # the item, and its button's label


def test_with_htmx_marking_done_answers_with_the_action_items_section_only(
    member_client: Client, partnership: Partnership
) -> None:
    action = ActionItem.objects.create(partnership=partnership, text="Rotate who chairs the call.")
    response = member_client.post(
        _url("action_status", partnership, action_id=action.pk), {"status": "done", "version": "1"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section aria-labelledby="actions-heading" id="checkin-actions">')
    assert "Action item updated." in page
    assert "No open action items." in page
    assert "Done (1)" in page


def test_a_weekly_schedule_closes_each_check_in_before_the_next_opens(partnership: Partnership) -> None:
    from commonground.web.checkins.models import CheckinSchedule
    from commonground.web.checkins.selectors import schedule_terms

    schedule = CheckinSchedule.objects.create(
        partnership=partnership, frequency="weekly", starts_on=datetime.date(2026, 1, 5), window_days=10
    )
    assert schedule_terms(partnership=partnership, schedule=schedule).window_days == 6
    schedule.frequency = "monthly"
    assert schedule_terms(partnership=partnership, schedule=schedule).window_days == 10


@pytest.mark.parametrize("starts_on", ["9999-12-31", "0001-01-01"])
def test_a_first_date_more_than_five_years_ahead_or_a_year_back_is_refused_and_saves_nothing(
    org_admin_client: Client, member_client: Client, partnership: Partnership, starts_on: str
) -> None:
    response = org_admin_client.post(
        _url("schedule", partnership),
        {"frequency": "monthly", "starts_on": starts_on, "window_days": "7", "factors_every": "0"},
    )
    assert response.status_code == 200
    assert "between 1 year back and 5 years ahead" in response.content.decode()
    assert not CheckinSchedule.objects.exists()
    assert member_client.get(_url("index", partnership)).status_code == 200


def test_a_saved_first_date_now_out_of_bounds_does_not_block_changing_the_rest(
    org_admin_client: Client, partnership: Partnership
) -> None:
    # Started three years ago: still the schedule's first date, and changing the window keeps it.
    started = timezone.localdate().replace(year=timezone.localdate().year - 3, day=1)
    CheckinSchedule.objects.create(partnership=partnership, frequency="monthly", starts_on=started)
    response = org_admin_client.post(
        _url("schedule", partnership),
        {"frequency": "monthly", "starts_on": started.isoformat(), "window_days": "5", "factors_every": "0",
         "version": "1"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = CheckinSchedule.objects.get(partnership=partnership)
    assert (saved.starts_on, saved.window_days) == (started, 5)


@pytest.mark.parametrize("frequency", ["weekly", "monthly", "annually"])
def test_a_first_date_at_the_end_of_the_calendar_saved_earlier_still_shows_the_tab(
    org_admin_client: Client, member_client: Client, partnership: Partnership, frequency: str
) -> None:
    # Saved before the form bounded the date: the tab and its calendar still answer, showing the date.
    CheckinSchedule.objects.create(
        partnership=partnership, frequency=frequency, starts_on=datetime.date(9999, 12, 31), window_days=10
    )
    page = member_client.get(_url("index", partnership))
    assert page.status_code == 200
    assert "Next scheduled check-in: <strong>9999-12-31</strong>" in page.content.decode()
    assert member_client.get(_url("calendar", partnership)).status_code == 200
    assert org_admin_client.get(_url("schedule", partnership)).status_code == 200


def test_a_first_date_saved_centuries_ago_gives_a_calendar_of_the_year_ahead(
    member_client: Client, partnership: Partnership
) -> None:
    CheckinSchedule.objects.create(
        partnership=partnership, frequency="weekly", starts_on=datetime.date(1800, 1, 6), window_days=3
    )
    response = member_client.get(_url("calendar", partnership))
    assert response.status_code == 200
    starts = re.findall(r"DTSTART;VALUE=DATE:(\d{8})", response.content.decode())
    today = timezone.localdate()
    assert starts, "planned check-ins are listed"
    assert min(starts) >= today.strftime("%Y%m%d")  # planned days already past never open
    assert len(starts) <= 54  # a year ahead of weekly check-ins, not 11,000 since 1800


def test_a_check_in_past_its_last_day_offers_no_answer_button(
    member_client: Client, partnership: Partnership, open_checkin: Any
) -> None:
    # Its last day was yesterday; the daily job has not closed it yet.
    open_checkin.closes_on = datetime.date.today() - datetime.timedelta(days=1)
    open_checkin.save(update_fields=["closes_on"])
    index = member_client.get(reverse("checkins:index", kwargs={"pk": partnership.pk})).content.decode()
    assert "Answer now" not in index
    assert "Its last day has passed" in index
    detail = reverse("checkins:detail", kwargs={"pk": partnership.pk, "checkin_id": open_checkin.pk})
    assert "Answer now" not in member_client.get(detail).content.decode()


def test_of_two_admins_closing_at_once_the_second_is_told_it_is_closed(
    org_admin: Any, partnership: Partnership, open_checkin: Checkin
) -> None:
    access = partnership_access_for(user=org_admin, partnership_id=partnership.pk)
    seen_open = Checkin.objects.get(pk=open_checkin.pk)  # the second admin's page, loaded while open
    services.checkin_close_by_hand(access=access, user=org_admin, checkin=open_checkin)
    with pytest.raises(services.CheckinError, match="closed already"):
        services.checkin_close_by_hand(access=access, user=org_admin, checkin=seen_open)
