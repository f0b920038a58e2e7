"""Where each agreement stands, for lists of many partnerships (the portfolio): in words, with the
number of overdue commitments and of KPIs off track.

Four queries for any number of agreements (their terms, the signatures of their versions in force,
their readings and their deliveries); the statuses themselves come from the core methods, on the
agreement in force, as on the agreement's own pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from commonground.core.agreement.commitments import CommitmentStatus, commitment_results
from commonground.core.agreement.kpis import KpiStatus, kpi_results
from commonground.web.agreements.models import Agreement, Delivery, Measurement, Signature
from commonground.web.agreements.selectors import RecordRows, agreement_in_force

# A signed agreement whose review date is this close (or past) shows "review due".
REVIEW_NOTICE = datetime.timedelta(days=30)


@dataclass(frozen=True)
class AgreementStatus:
    """One agreement's standing: ``state`` in words and the site badge it wears."""

    state: str  # "draft", "awaiting sign-off", "signed", "review due"
    badge: str  # a verdict badge colour of site.css
    overdue: int  # commitments overdue today
    off_track: int  # KPIs off track at their latest reading


_BADGES = {"draft": "none", "awaiting sign-off": "workable", "signed": "aligned", "review due": "at_risk"}


def agreement_statuses(*, agreement_ids: Sequence[int], today: datetime.date) -> dict[int, AgreementStatus]:
    """The standing of each agreement in ``agreement_ids`` on ``today``, by agreement id."""
    if not agreement_ids:
        return {}
    agreements = list(Agreement.objects.filter(pk__in=agreement_ids).only("pk", "version", "document"))
    signed = set(
        Signature.objects.filter(agreement_id__in=agreement_ids).values_list("agreement_id", "version")
    )
    readings: dict[int, list[Measurement]] = {pk: [] for pk in agreement_ids}
    for reading in Measurement.objects.filter(agreement_id__in=agreement_ids).order_by("date", "pk"):
        readings[reading.agreement_id].append(reading)
    deliveries: dict[int, list[Delivery]] = {pk: [] for pk in agreement_ids}
    for delivery in Delivery.objects.filter(agreement_id__in=agreement_ids).order_by("date", "pk"):
        deliveries[delivery.agreement_id].append(delivery)
    statuses = {}
    for agreement in agreements:
        # Decisions do not change the standing, so they are not fetched.
        rows = RecordRows(
            measurements=readings[agreement.pk], deliveries=deliveries[agreement.pk], decisions=[]
        )
        document = agreement_in_force(agreement, rows=rows)
        review = document.how.review.date
        if document.state == "agreed":
            state = "review due" if review is not None and review - today <= REVIEW_NOTICE else "signed"
        elif (agreement.pk, agreement.version) in signed:
            state = "awaiting sign-off"
        else:
            state = "draft"
        statuses[agreement.pk] = AgreementStatus(
            state=state,
            badge=_BADGES[state],
            overdue=sum(
                1 for r in commitment_results(document, today=today) if r.status is CommitmentStatus.OVERDUE
            ),
            off_track=sum(1 for r in kpi_results(document) if r.status is KpiStatus.OFF_TRACK),
        )
    return statuses
