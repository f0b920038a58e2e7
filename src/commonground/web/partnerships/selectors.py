"""Permission-scoped reads for partnerships: reached only through a membership of an active partner
organisation, or an active facilitator place; everyone else gets 404.

A partnership belongs to all its active member organisations as equals, so a user's role in it is
their best role across the partner organisations they belong to. A facilitator gets a read-only
scope (``Role.VIEWER``, so ``Action.VIEW`` only, with ``facilitator=True``): they see what the partners
share (this app's and the assessments app's pages) and nothing of the organisations' own pages,
which stay behind ``organisation_access``. Invitations are read in ``invitation_selectors.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from reversion.models import Version

from commonground.web.access import Action, Role, RoleChecks, first_or_404, role_allows
from commonground.web.accounts.typing import User
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.checkins.models import ActionItem, ActionSource, ActionStatus
from commonground.web.conflicts.models import OPEN_STATES, ConflictEntry, EventKind
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.organisations.selectors import OrgAccess
from commonground.web.partnerships.models import (
    Facilitator,
    FacilitatorState,
    Initiative,
    InitiativeScore,
    MemberState,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
)
from commonground.web.revisions import versions_newest_first


@dataclass(frozen=True)
class PartnershipAccess(RoleChecks):
    """A partnership reached by the signed-in user, as a partner's member or as a facilitator."""

    partnership: Partnership
    role: Role
    facilitator: bool = False
    # The user's role in each ACTIVE partner organisation they belong to: ((organisation_id, role), ...).
    org_roles: tuple[tuple[int, Role], ...] = ()

    def describe(self) -> str:
        """Label for the security log."""
        suffix = ",facilitator" if self.facilitator else ""
        return f"partnership={self.partnership.pk}{suffix}"

    @property
    def closed(self) -> bool:
        """Whether the partners closed the partnership (it is then kept read only, as a record)."""
        return self.partnership.status == PartnershipStatus.CLOSED

    def role_in(self, organisation_id: int) -> Role | None:
        """The user's role in one partner organisation, or None when they do not belong to it."""
        return dict(self.org_roles).get(organisation_id)

    def can_in(self, organisation_id: int, action: Action) -> bool:
        """Whether the user's role in that partner organisation allows ``action`` (False if not theirs)."""
        role = self.role_in(organisation_id)
        return role is not None and role_allows(role, action)

    @property
    def organisation_ids(self) -> list[int]:
        """The active partner organisations the user belongs to."""
        return [organisation_id for organisation_id, _ in self.org_roles]


def partnership_access_for(*, user: User, partnership_id: int) -> PartnershipAccess:
    """The partnership with the user's best role; Http404 when neither partner nor facilitator.

    In a closed partnership every role is read only (``Role.VIEWER``).

    ``@partnership_scoped`` resolves the URL's ``pk`` through this.
    """
    partnership = first_or_404(Partnership.objects.select_related("updated_by").filter(pk=partnership_id))
    rows = Membership.objects.filter(
        user=user,
        organisation__partnership_memberships__partnership=partnership,
        organisation__partnership_memberships__state=MemberState.ACTIVE,
    ).values_list("organisation_id", "role")
    org_roles = tuple(sorted((organisation_id, Role(role)) for organisation_id, role in rows))
    if partnership.status == PartnershipStatus.CLOSED:
        # Closed by the partners' agreement: everyone keeps reading it, no one changes it any more.
        org_roles = tuple((organisation_id, Role.VIEWER) for organisation_id, _ in org_roles)
    if org_roles:
        return PartnershipAccess(
            partnership=partnership, role=Role.best(role for _, role in org_roles), org_roles=org_roles
        )
    if Facilitator.objects.filter(partnership=partnership, user=user, state=FacilitatorState.ACTIVE).exists():
        return PartnershipAccess(partnership=partnership, role=Role.VIEWER, facilitator=True)
    raise Http404


