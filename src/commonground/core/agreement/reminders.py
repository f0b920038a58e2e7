"""When a KPI's next reading is due, from how often the agreement asks for one.

The next reading is due one period (its ``frequency``) after the latest reading on or after the
baseline date, or after the baseline date when there is none yet. Months are calendar months, ending
on the month's last day when the day does not exist (31 January + 1 month is 28 or 29 February).
Readings stop being due once one is dated on or after the last target's date: the KPI has said what
it was set up to say.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime

from commonground.core.agreement.parts import Frequency
from commonground.core.agreement.what import Kpi

_DAYS = {Frequency.WEEKLY: 7, Frequency.FORTNIGHTLY: 14}
_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.TWICE_A_YEAR: 6, Frequency.ANNUALLY: 12}

FREQUENCY_WORDS = {
    Frequency.WEEKLY: "every week",
    Frequency.FORTNIGHTLY: "every two weeks",
    Frequency.MONTHLY: "every month",
    Frequency.QUARTERLY: "every three months",
    Frequency.TWICE_A_YEAR: "every six months",
    Frequency.ANNUALLY: "every year",
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole calendar months (to the month's last day where the day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def one_period_after(day: datetime.date, frequency: Frequency) -> datetime.date:
    """The day one period of ``frequency`` after ``day``."""
    if frequency in _DAYS:
        return day + datetime.timedelta(days=_DAYS[frequency])
    return add_months(day, _MONTHS[frequency])


@dataclasses.dataclass(frozen=True)
class ReadingDue:
    """A KPI's next reading: when it is due, and the date it counts from (the last reading or baseline)."""

    due: datetime.date
    last: datetime.date


def next_reading(kpi: Kpi) -> ReadingDue | None:
    """When the KPI's next reading is due; None once a reading on or after the last target's date exists."""
    usable = [m.date for m in kpi.measurements if m.date >= kpi.baseline.date]
    last = max(usable, default=kpi.baseline.date)
    if usable and last >= max(t.date for t in kpi.targets):
        return None
    return ReadingDue(due=one_period_after(last, kpi.frequency), last=last)


def reading_due(kpi: Kpi, *, today: datetime.date) -> ReadingDue | None:
    """The KPI's next reading when it is due on or before ``today``, else None."""
    found = next_reading(kpi)
    return found if found is not None and found.due <= today else None
