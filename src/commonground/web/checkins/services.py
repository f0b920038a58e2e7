"""Writes of check-ins: the schedule, opening and closing (which freezes the results), action items.

Answers are written by ``answer_services.response_submit``. Each function runs one transaction;
a rule a form cannot check raises ``CheckinError``, whose message is shown to the user.

Closing hands every answer of the partnership's closed check-ins of that item set to
``core.alignment.analysis.analyse`` under opaque respondent ids (an HMAC of the response's id with
the site's secret, never the user's id) and stores ``as_json()`` on the check-in: from then on its
results are read only from there, so later joiners or leavers change nothing already published.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.core.alignment import factors
from commonground.core.alignment.analysis import analyse
from commonground.core.alignment.items import item_set, item_set_names
from commonground.core.alignment.models import ALL, Alert, Answer, PulseAnalysis
from commonground.web.accounts.typing import User
from commonground.web.checkins import emails
from commonground.web.checkins.models import (
    ActionItem,
    ActionSource,
    ActionStatus,
    Checkin,
    CheckinSchedule,
    CheckinState,
    ResponseScore,
)
from commonground.web.checkins.selectors import FACTORS, partner_names
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services import partnership_touch, shared_material_record
from commonground.web.records import update_if_current


class CheckinError(Exception):
    """A check-in write refused for a reason the user can act on."""


def _require_manager(access: PartnershipAccess) -> None:
    if access.facilitator or not access.can_manage:
        raise CheckinError("Only the partners' admins and owners change the check-ins.")
    if access.closed:
        raise CheckinError("This partnership is closed: its check-ins are kept as a record.")


# --- the schedule -----------------------------------------------------------------------------------


def schedule_save(
    *,
    access: PartnershipAccess,
    user: User,
    expected_version: int | None,
    frequency: str,
    follow_agreement: bool,
    window_days: int,
    factors_every: int,
    starts_on: datetime.date,
) -> CheckinSchedule:
    """Start check-ins (no schedule yet: ``expected_version`` None) or change the schedule."""
    _require_manager(access)
    fields = {
        "frequency": frequency,
        "follow_agreement": follow_agreement,
        "window_days": window_days,
        "factors_every": factors_every,
        "starts_on": starts_on,
    }
    with transaction.atomic():
        if expected_version is None:
            try:
                with transaction.atomic():
                    schedule = CheckinSchedule.objects.create(
                        partnership=access.partnership, updated_by=user, **fields
                    )
            except IntegrityError:
                raise CheckinError("Someone started the check-ins meanwhile: load the page again.") from None
            comment = "Started check-ins"
        else:
            rows = CheckinSchedule.objects.filter(partnership=access.partnership)
            update_if_current(rows, expected_version=expected_version, user=user, **fields)
            schedule = rows.get()
            comment = "Changed the check-in schedule"
        partnership_touch(access.partnership, user=user)
        shared_material_record(access.partnership, user=user, comment=comment, extra=(schedule,))
    return schedule


# --- opening and closing ----------------------------------------------------------------------------


def checkin_open(
    *,
    partnership: Partnership,
    name: str,
    today: datetime.date,
    window_days: int,
    scheduled: bool,
    user: User | None = None,
) -> Checkin:
    """Open a check-in of item set ``name`` today and invite everyone (inside the caller's transaction)."""
    if name not in item_set_names():
        raise CheckinError(f"There is no item set called {name!r}.")
    if Checkin.objects.filter(partnership=partnership, item_set=name, state=CheckinState.OPEN).exists():
        raise CheckinError(f"A {item_set(name).title.lower()} is already open: close it first.")
    if Checkin.objects.filter(partnership=partnership, item_set=name, opens_on=today).exists():
        raise CheckinError(
            f"A {item_set(name).title.lower()} already opened today: open the next one tomorrow."
        )
    try:
        with transaction.atomic():
            checkin = Checkin.objects.create(
                partnership=partnership,
                item_set=name,
                opens_on=today,
                closes_on=today + datetime.timedelta(days=window_days - 1),
                scheduled=scheduled,
                opened_by=user,
            )
    except IntegrityError:  # the daily job or another admin opened it at the same moment
        raise CheckinError("That check-in was opened meanwhile.") from None
    emails.checkin_opened(checkin)
    return checkin


def checkin_open_by_hand(*, access: PartnershipAccess, user: User, name: str, window_days: int) -> Checkin:
    """An admin opens a check-in now (the collaboration factors on demand, or an extra pulse)."""
    _require_manager(access)
    with transaction.atomic():
        checkin = checkin_open(
            partnership=access.partnership,
            name=name,
            today=timezone.localdate(),
            window_days=window_days,
            scheduled=False,
            user=user,
        )
        partnership_touch(access.partnership, user=user)
    return checkin


def _respondent(response_id: int) -> str:
    """An opaque, stable id of one response: nobody without the site's secret can link it to anyone."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"checkins.response:{response_id}".encode(), hashlib.sha256).hexdigest()[:16]


def checkin_answers(*, partnership: Partnership, name: str) -> list[Answer]:
    """Every score of the partnership's closed check-ins of ``name`` as the analysis's answers (one query).

    The comment of a response travels on its first own score, so the analysis sees it once."""
    rows = (
        ResponseScore.objects.filter(
            response__checkin__partnership=partnership,
            response__checkin__item_set=name,
            response__checkin__state=CheckinState.CLOSED,
        )
        .order_by("response__checkin__opens_on", "response_id", "pk")
        .values_list(
            "response_id",
            "response__checkin__opens_on",
            "response__partner",
            "response__role",
            "response__comment",
            "item",
            "score",
            "about",
        )
    )
    answers, commented = [], set()
    for response_id, opens_on, partner, role, comment, item, score, about in rows:
        with_comment = not about and response_id not in commented
        if with_comment:
            commented.add(response_id)
        answers.append(
            Answer(
                checkin=opens_on.isoformat(),
                respondent=_respondent(response_id),
                partner=partner,
                item=item,
                score=score,
                about=about,
                role=role,
                comment=comment if with_comment else "",
            )
        )
    return answers


def checkin_close(*, checkin_id: int, user: User | None = None) -> Checkin:
    """Close a check-in and freeze its results (a savepoint inside the caller's transaction); a closed one
    is left as it is. The row lock makes an answer being saved finish first, or wait and be refused."""
    with transaction.atomic():
        checkin = Checkin.objects.select_for_update().select_related("partnership").get(pk=checkin_id)
        if not checkin.is_open:
            return checkin
        Checkin.objects.filter(pk=checkin.pk).update(state=CheckinState.CLOSED, closed_at=timezone.now())
        checkin.state = CheckinState.CLOSED
        answers = checkin_answers(partnership=checkin.partnership, name=checkin.item_set)
        checkin_freeze(checkin, answers, user=user)
    return checkin


def checkin_freeze(checkin: Checkin, answers: Sequence[Answer], *, user: User | None = None) -> None:
    """Store the analysis of ``answers`` (the series up to this closed check-in) on it, with the partners'
    names as they are now, and turn its alerts and concerns into action items."""
    analysis = analyse(answers)
    names = partner_names(partnership=checkin.partnership)
    known = Checkin.objects.filter(partnership=checkin.partnership).values_list("partner_names", flat=True)
    for earlier in known:  # partners who left since keep the name they had
        names = {**earlier, **names}
    checkin.results = analysis.as_json()
    checkin.partner_names = {key: names.get(key, "A former partner") for key in analysis.partners}
    checkin.respondents = checkin.responses.count()
    checkin.frozen_at = timezone.now()
    checkin.save(update_fields=["results", "partner_names", "respondents", "frozen_at"])
    # Once closed, nothing needs to know who gave which answers (answering once and reminders are
    # over): the link to the person is cut, so neither the database nor a backup can tell.
    checkin.responses.exclude(user=None).update(user=None)
    _actions_from(checkin, analysis, user=user)


def checkin_close_by_hand(*, access: PartnershipAccess, user: User, checkin: Checkin) -> Checkin:
    """An admin closes an open check-in before its last day; its results are frozen now."""
    _require_manager(access)
    with transaction.atomic():
        # Read under the row lock: of two admins closing at once, the second is told it is closed.
        if not Checkin.objects.select_for_update().get(pk=checkin.pk).is_open:
            raise CheckinError("This check-in is closed already.")
        closed = checkin_close(checkin_id=checkin.pk, user=user)
        partnership_touch(access.partnership, user=user)
    return closed


def _alert_text(alert: Alert, label: str, partner: str) -> str:
    direction = "fell" if alert.size < 0 else "moved"
    return (
        f"{label} {direction} by {abs(alert.size):.1f} points for {partner} since the check-in of "
        f"{alert.since} (found by {alert.method.upper()} at {alert.checkin}). Talk about what changed and "
        "what would help."
    )


def _actions_from(checkin: Checkin, analysis: PulseAnalysis, *, user: User | None) -> None:
    """An action item per drift alert, and per factor the partners rate a concern, once each."""
    asked = item_set(checkin.item_set)
    wanted: list[ActionItem] = []
    for alert in analysis.alerts:
        partner = (
            "all partners" if alert.partner == ALL else checkin.partner_names.get(alert.partner, "a partner")
        )
        label = asked.item(alert.item).label if alert.item in asked.ids else alert.item
        wanted.append(
            ActionItem(
                source=ActionSource.DRIFT,
                item=alert.item,
                key=f"drift:{alert.item}:{alert.partner}:{alert.since}",
                text=_alert_text(alert, label, partner),
            )
        )
    if checkin.item_set == FACTORS:
        for cell in analysis.cells:
            here = cell.checkin == checkin.label and cell.partner == ALL and cell.item in asked.ids
            # Wilder's bands, as core/alignment/factors.py reads them from the mean shown to one decimal.
            if here and cell.mean is not None and factors.band(cell.mean) == factors.CONCERN:
                wanted.append(
                    ActionItem(
                        source=ActionSource.FACTOR,
                        item=cell.item,
                        key=f"factor:{checkin.label}:{cell.item}",
                        text=f"Rated {cell.mean:.1f} of 5. " + factors.prompt(asked.item(cell.item).label),
                    )
                )
    for action in wanted:
        action.partnership = checkin.partnership
        action.checkin = checkin
        action.created_by = user
    # The key is unique per partnership: an alert raised again at a later close adds nothing.
    ActionItem.objects.bulk_create(wanted, ignore_conflicts=True)


# --- action items -----------------------------------------------------------------------------------


def _require_editor(access: PartnershipAccess) -> None:
    if access.facilitator or not access.can_edit:
        raise CheckinError("Only the partners' members change the action items.")


def action_item_add(*, access: PartnershipAccess, user: User, text: str) -> ActionItem:
    """Add an action item by hand; it is reviewed at the next check-in."""
    _require_editor(access)
    with transaction.atomic():
        action = ActionItem.objects.create(
            partnership=access.partnership,
            source=ActionSource.MANUAL,
            text=text,
            created_by=user,
            updated_by=user,
        )
        partnership_touch(access.partnership, user=user)
        shared_material_record(access.partnership, user=user, comment="Added an action item", extra=(action,))
    return action


def action_item_set_status(
    *, access: PartnershipAccess, user: User, action: ActionItem, status: str, expected_version: int
) -> None:
    """Mark an action item done (or open again); refused as stale when someone changed it meanwhile."""
    _require_editor(access)
    if status not in ActionStatus.values:
        raise CheckinError("Choose open or done.")
    with transaction.atomic():
        rows = ActionItem.objects.filter(pk=action.pk, partnership=access.partnership)
        update_if_current(
            rows,
            expected_version=expected_version,
            user=user,
            status=status,
            done_at=timezone.now() if status == ActionStatus.DONE else None,
        )
        partnership_touch(access.partnership, user=user)
        words = "Marked an action item done" if status == ActionStatus.DONE else "Opened an action item again"
        shared_material_record(access.partnership, user=user, comment=words, extra=(rows.get(),))
