"""Permission-scoped reads of check-ins: every read starts from the partnership the user reached.

Nothing here reads ``ResponseScore``: pages and exports show only the results frozen at close
(``Checkin.results``). The only read of ``Response`` is whether the signed-in person answered, and
how many people answered an open check-in (a count, never who).

The selectors the partnership's health view reuses: :func:`checkin_latest_results` and
:func:`action_items_open`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from commonground.core.agreement.parts import Frequency, SectionStatus
from commonground.core.agreement.reminders import FREQUENCY_WORDS, one_period_after
from commonground.web.access import first_or_404
from commonground.web.accounts.typing import User
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.selectors import agreement_in_force
from commonground.web.checkins.models import (
    ActionItem,
    ActionStatus,
    Checkin,
    CheckinSchedule,
    CheckinState,
    Response,
)
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations

PULSE, FACTORS = "pulse", "factors"


@dataclass(frozen=True)
class ScheduleTerms:
    """The schedule as it applies: how often, from when, and whether the signed agreement set it."""

    frequency: Frequency
    first: datetime.date
    window_days: int
    factors_every: int
    from_agreement: bool

    @property
    def words(self) -> str:
        """How often, in words: "every month"."""
        return FREQUENCY_WORDS[self.frequency]


def schedule_find(*, partnership: Partnership) -> CheckinSchedule | None:
    """The partnership's schedule; None until someone starts check-ins (one query)."""
    return CheckinSchedule.objects.select_related("updated_by").filter(partnership=partnership).first()


def _agreement_clause(partnership: Partnership) -> tuple[Frequency, datetime.date | None] | None:
    """The signed agreement's check-in frequency and first date, when it has a check-in clause."""
    agreement = Agreement.objects.filter(partnership=partnership).first()
    if agreement is None:
        return None
    terms = agreement_in_force(agreement)
    clause = terms.how.checkins
    if terms.state != "agreed" or clause.status not in (SectionStatus.PARTIALLY, SectionStatus.FULLY):
        return None
    return clause.frequency, clause.first


# The shortest month follows this day (February): a period's length when the real one cannot be counted.
_SHORTEST_FROM = datetime.date(2001, 2, 1)


def _period_days(first: datetime.date, frequency: Frequency) -> int:
    """Days from ``first`` to one period later; near the calendar's end (a first date saved before the
    schedule form bounded it, or an agreement's clause) the shortest such period, so that such a date
    shows as far off instead of taking the check-ins tab down."""
    try:
        return (one_period_after(first, frequency) - first).days
    except (OverflowError, ValueError):  # past year 9999
        return (one_period_after(_SHORTEST_FROM, frequency) - _SHORTEST_FROM).days


def schedule_terms(*, partnership: Partnership, schedule: CheckinSchedule | None) -> ScheduleTerms:
    """The schedule in force: the signed agreement's clause when followed, else the saved one (monthly by
    default). At most six queries (the schedule is passed in; the agreement in force is read)."""
    frequency = Frequency(schedule.frequency) if schedule else Frequency.MONTHLY
    first = schedule.starts_on if schedule else partnership.created_at.date()
    clause = _agreement_clause(partnership) if schedule is None or schedule.follow_agreement else None
    if clause is not None:
        frequency, first = clause[0], clause[1] or first
    # A check-in closes before the next one opens: a 10-day window on a weekly schedule would
    # otherwise push every opening back by the overlap.
    period = _period_days(first, frequency)
    window = min(schedule.window_days if schedule else 10, period - 1)
    return ScheduleTerms(
        frequency=frequency,
        first=first,
        window_days=window,
        factors_every=schedule.factors_every if schedule else 6,
        from_agreement=clause is not None,
    )


def next_opening(*, terms: ScheduleTerms, last_scheduled: datetime.date | None) -> datetime.date:
    """The day the next scheduled check-in opens: the first date, then one period after the last one."""
    if last_scheduled is None:
        return terms.first
    return max(one_period_after(last_scheduled, terms.frequency), terms.first)


def last_scheduled_opening(*, partnership: Partnership) -> datetime.date | None:
    """When the latest scheduled pulse check-in opened (one query)."""
    row = (
        Checkin.objects.filter(partnership=partnership, item_set=PULSE, scheduled=True)
        .order_by("-opens_on")
        .values_list("opens_on", flat=True)
        .first()
    )
    return row


def partner_names(*, partnership: Partnership) -> dict[str, str]:
    """The active partners' keys in the analysis (their organisation ids as text) and names (one query)."""
    return {str(org.pk): org.name for org in active_organisations(partnership=partnership)}


def answering_organisations(*, access: PartnershipAccess) -> list[Organisation]:
    """The active partner organisations the user may answer for (any role); none for a facilitator."""
    if not access.organisation_ids:
        return []
    return list(Organisation.objects.filter(pk__in=access.organisation_ids).order_by("name", "pk"))


# --- check-ins -------------------------------------------------------------------------------------