# --- reads inside a scope -------------------------------------------------------------------------


def member_list(*, access: PartnershipAccess) -> QuerySet[PartnershipMember]:
    """The partnership's organisations (every state) with who invited them (one query)."""
    return (
        PartnershipMember.objects.select_related("organisation", "invited_by")
        .filter(partnership=access.partnership)
        .order_by("organisation__name", "pk")
    )


def active_organisations(*, partnership: Partnership) -> list[Organisation]:
    """The active partner organisations, by name."""
    return list(
        Organisation.objects.filter(
            partnership_memberships__partnership=partnership,
            partnership_memberships__state=MemberState.ACTIVE,
        ).order_by("name", "pk")
    )


def member_get(*, access: PartnershipAccess, member_id: int) -> PartnershipMember:
    """A member row of the caller's partnership; 404 for another partnership's."""
    return first_or_404(
        PartnershipMember.objects.select_related("organisation").filter(
            pk=member_id, partnership=access.partnership
        )
    )


def facilitator_list(*, access: PartnershipAccess) -> QuerySet[Facilitator]:
    """Facilitators of the partnership with their users (one query)."""
    return Facilitator.objects.select_related("user").filter(partnership=access.partnership)


def facilitator_get(*, access: PartnershipAccess, facilitator_id: int) -> Facilitator:
    """A facilitator place of the caller's partnership; 404 otherwise."""
    return first_or_404(Facilitator.objects.filter(pk=facilitator_id, partnership=access.partnership))


def initiative_list(*, access: PartnershipAccess) -> list[Initiative]:
    """The partnership's initiatives with their scores and scoring organisations (two queries)."""
    scores = InitiativeScore.objects.select_related("organisation").order_by("organisation__name")
    return list(
        Initiative.objects.filter(partnership=access.partnership)
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("name", "pk")
    )


def initiative_get(*, access: PartnershipAccess, initiative_id: int) -> Initiative:
    """An initiative of the caller's partnership; 404 for another partnership's."""
    return first_or_404(
        Initiative.objects.select_related("updated_by").filter(
            pk=initiative_id, partnership=access.partnership
        )
    )


def facilitation_list_for_user(*, user: User) -> QuerySet[Facilitator]:
    """The partnerships the user facilitates (active places) (one query)."""
    return Facilitator.objects.select_related("partnership").filter(user=user, state=FacilitatorState.ACTIVE)


def history_versions(*, access: PartnershipAccess) -> QuerySet[Version]:
    """Recorded versions of the partnership's shared material, newest first (one query).

    Every service records the Partnership itself in each revision, so the partnership's own versions
    name every revision that touched its shared material.
    """
    return versions_newest_first(access.partnership)


def history_version_get(*, access: PartnershipAccess, version_id: int) -> Version:
    """One recorded version of the caller's partnership; 404 for any other object's version."""
    return first_or_404(history_versions(access=access).filter(pk=version_id))


def partnership_list_for_organisations(*, organisation_ids: list[int]) -> list[Partnership]:
    """Partnerships any of these organisations is an active member of, by name (one query)."""
    return list(
        Partnership.objects.filter(
            members__organisation_id__in=organisation_ids, members__state=MemberState.ACTIVE
        )
        .distinct()
        .order_by("name", "pk")
    )


# --- an organisation's portfolio ------------------------------------------------------------------

PORTFOLIO_PAGE_SIZE = 25  # a screen or two: people read a portfolio a page at a time


