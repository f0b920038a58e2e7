"""An agreement's dates as an iCalendar (.ics) file: deadlines, targets, decisions and the review.

Each date becomes an all-day event with a stable UID (the agreement's title, the kind of date and
the item's id), so a calendar that subscribes to the file updates events in place instead of
adding copies when the agreement changes. Met commitments and done tasks are left out.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib

from commonground.core.agreement.models import Agreement


@dataclasses.dataclass(frozen=True)
class Deadline:
    """One dated item of an agreement."""

    uid: str
    date: datetime.date
    summary: str
    description: str


def _line(text: str) -> str:
    # Summaries and the calendar's name are one line; any line break in them would end the property.
    return " ".join(text.split())


def _uid(agreement: Agreement, kind: str, item: str) -> str:
    digest = hashlib.sha256(f"{agreement.title}\x00{kind}\x00{item}".encode()).hexdigest()[:24]
    return f"{digest}@commonground"


def agreement_deadlines(agreement: Agreement) -> list[Deadline]:
    """Every open dated item of the agreement, by date."""
    found: list[Deadline] = []

    def add(kind: str, item: str, date: datetime.date | None, summary: str, description: str = "") -> None:
        if date is not None:
            found.append(Deadline(_uid(agreement, kind, item), date, _line(summary), description))

    for commitment in agreement.what.commitments:
        if not commitment.met:
            by = agreement.partner_name(commitment.by)
            add("commitment", commitment.id, commitment.due, f"Due from {by}: {commitment.description}")
    for workstream in agreement.what.workstreams:
        for task in workstream.tasks:
            if not task.done:
                add("task", task.id, task.due, f"Task due: {task.name}", f"Workstream: {workstream.name}")
    for kpi in agreement.what.kpis:
        for target in kpi.targets:
            summary = f"KPI target: {kpi.name} {target.value:g} {kpi.unit}"
            add("target", f"{kpi.id}/{target.date}", target.date, summary)
    for decision in agreement.how.decisions.log:
        if decision.outcome is None:
            add("decision", decision.id, decision.closes, f"Decision closes: {decision.title}")
        add("decision-review", decision.id, decision.review_date, f"Review decision: {decision.title}")
    add("review", "agreement", agreement.how.review.date, f"Review the agreement: {agreement.title}")
    return sorted(found, key=lambda d: (d.date, d.summary))


def agreement_calendar(agreement: Agreement, *, stamp: datetime.datetime) -> bytes:
    """The agreement's deadlines as an .ics file; ``stamp`` is when the file is made (DTSTAMP)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Common Ground//agreement deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _line(f"{agreement.title} – deadlines"))
    for deadline in agreement_deadlines(agreement):
        event = Event()
        event.add("uid", deadline.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.date)
        event.add("dtend", deadline.date + datetime.timedelta(days=1))
        event.add("summary", deadline.summary)
        if deadline.description:
            event.add("description", deadline.description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
