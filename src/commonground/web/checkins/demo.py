"""The demo partnership's check-ins: a year of monthly pulses, frozen, and this month's still open.

Ten demo people join each partner (they cannot sign in: no usable password), so every month has
twenty respondents and each partner's own figure is shown (at least 5 each), with the perception gaps
between them (which need 10 a side). What the year holds:

- Meadowgate's "Voice in decisions" holds near 4 for six months, then drifts down from month 7 (the
  supermarket's people feel the checkout clause was decided for them);
- a perception gap on "Fairness of benefits": Bright Start's people rate it near 4.3, Meadowgate's
  near 2.8, and each side guesses the other sees it as they do (false consensus);
- a few comments each month, shown because twenty people answered;
- one collaboration-factors check-in, in month 6: most factors strong, "Enough money, people and
  time" a concern (it becomes an action item) and a few borderline.

Answers are written with ``bulk_create`` (about 2,000 scores) and each month is frozen with the same
``services.checkin_freeze`` a close uses, over the months up to it, so the pages show what a real year
of closes would have stored. Same input, same output: the scores come from a seeded generator.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from commonground.core.agreement.reminders import add_months
from commonground.core.alignment.items import FACTORS, PULSE
from commonground.web.access import Role
from commonground.web.checkins import services
from commonground.web.checkins.models import (
    ActionItem,
    Checkin,
    CheckinSchedule,
    CheckinState,
    Response,
    ResponseScore,
)
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import Partnership

PEOPLE = 10  # per partner: each partner's own figure (5 or more) and the gaps between them (10 a side)
MONTHS = 12
WINDOW = 10
COMMENTS = (
    "The monthly call works well; the agenda could come out earlier.",
    "We hear about store changes after they happen.",
    "Good progress on the vouchers this month.",
    "Decisions about the checkouts feel made before we are asked.",
)


def _people(organisation: Organisation, short: str) -> list[int]:
    """The demo members of ``organisation`` (no usable password), their user ids."""
    User = get_user_model()
    users = [
        User(username=f"demo-{short}-{n}", email=f"demo-{short}-{n}@example.org")
        for n in range(1, PEOPLE + 1)
    ]
    for user in users:
        user.set_unusable_password()
    created = User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=organisation, role=Role.MEMBER) for user in created]
    )
    return [user.pk for user in created]


def _mean(item: str, partner: str, month: int, *, charity: str) -> float:
    """Where a partner's people stand on an item in a month (1-based): the story of the module's docstring."""
    if item == "fairness":
        return 4.3 if partner == charity else 2.8
    if item == "voice" and partner != charity and month >= 7:
        return 4.0 - 0.3 * (month - 6)
    return 4.0


# Where the partners stand on the collaboration factors in month 6; any factor not named is near 4.3.
FACTOR_MEANS = {"resources": 2.5, "leadership": 3.5, "pace": 3.4, "climate": 3.6, "informal_links": 3.5}


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.6))))


def demo_checkins_load(
    *, partnership: Partnership, charity: Organisation, shop: Organisation
) -> list[Checkin]:
    """Create the demo partnership's year of check-ins (see the module's docstring), oldest first."""
    rng = random.Random(11)  # seeded: the same demo every time
    today = timezone.localdate()
    first = add_months(today, -MONTHS)
    CheckinSchedule.objects.create(
        partnership=partnership, starts_on=first, window_days=WINDOW, factors_every=0
    )
    people = {str(charity.pk): _people(charity, "bright-start"), str(shop.pk): _people(shop, "meadowgate")}
    key_charity = str(charity.pk)
    checkins = Checkin.objects.bulk_create(
        [
            Checkin(
                partnership=partnership,
                item_set="pulse",
                opens_on=add_months(first, month),
                closes_on=add_months(first, month) + datetime.timedelta(days=WINDOW - 1),
                state=CheckinState.CLOSED,
                closed_at=timezone.now(),
            )
            for month in range(MONTHS)
        ]
    )
    noon = datetime.time(12)
    responses = [
        Response(checkin=checkin, user_id=user_id, organisation_id=int(partner), partner=partner,
                 role="member", comment=COMMENTS[(month + n + 2 * side) % len(COMMENTS)] if n < 1 else "",
                 submitted_at=timezone.make_aware(datetime.datetime.combine(checkin.opens_on, noon)))
        for month, checkin in enumerate(checkins, start=1)
        for side, (partner, user_ids) in enumerate(people.items())
        for n, user_id in enumerate(user_ids)
    ]  # fmt: skip
    Response.objects.bulk_create(responses)
    month_of = {checkin.pk: month for month, checkin in enumerate(checkins, start=1)}
    scores = []
    for response in responses:
        month = month_of[response.checkin_id]
        other = next(key for key in people if key != response.partner)
        for item in PULSE.items:
            own = _mean(item.id, response.partner, month, charity=key_charity)
            scores.append(ResponseScore(response=response, item=item.id, score=_score(rng, own)))
            # Each side guesses the other sees things as it does: false consensus, most of all on fairness.
            scores.append(ResponseScore(response=response, item=item.id, score=_score(rng, own), about=other))
    ResponseScore.objects.bulk_create(scores)
    answers = services.checkin_answers(partnership=partnership, name="pulse")
    for checkin in checkins:
        services.checkin_freeze(checkin, [answer for answer in answers if answer.checkin <= checkin.label])
    _factors_load(partnership, people, opens_on=add_months(first, 5) + datetime.timedelta(days=3), rng=rng)
    ActionItem.objects.create(
        partnership=partnership, checkin=checkins[-1],
        text="Agree how Meadowgate's store teams are consulted before checkout changes are decided.",
    )  # fmt: skip
    # This month's check-in, open for the demo's own accounts to answer.
    Checkin.objects.create(
        partnership=partnership, item_set="pulse", opens_on=today,
        closes_on=today + datetime.timedelta(days=WINDOW - 1), scheduled=True,
    )  # fmt: skip
    return checkins


def _factors_load(
    partnership: Partnership, people: dict[str, list[int]], *, opens_on: datetime.date, rng: random.Random
) -> Checkin:
    """The one collaboration-factors check-in of the year, answered by everyone and frozen."""
    checkin = Checkin.objects.create(
        partnership=partnership, item_set="factors", opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=WINDOW - 1), state=CheckinState.CLOSED,
        closed_at=timezone.now(),
    )  # fmt: skip
    submitted = timezone.make_aware(datetime.datetime.combine(opens_on, datetime.time(12)))
    responses = Response.objects.bulk_create(
        Response(checkin=checkin, user_id=user_id, organisation_id=int(partner), partner=partner,
                 role="member", submitted_at=submitted)
        for partner, user_ids in people.items()
        for user_id in user_ids
    )  # fmt: skip
    ResponseScore.objects.bulk_create(
        ResponseScore(response=response, item=item.id, score=_score(rng, FACTOR_MEANS.get(item.id, 4.3)))
        for response in responses
        for item in FACTORS.items
    )
    answers = services.checkin_answers(partnership=partnership, name="factors")
    services.checkin_freeze(checkin, answers)
    return checkin