@dataclass(frozen=True)
class PortfolioRow:
    """One partnership on the portfolio: its active partners' names, by name, and its latest
    assessment's figures (None when it was never assessed).

    ``partner_versions`` holds each active partner's (organisation id, profile version), by name: whether
    the latest assessment is out of date depends on nothing else, so the cached row is keyed by it.
    """

    pk: int
    name: str
    partners: list[str]
    snapshot_id: int | None
    score: float | None
    verdict: str | None
    open_conflicts: int | None
    assessed_at: datetime | None
    partner_versions: tuple[tuple[int, int], ...]
    agreement_id: int | None
    # Staying aligned: open drift alerts from check-ins, and the conflict log's open entries (all, and
    # those climbed past the leads' rung).
    drift_alerts: int
    conflicts_open: int
    conflicts_escalated: int
    # Moves with every write to the partnership's shared material, agreement records and signatures
    # included, so the cached row's agreement figures are keyed by it.
    updated_at: datetime


@dataclass(frozen=True)
class PortfolioPage:
    """One page of an organisation's portfolio: its rows and the paginator's page (numbers, links)."""

    rows: list[PortfolioRow]
    page: Page[Any]


def _count_of(rows: QuerySet[Any]) -> Coalesce:
    """How many of ``rows`` (a query correlated to the outer partnership), as one subquery column."""
    # Distinct: a filter across a relation (an entry's events) may repeat a row.
    counted = rows.order_by().values("partnership").annotate(count=Count("pk", distinct=True)).values("count")
    return Coalesce(Subquery(counted), 0)


def portfolio_page(*, access: OrgAccess, page_number: Any = 1) -> PortfolioPage:
    """One page of the organisation's active partnerships, by name, with their latest assessment's figures.

    Three queries whatever the page size: the count, the page's partnerships with their latest
    figures, and their partners' names and profile versions. An invalid or out-of-range page number
    gives the first or last page.
    """
    # Each partnership's latest snapshot (newest, then highest id, as the assessments app's
    # ``snapshot_latest`` picks it), joined once per row through the ``snapshot_latest`` index.
    latest_id = (
        AssessmentSnapshot.objects.filter(partnership=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    partnerships = (
        Partnership.objects.filter(
            members__organisation=access.organisation, members__state=MemberState.ACTIVE
        )
        .annotate(latest=FilteredRelation("snapshots", condition=Q(snapshots__pk=Subquery(latest_id))))
        .order_by("name", "pk")
        .values(
            "pk",
            "name",
            "updated_at",
            snapshot_id=F("latest__pk"),
            score=F("latest__score"),
            verdict=F("latest__verdict"),
            open_conflicts=F("latest__open_conflicts"),
            assessed_at=F("latest__created_at"),
            agreement_id=F("agreement__pk"),
            drift_alerts=_count_of(
                ActionItem.objects.filter(
                    partnership=OuterRef("pk"), source=ActionSource.DRIFT, status=ActionStatus.OPEN
                )
            ),
            conflicts_open=_count_of(
                ConflictEntry.objects.filter(partnership=OuterRef("pk"), state__in=OPEN_STATES)
            ),
            # Climbed at least once (the first rung depends on the partnership's ladder).
            conflicts_escalated=_count_of(
                ConflictEntry.objects.filter(
                    partnership=OuterRef("pk"), state__in=OPEN_STATES, events__kind=EventKind.ESCALATED
                )
            ),
        )
    )
    page = Paginator(partnerships, PORTFOLIO_PAGE_SIZE).get_page(page_number)
    partners: dict[int, list[tuple[str, int, int]]] = {row["pk"]: [] for row in page}
    members = (
        PartnershipMember.objects.filter(partnership__in=list(partners), state=MemberState.ACTIVE)
        .order_by("organisation__name", "pk")
        .values_list("partnership_id", "organisation__name", "organisation_id", "organisation__version")
    )
    for partnership_id, name, organisation_id, version in members:
        partners[partnership_id].append((name, organisation_id, version))
    rows = [
        PortfolioRow(
            **row,
            partners=[name for name, _, _ in partners[row["pk"]]],
            partner_versions=tuple((pk, version) for _, pk, version in partners[row["pk"]]),
        )
        for row in page
    ]
    return PortfolioPage(rows=rows, page=page)
