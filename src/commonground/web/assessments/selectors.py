"""Permission-scoped reads for assessment snapshots: always inside a ``PartnershipAccess``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone

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


def snapshot_page_get(*, access: PartnershipAccess, snapshot_id: int) -> AssessmentSnapshot:
    """Like ``snapshot_get`` for the snapshot page: without the result, which its stored body replaces.

    Reading a deferred ``result`` (a snapshot stored without a current body) costs one more query.
    """
    snapshot = (
        AssessmentSnapshot.objects.select_related("created_by")
        .defer("result", "initiatives")
        .filter(pk=snapshot_id, partnership=access.partnership)
        .first()
    )
    if snapshot is None:
        raise Http404
    return snapshot


def snapshot_latest(*, access: PartnershipAccess) -> AssessmentSnapshot | None:
    """The most recent snapshot of the caller's partnership, if any (without its result)."""
    return snapshot_list(access=access).first()


PORTFOLIO_PAGE_SIZE = 25  # a screen or two: people read a portfolio a page at a time


@dataclass(frozen=True)
class PortfolioRow:
    """One partnership of an organisation with the figures of its latest assessment.

    The ``*_text`` cells and ``url`` are formatted once here: the table prints them as they are,
    which keeps a page of rows cheap to render.
    """

    partnership_id: int
    name: str
    partners: list[str]
    score: float | None
    verdict: str | None
    open_conflicts: int | None
    assessed_at: datetime | None
    url: str = ""
    partners_text: str = ""
    score_text: str = "—"
    verdict_text: str = "not assessed"
    conflicts_text: str = "—"
    assessed_text: str = "—"


def _portfolio_row(row: Mapping[str, Any], partners: list[str]) -> PortfolioRow:
    score, verdict, conflicts, at = (
        row["latest_score"],
        row["latest_verdict"],
        row["latest_conflicts"],
        row["latest_at"],
    )
    return PortfolioRow(
        partnership_id=row["pk"],
        name=row["name"],
        partners=partners,
        score=score,
        verdict=verdict,
        open_conflicts=conflicts,
        assessed_at=at,
        url=reverse("partnerships:detail", kwargs={"pk": row["pk"]}),
        partners_text=", ".join(partners),
        score_text="—" if score is None else str(floatformat(score, 0)),  # as the template filter rounds
        verdict_text=verdict or "not assessed",
        conflicts_text="—" if conflicts is None else str(conflicts),
        assessed_text="—" if at is None else timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
    )


@dataclass(frozen=True)
class PortfolioPage:
    """One page of an organisation's portfolio: its rows and the paginator's page (numbers, links)."""

    rows: list[PortfolioRow]
    page: Page[Any]


def portfolio_page(*, organisation: Organisation, page_number: Any = 1) -> PortfolioPage:
    """One page of the organisation's active partnerships, by name, with their latest snapshot's figures.

    Three queries whatever the page size: the count, the page's rows (latest figures as subqueries on
    the ``snapshot_latest`` index) and the page's partner names. An invalid or out-of-range page number
    gives the first or last page.
    """
    latest = AssessmentSnapshot.objects.filter(partnership=OuterRef("pk")).order_by("-created_at", "-pk")
    partnerships = (
        Partnership.objects.filter(members__organisation=organisation, members__state=MemberState.ACTIVE)
        .order_by("name", "pk")
        .values("pk", "name")
        .annotate(
            latest_score=Subquery(latest.values("score")[:1]),
            latest_verdict=Subquery(latest.values("verdict")[:1]),
            latest_conflicts=Subquery(latest.values("open_conflicts")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
    )
    page = Paginator(partnerships, PORTFOLIO_PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    names: dict[int, list[str]] = {row["pk"]: [] for row in rows}
    partner_rows = (
        Organisation.objects.filter(
            partnership_memberships__partnership__in=list(names),
            partnership_memberships__state=MemberState.ACTIVE,
        )
        .values_list("partnership_memberships__partnership_id", "name")
        .order_by("name")
    )
    if names:
        for partnership_id, name in partner_rows:
            names[partnership_id].append(name)
    return PortfolioPage(rows=[_portfolio_row(row, names[row["pk"]]) for row in rows], page=page)
