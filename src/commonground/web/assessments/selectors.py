"""Permission-scoped reads for assessment snapshots: always inside a ``PartnershipAccess``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, Partnership
from commonground.web.partnerships.selectors import PartnershipAccess


def snapshot_list(*, access: PartnershipAccess) -> QuerySet[AssessmentSnapshot]:
    """The partnership's snapshots, newest first, without their (large) result documents (one query)."""
    return (
        AssessmentSnapshot.objects.filter(partnership=access.partnership)
        .select_related("created_by")
        .defer("result", "initiatives")
        .order_by("-created_at", "-pk")
    )


def snapshot_get(*, access: PartnershipAccess, snapshot_id: int) -> AssessmentSnapshot:
    """One snapshot of the caller's partnership; 404 for another partnership's."""
    snapshot = (
        AssessmentSnapshot.objects.select_related("created_by")
        .filter(pk=snapshot_id, partnership=access.partnership)
        .first()
    )
    if snapshot is None:
        raise Http404
    return snapshot


def snapshot_latest(*, access: PartnershipAccess) -> AssessmentSnapshot | None:
    """The most recent snapshot of the caller's partnership, if any (without its result)."""
    return snapshot_list(access=access).first()


@dataclass(frozen=True)
class PortfolioRow:
    """One partnership of an organisation with the figures of its latest assessment."""

    partnership: Partnership
    partners: list[str]
    score: float | None
    verdict: str | None
    open_conflicts: int | None
    assessed_at: Any


def portfolio_rows(*, organisation: Organisation) -> list[PortfolioRow]:
    """The organisation's active partnerships with their latest snapshot's figures (two queries)."""
    latest = AssessmentSnapshot.objects.filter(partnership=OuterRef("pk")).order_by("-created_at", "-pk")
    partnerships = (
        Partnership.objects.filter(members__organisation=organisation, members__state=MemberState.ACTIVE)
        .annotate(
            latest_score=Subquery(latest.values("score")[:1]),
            latest_verdict=Subquery(latest.values("verdict")[:1]),
            latest_conflicts=Subquery(latest.values("open_conflicts")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("name", "pk")
    )
    rows = list(partnerships)
    names: dict[int, list[str]] = {row.pk: [] for row in rows}
    partner_rows = (
        Organisation.objects.filter(
            partnership_memberships__partnership__in=list(names),
            partnership_memberships__state=MemberState.ACTIVE,
        )
        .values_list("partnership_memberships__partnership_id", "name")
        .order_by("name")
    )
    for partnership_id, name in partner_rows:
        names[partnership_id].append(name)
    return [
        PortfolioRow(
            partnership=row,
            partners=names[row.pk],
            score=row.latest_score,  # type: ignore[attr-defined]
            verdict=row.latest_verdict,  # type: ignore[attr-defined]
            open_conflicts=row.latest_conflicts,  # type: ignore[attr-defined]
            assessed_at=row.latest_at,  # type: ignore[attr-defined]
        )
        for row in rows
    ]