def checkin_list(*, access: PartnershipAccess) -> QuerySet[Checkin]:
    """The partnership's check-ins, newest first (one query)."""
    return Checkin.objects.filter(partnership=access.partnership).order_by("-opens_on", "-pk")


def checkin_get(*, access: PartnershipAccess, checkin_id: int) -> Checkin:
    """A check-in of the caller's partnership; 404 for another partnership's (one query). Its large
    ``results`` are read only when used (``results.checkin_results`` caches what it builds)."""
    return first_or_404(
        Checkin.objects.defer("results").filter(pk=checkin_id, partnership=access.partnership)
    )


def has_answered(*, checkin: Checkin, user: User) -> bool:
    """Whether this person answered this check-in (one query)."""
    return Response.objects.filter(checkin=checkin, user=user).exists()


def checkin_latest_results(*, access: PartnershipAccess, item_set: str = PULSE) -> Checkin | None:
    """The latest closed check-in of ``item_set`` with frozen results (one query): its ``results`` hold
    the whole series up to it, already anonymity-safe. They are large and ``results.checkin_results``
    keeps what it builds from them in the cache, so they are read from the database only when used."""
    return (
        Checkin.objects.defer("results")
        .filter(
            partnership=access.partnership,
            item_set=item_set,
            state=CheckinState.CLOSED,
            results__isnull=False,
        )
        .order_by("-opens_on", "-pk")
        .first()
    )


def action_items_open(*, access: PartnershipAccess) -> list[ActionItem]:
    """The partnership's open action items, newest first, with the check-in each came from (one query)."""
    return list(
        ActionItem.objects.select_related("checkin")
        .filter(partnership=access.partnership, status=ActionStatus.OPEN)
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class ActionItems:
    """A partnership's action items: open ones, then done ones, newest first."""

    open: list[ActionItem]
    done: list[ActionItem]


def action_items_all(*, access: PartnershipAccess) -> ActionItems:
    """Every action item of the partnership, open and done, with their check-ins (one query)."""
    rows = list(
        ActionItem.objects.select_related("checkin")
        .filter(partnership=access.partnership)
        .order_by("-created_at", "-pk")
    )
    return ActionItems(
        open=[a for a in rows if a.status == ActionStatus.OPEN],
        done=[a for a in rows if a.status == ActionStatus.DONE],
    )


def action_item_get(*, access: PartnershipAccess, action_id: int) -> ActionItem:
    """An action item of the caller's partnership; 404 otherwise (one query)."""
    return first_or_404(ActionItem.objects.filter(pk=action_id, partnership=access.partnership))


@dataclass(frozen=True)
class CheckinRow:
    """A check-in on the list: the row, how many answered so far, whether the viewer did."""

    checkin: Checkin
    answers: int
    answered: bool
    may_answer: bool  # this person may answer it now


@dataclass(frozen=True)
class CheckinsPage:
    """Everything the check-ins tab shows."""

    schedule: CheckinSchedule | None
    terms: ScheduleTerms
    next_opens: datetime.date
    open_rows: list[CheckinRow]
    closed_rows: list[CheckinRow]
    latest: Checkin | None
    actions_open: list[ActionItem]
    actions_done: list[ActionItem]
    can_answer: bool


def may_answer(*, access: PartnershipAccess, checkin: Checkin, today: datetime.date) -> bool:
    """Whether this person may answer ``checkin`` now: a partner's member (never only a facilitator),
    the partnership still running, the check-in taking answers. The service checks the same."""
    return bool(access.organisation_ids) and not access.closed and checkin.takes_answers(today)


def checkins_page(*, access: PartnershipAccess, user: User) -> CheckinsPage:
    """The check-ins tab: schedule, check-ins with counts, latest results, action items. A fixed number
    of queries whatever the number of check-ins (eleven with a signed agreement, fewer without)."""
    partnership = access.partnership
    schedule = schedule_find(partnership=partnership)
    terms = schedule_terms(partnership=partnership, schedule=schedule)
    rows = list(checkin_list(access=access).annotate(answers=Count("responses")).defer("results"))
    mine = set(
        Response.objects.filter(checkin__partnership=partnership, user=user).values_list(
            "checkin_id", flat=True
        )
    )
    today = timezone.localdate()
    wrapped = [
        CheckinRow(
            checkin=row, answers=row.answers, answered=row.pk in mine,
            may_answer=may_answer(access=access, checkin=row, today=today),
        )
        for row in rows
    ]  # fmt: skip
    actions = action_items_all(access=access)
    last = max((row.opens_on for row in rows if row.scheduled and row.item_set == PULSE), default=None)
    return CheckinsPage(
        schedule=schedule,
        terms=terms,
        next_opens=next_opening(terms=terms, last_scheduled=last),
        open_rows=[row for row in wrapped if row.checkin.is_open],
        closed_rows=[row for row in wrapped if not row.checkin.is_open],
        latest=checkin_latest_results(access=access),
        actions_open=actions.open,
        actions_done=actions.done,
        can_answer=bool(access.organisation_ids) and not access.closed,
    )
