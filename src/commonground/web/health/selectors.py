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
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations
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
        last = (
            Signature.objects.filter(agreement=agreement, version=agreement.version)
            .order_by("-signed_at")
            .values_list("signed_at", flat=True)
            .first()
        )
        if last is not None:
            months = (today.year - last.year) * 12 + today.month - last.month
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
    """The latest released pulse and factor results, and trend charts (none before check-ins exist)."""
    return None, None, ()


def _conflict_facts(access: PartnershipAccess) -> ConflictFacts | None:
    """The open entries of the conflict log (None before the log exists)."""
    return None


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
    partners = tuple(organisation.name for organisation in active_organisations(partnership=partnership))
    return HealthPage(health=health, charts=charts, partners=partners, exit_plan=plan)
