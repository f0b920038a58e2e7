"""The daily job (``manage send_checkin_reminders``): open, remind, close, one partnership at a time.

For every active partnership that has started check-ins, on ``today`` (a closed partnership's open
check-ins are only closed):

- close each open check-in whose last day has passed, freezing its results;
- open the scheduled pulse check-in when its day has come (and, every n-th time, the collaboration
  factors with it), inviting every person of every active partner;
- remind, once, those who have not answered a check-in that closes within ``REMIND_DAYS`` days.

Each partnership is one transaction. Opening is keyed by (partnership, item set, day) and each email
by (check-in, kind, person) under unique constraints, so running the job twice, even at the same
time, opens nothing twice and sends nothing twice.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone

from commonground.web.checkins import emails
from commonground.web.checkins.models import Checkin, CheckinSchedule, CheckinState
from commonground.web.checkins.selectors import (
    FACTORS,
    PULSE,
    last_scheduled_opening,
    next_opening,
    schedule_terms,
)
from commonground.web.checkins.services import CheckinError, checkin_close, checkin_open
from commonground.web.partnerships.models import PartnershipStatus

REMIND_DAYS = 2  # the reminder goes this many days before the last day (never on the opening day)


def _partnership_due(schedule: CheckinSchedule, *, today: datetime.date) -> Counter[str]:
    """Do what one partnership has due on ``today`` (inside the caller's transaction)."""
    done: Counter[str] = Counter()
    partnership = schedule.partnership
    for checkin in Checkin.objects.filter(
        partnership=partnership, state=CheckinState.OPEN, closes_on__lt=today
    ):
        checkin_close(checkin_id=checkin.pk)
        done["closed"] += 1
    terms = schedule_terms(partnership=partnership, schedule=schedule)
    last = last_scheduled_opening(partnership=partnership)
    if next_opening(terms=terms, last_scheduled=last) <= today:
        try:
            checkin_open(
                partnership=partnership,
                name=PULSE,
                today=today,
                window_days=terms.window_days,
                scheduled=True,
            )
            done["opened"] += 1
            count = Checkin.objects.filter(partnership=partnership, item_set=PULSE, scheduled=True).count()
            if terms.factors_every and count % terms.factors_every == 0:
                checkin_open(
                    partnership=partnership,
                    name=FACTORS,
                    today=today,
                    window_days=terms.window_days,
                    scheduled=True,
                )
                done["opened"] += 1
        except CheckinError:  # one is still open (opened by hand) or opened today already: nothing to do
            pass
    for checkin in Checkin.objects.filter(partnership=partnership, state=CheckinState.OPEN).select_related(
        "partnership"
    ):
        if checkin.opens_on < today and checkin.closes_on - today <= datetime.timedelta(days=REMIND_DAYS):
            done["reminders"] += emails.checkin_closing(checkin)
    return done


def checkin_reminders_send(*, today: datetime.date | None = None) -> Counter[str]:
    """Open, remind and close what is due on ``today`` (default: today) in every active partnership;
    returns how many check-ins were "opened" and "closed" and how many "reminders" were emailed."""
    today = today or timezone.localdate()
    done: Counter[str] = Counter()
    # A partnership closed by its partners opens nothing more, but what was open still closes and freezes.
    stranded = Checkin.objects.filter(state=CheckinState.OPEN, closes_on__lt=today).exclude(
        partnership__status=PartnershipStatus.ACTIVE
    )
    for checkin_id in list(stranded.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            checkin_close(checkin_id=checkin_id)
            done["closed"] += 1
    ids = CheckinSchedule.objects.filter(partnership__status=PartnershipStatus.ACTIVE).values_list(
        "pk", flat=True
    )
    for schedule_id in list(ids.order_by("pk")):
        with transaction.atomic():
            schedule = CheckinSchedule.objects.select_related("partnership").filter(pk=schedule_id).first()
            if schedule is not None:
                done += _partnership_due(schedule, today=today)
    return done
