"""An agreement's dates as an .ics calendar a person can subscribe to."""

from __future__ import annotations

import datetime

from icalendar import Calendar

from commonground.core.agreement.calendar import agreement_calendar, agreement_deadlines
from commonground.core.agreement.models import Agreement

STAMP = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC)


def test_open_commitments_targets_and_the_review_become_all_day_events(agreement: Agreement) -> None:
    parsed = Calendar.from_ical(agreement_calendar(agreement, stamp=STAMP))
    events = [(e.decoded("dtstart"), str(e["summary"])) for e in parsed.walk("VEVENT")]
    assert events == [
        (datetime.date(2027, 3, 31), "Due from Meadowgate Supermarkets: Fund two van drivers"),
        (datetime.date(2027, 11, 30), "Review the agreement: Healthy Tills"),
        (datetime.date(2027, 12, 31), "KPI target: Meals delivered 5000 meals"),
    ]


def test_a_met_commitment_leaves_the_calendar_and_uids_stay_the_same(agreement: Agreement) -> None:
    before = {d.summary: d.uid for d in agreement_deadlines(agreement)}
    met = agreement.what.commitments[0].model_copy(update={"met": True})
    after_agreement = agreement.model_copy(
        update={"what": agreement.what.model_copy(update={"commitments": [met]})}
    )
    after = {d.summary: d.uid for d in agreement_deadlines(after_agreement)}
    assert "Due from Meadowgate Supermarkets: Fund two van drivers" not in after
    assert after == {summary: uid for summary, uid in before.items() if summary in after}


def test_hostile_text_cannot_break_out_of_its_property(agreement: Agreement) -> None:
    hostile = agreement.model_copy(update={"title": "X\r\nBEGIN:VEVENT\r\nSUMMARY:injected"})
    data = agreement_calendar(hostile, stamp=STAMP)
    assert b"\r\nBEGIN:VEVENT\r\nSUMMARY:injected" not in data
    assert len(list(Calendar.from_ical(data).walk("VEVENT"))) == 3
