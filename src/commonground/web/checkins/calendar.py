"""A partnership's check-in dates as an iCalendar (.ics) file: past and open check-ins, and the next
scheduled ones for a year ahead.

Each check-in window is one all-day event from the day it opens to its last day, with a stable UID
(the partnership, the item set and the opening day), so a calendar that subscribes to the file
updates events in place. Built with ``icalendar``, as the agreement's deadlines are.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from commonground.core.agreement.reminders import one_period_after
from commonground.core.alignment.items import item_set
from commonground.web.checkins.models import Checkin
from commonground.web.checkins.selectors import PULSE, ScheduleTerms

AHEAD = datetime.timedelta(days=366)


def _uid(partnership_id: int, name: str, day: datetime.date) -> str:
    digest = hashlib.sha256(f"{partnership_id}\x00{name}\x00{day.isoformat()}".encode()).hexdigest()[:24]
    return f"checkin-{digest}@commonground"


def checkin_calendar(
    *,
    partnership_id: int,
    title: str,
    checkins: Iterable[Checkin],
    terms: ScheduleTerms | None,
    next_opens: datetime.date,
    stamp: datetime.datetime,
) -> bytes:
    """The .ics file; ``terms`` None: no schedule yet (only check-ins opened so far); ``stamp``: DTSTAMP."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Common Ground//check-ins//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", " ".join(f"{title} – check-ins".split()))
    events: list[tuple[str, datetime.date, datetime.date, str]] = [
        (
            c.item_set,
            c.opens_on,
            c.closes_on,
            f"Check-in ({item_set(c.item_set).title}): {c.get_state_display()}",
        )
        for c in checkins
    ]
    if terms is not None:
        day, end = next_opens, stamp.date() + AHEAD
        opened = {(e[0], e[1]) for e in events}  # built once: per planned day it made the walk quadratic
        while day <= end:
            last = day + datetime.timedelta(days=terms.window_days - 1)
            # A planned day already past never opens (the daily run opens today's and does not catch
            # up), so only today's and later ones are listed; a first date saved long ago must not
            # fill the file with every period since.
            if (PULSE, day) not in opened and day >= stamp.date():
                events.append((PULSE, day, last, f"Check-in ({item_set(PULSE).title}): planned"))
            day = one_period_after(day, terms.frequency)
    for name, opens, last, summary in sorted(events, key=lambda e: (e[1], e[0])):
        event = Event()
        event.add("uid", _uid(partnership_id, name, opens))
        event.add("dtstamp", stamp)
        event.add("dtstart", opens)
        event.add("dtend", last + datetime.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", f"Answer on the partnership's Check-ins tab; open until {last.isoformat()}.")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
