"""The one write of an answer: a person answers an open check-in once, for one partner organisation.

Answering takes the check-in's row lock, so a close waits for an answer being saved and an answer
never lands in a check-in that closed meanwhile; the unique (check-in, person) constraint makes
two answers from one person at once end in one response and one "you have answered already".
Nothing is ever changed afterwards: there is no update of a response anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.core.alignment.items import SCALE_MAX, SCALE_MIN, item_set
from commonground.web.accounts.typing import User
from commonground.web.checkins.models import Checkin, Response, ResponseScore
from commonground.web.checkins.selectors import partner_names
from commonground.web.checkins.services import CheckinError
from commonground.web.partnerships.selectors import PartnershipAccess

MAX_COMMENT = 2000


def response_submit(
    *,
    access: PartnershipAccess,
    user: User,
    checkin: Checkin,
    organisation_id: int,
    scores: Mapping[str, int],
    predictions: Mapping[str, int],
    comment: str = "",
) -> Response:
    """Record one person's answer: a score for every item, a guess of the other partners' answer for
    each item that asks one (optional), an optional comment. Refused after close or when answered."""
    if access.facilitator or access.role_in(organisation_id) is None:
        raise CheckinError("Only the people of a partner organisation answer its check-ins.")
    if access.closed:
        raise CheckinError("This partnership is closed: its check-ins are kept as a record.")
    asked = item_set(checkin.item_set)
    missing = [item.label for item in asked.items if item.id not in scores]
    if missing:
        raise CheckinError(f"Give a score for every statement: {', '.join(missing)} is missing.")
    values = [*scores.values(), *predictions.values()]
    if any(not SCALE_MIN <= value <= SCALE_MAX for value in values):
        raise CheckinError(f"Scores run from {SCALE_MIN} to {SCALE_MAX}.")
    if len(comment) > MAX_COMMENT:
        raise CheckinError(f"Keep the comment under {MAX_COMMENT} characters.")
    partner = str(organisation_id)
    others = [key for key in partner_names(partnership=access.partnership) if key != partner]
    with transaction.atomic():
        locked = (
            Checkin.objects.select_for_update().filter(pk=checkin.pk, partnership=access.partnership).first()
        )
        if locked is None or not locked.takes_answers(timezone.localdate()):
            raise CheckinError("This check-in is closed: answers can no longer be given or changed.")
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    checkin=locked,
                    user=user,
                    organisation_id=organisation_id,
                    partner=partner,
                    role=str(access.role_in(organisation_id)),
                    comment=comment.strip(),
                )
        except IntegrityError:
            raise CheckinError(
                "You have answered this check-in already: answers cannot be changed."
            ) from None
        rows = [ResponseScore(response=response, item=item.id, score=scores[item.id]) for item in asked.items]
        # One guess of "the other partners" is recorded as a guess about each of them.
        rows += [
            ResponseScore(response=response, item=item.id, score=predictions[item.id], about=other)
            for item in asked.items
            if item.about_others and item.id in predictions
            for other in others
        ]
        ResponseScore.objects.bulk_create(rows)
    return response
