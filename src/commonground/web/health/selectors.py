"""The health of one partnership, read from every app that holds a part of it.

Each part comes from released figures only: the pulse and the factors from the frozen results of
closed check-ins (already anonymity-safe), KPIs and commitments from the agreement in force, the
conflicts from the log's counts. ``core.alignment.health`` judges each part; nothing here scores.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from commonground.core.agreement.commitments import CommitmentStatus, commitment_results
from commonground.core.agreement.kpis import KpiStatus, kpi_results
from commonground.core.alignment.factors import BORDERLINE, CONCERN, STRENGTH, band
from commonground.core.alignment.health import (
    AgreementFacts,
    ConflictFacts,
    FactorFacts,
    Health,
    PulseFacts,
    Stage,
    health_view,
)
from commonground.web.agreements.models import Agreement, Signature
from commonground.web.agreements.selectors import agreement_in_force
from commonground.web.agreements.status_selectors import REVIEW_NOTICE
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.checkins.models import ActionItem, ActionSource, ActionStatus, Checkin, CheckinState
from commonground.web.checkins.results import checkin_results
from commonground.web.checkins.selectors import FACTORS, PULSE, checkin_latest_results
from commonground.web.conflicts.models import OPEN_STATES, ConflictEntry, EventKind
from commonground.web.conflicts.selectors import conflict_highest_level, conflict_open_summary
from commonground.web.partnerships.models import MemberState, PartnershipMember
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.reviews.models import ExitPlan, GoalReview, ReviewState, StageChoice


@dataclass(frozen=True)
class HealthPage:
    """The health view with the trend charts (caption, SVG) drawn from the check-ins."""

    health: Health
    charts: tuple[tuple[str, str], ...]
    partners: tuple[str, ...]
    exit_plan: ExitPlan | None


def _agreement_facts(partnership_id: int, today: datetime.date) -> tuple[AgreementFacts | None, int]:
    """KPIs and commitments of the agreement in force, and how many months it has been signed."""
    agreement = Agreement.objects.filter(partnership_id=partnership_id).first()
    if agreement is None:
        return None, 0
    document = agreement_in_force(agreement)
    kpis = kpi_results(document)
    commitments = commitment_results(document, today=today)
    signed = document.state == "agreed"
    months = 0
    if signed:
        first = (
            # Since the partners first agreed: a later edit signed again does not restart the clock.
            Signature.objects.filter(agreement=agreement)
            .order_by("signed_at")
            .values_list("signed_at", flat=True)
            .first()
        )
        if first is not None:
            months = (today.year - first.year) * 12 + today.month - first.month
    review = document.how.review.date
    facts = AgreementFacts(
        signed=signed,
        kpis=len(kpis),
        kpis_off_track=sum(1 for r in kpis if r.status is KpiStatus.OFF_TRACK),
        kpis_at_risk=sum(1 for r in kpis if r.status is KpiStatus.AT_RISK),
        commitments=len(commitments),
        commitments_overdue=sum(1 for r in commitments if r.status is CommitmentStatus.OVERDUE),
        # "Review due" starts REVIEW_NOTICE before the date, as on the portfolio.
        review_due=review - REVIEW_NOTICE if review is not None else None,
    )
    return facts, months


def _pulse_facts(
    access: PartnershipAccess,
) -> tuple[PulseFacts | None, FactorFacts | None, tuple[tuple[str, str], ...]]:
    """The latest released pulse and factor figures, open drift alerts and the pulse trend charts."""
    latest = checkin_latest_results(access=access, item_set=PULSE)
    closed = Checkin.objects.filter(
        partnership=access.partnership, item_set=PULSE, state=CheckinState.CLOSED
    ).count()
    alerts = tuple(
        ActionItem.objects.filter(
            partnership=access.partnership, source=ActionSource.DRIFT, status=ActionStatus.OPEN
        ).values_list("text", flat=True)
    )
    pulse: PulseFacts | None = None
    charts: tuple[tuple[str, str], ...] = ()
    results = checkin_results(latest) if latest is not None else None
    if results is not None:
        # The first column is the pooled cell of every partner; a hidden one has no mean.
        pooled = tuple(
            (row.item.label, row.cells[0].mean) for row in results.rows if row.cells[0].mean is not None
        )
        pulse = PulseFacts(
            checkins_closed=closed, latest=results.label, pooled_means=pooled, open_alerts=alerts
        )
        charts = tuple((row.item.label, row.chart) for row in results.rows if row.chart)
    elif closed:
        pulse = PulseFacts(checkins_closed=closed, latest=None, pooled_means=(), open_alerts=alerts)
    factors: FactorFacts | None = None
    latest_factors = checkin_latest_results(access=access, item_set=FACTORS)
    factor_results = checkin_results(latest_factors) if latest_factors is not None else None
    if factor_results is not None:
        means = [
            (row.item.label, row.cells[0].mean)
            for row in factor_results.rows
            if row.cells[0].mean is not None
        ]
        factors = FactorFacts(
            strengths=sum(1 for _, mean in means if band(mean) == STRENGTH),
            borderline=sum(1 for _, mean in means if band(mean) == BORDERLINE),
            concerns=tuple(label for label, mean in means if band(mean) == CONCERN),
        )
    return pulse, factors, charts


def _conflict_facts(access: PartnershipAccess) -> ConflictFacts:
    """The open entries of the conflict log, in the figures the log page shows."""
    summary = conflict_open_summary(access=access)
    return ConflictFacts(
        open=summary.open,
        high=summary.by_severity.get("high", 0),
        # Climbed at least once: the first rung depends on the partnership's ladder.
        escalated=ConflictEntry.objects.filter(
            partnership=access.partnership, state__in=OPEN_STATES, events__kind=EventKind.ESCALATED
        )
        .distinct()
        .count(),
        highest_level=conflict_highest_level(access=access),
        median_days_to_resolve=summary.median_resolve_days,
        overdue=summary.overdue,
        median_days_to_acknowledge=summary.median_acknowledge_days,
        total=summary.total,
    )


def partnership_health(*, access: PartnershipAccess, today: datetime.date) -> HealthPage:
    """Every part of the partnership's health, judged by the core, with its stage of the cycle."""
    partnership = access.partnership
    agreement, months = _agreement_facts(partnership.pk, today)
    pulse, factors, charts = _pulse_facts(access)
    plan = ExitPlan.objects.filter(partnership=partnership).first()
    choice = StageChoice.objects.filter(partnership=partnership).values_list("stage", flat=True).first()
    health = health_view(
        pulse=pulse,
        factors=factors,
        agreement=agreement,
        conflicts=_conflict_facts(access),
        has_assessment=AssessmentSnapshot.objects.filter(partnership=partnership).exists(),
        review_open=GoalReview.objects.filter(partnership=partnership, state=ReviewState.OPEN).exists(),
        exit_planned=plan is not None and plan.active,
        months_signed=months,
        today=today,
        stage=Stage(choice) if choice else None,
    )
    # Names only: the organisations' profiles are large and the page shows none of them.
    partners = tuple(
        PartnershipMember.objects.filter(partnership=partnership, state=MemberState.ACTIVE)
        .order_by("organisation__name", "pk")
        .values_list("organisation__name", flat=True)
    )
    return HealthPage(health=health, charts=charts, partners=partners, exit_plan=plan)
