"""What the home page shows a signed-in person: what needs them, their partnerships with the latest
verdict and what changed, and their organisations with the parts of each profile still empty.

Every read goes through the person's memberships (or their own facilitator places), as the other
apps' selectors do; the page costs a fixed number of queries however many partnerships there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from commonground.reports.charts.gauge import verdict_word
from commonground.reports.numbers import score_text
from commonground.web.access import Action, role_allows
from commonground.web.accounts.typing import User
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations.completeness import MissingPart, missing_parts, missing_words
from commonground.web.organisations.models import Invitation, Membership
from commonground.web.organisations.naming import descriptor, distinct_labels
from commonground.web.organisations.selectors import invitation_list_for_user, organisation_list_for_user
from commonground.web.partnerships import invitation_selectors, proposal_selectors
from commonground.web.partnerships.models import (
    FacilitatorState,
    MemberState,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Proposal,
)

PARTNERSHIPS_SHOWN = 20  # the rest are one click away, on the partnerships page


@dataclass(frozen=True)
class OrganisationCard:
    """One of the person's organisations: their role and what its profile still lacks."""

    membership: Membership
    label: str
    missing: list[MissingPart]
    can_edit: bool

    @property
    def missing_text(self) -> str:
        """The empty parts in a phrase: "goals, red lines and culture"."""
        return missing_words(self.missing)


@dataclass(frozen=True)
class PartnershipSummary:
    """A partnership with its latest verdict and how it moved since the assessment before."""

    partnership_id: int
    name: str
    partners: list[str]
    facilitating: bool = False
    verdict: str | None = None
    score: float | None = None
    open_conflicts: int | None = None
    assessed_at: datetime | None = None
    change: str = ""

    @property
    def verdict_text(self) -> str:
        """The verdict in words ("At risk"), or "Not assessed yet"."""
        return verdict_word(self.verdict) if self.verdict else "Not assessed yet"

    @property
    def score_text(self) -> str:
        """The score as every page prints it."""
        return score_text(self.score)


@dataclass(frozen=True)
class Dashboard:
    """Everything the home page of a signed-in person shows."""

    organisations: list[OrganisationCard]
    organisation_invitations: list[Invitation]
    # Emailed invitations to the person's verified address, to join as a partner or to facilitate.
    partnership_invitations: list[PartnershipInvitation]
    # Open proposals (removing a partner, renaming, closing) that an organisation they administer has
    # yet to answer, each with the names of those organisations.
    proposals: list[tuple[Proposal, list[str]]]
    partnerships: list[PartnershipSummary]
    more_partnerships: int = 0
    partner_labels: dict[int, str] = field(default_factory=dict)

    @property
    def needs_answer(self) -> int:
        """How many invitations and proposals wait for the person's answer."""
        return len(self.organisation_invitations) + len(self.partnership_invitations) + len(self.proposals)

    @property
    def incomplete(self) -> list[OrganisationCard]:
        """Organisations whose profile the person may complete and that still lack parts."""
        return [card for card in self.organisations if card.missing and card.can_edit]


def _change(latest: dict[str, Any], previous: dict[str, Any] | None) -> str:
    """What moved between the two latest assessments, in words."""
    if previous is None:
        return "First assessment"
    if previous["verdict"] != latest["verdict"]:
        return f"Was {verdict_word(previous['verdict'])} ({score_text(previous['score'])})"
    # Between the scores as they are shown (whole numbers), so 30 → 42.5 reads "Up 13", as 30 → 43 does.
    difference = int(score_text(latest["score"])) - int(score_text(previous["score"]))
    if difference == 0:
        return "No change since the assessment before"
    direction = "Up" if difference > 0 else "Down"
    points = "point" if abs(difference) == 1 else "points"
    return f"{direction} {abs(difference)} {points} since the assessment before"


def _latest_two(partnership_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The two latest snapshots of each partnership, newest first, without their documents (one query)."""
    rows = (
        AssessmentSnapshot.objects.filter(partnership_id__in=partnership_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("partnership_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=2)
        .values("partnership_id", "score", "verdict", "open_conflicts", "created_at", "rank")
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda row: (row["partnership_id"], row["rank"])):
        found[row["partnership_id"]].append(dict(row))
    return found


def _partner_rows(partnership_ids: list[int]) -> list[dict[str, Any]]:
    """The active partners of these partnerships: names, locations and kinds (one query)."""
    rows = (
        PartnershipMember.objects.filter(partnership_id__in=partnership_ids, state=MemberState.ACTIVE)
        .order_by("organisation__name", "organisation_id")
        .values(
            "partnership_id",
            "organisation_id",
            "organisation__profile__kind",  # by its path: KT() does not follow a relation
            name=F("organisation__name"),
            location=F("organisation__location"),
        )
    )
    return [dict(row) for row in rows]


def _partnerships(
    *, organisation_ids: list[int], user: User
) -> tuple[list[PartnershipSummary], int, dict[int, str]]:
    """The partnerships of the person's organisations and the ones they facilitate, most recently
    assessed first, at most ``PARTNERSHIPS_SHOWN`` of them; how many more; labels of the partners."""
    partnerships: list[dict[str, Any]] = [
        dict(row)
        for row in Partnership.objects.filter(
            Q(members__organisation_id__in=organisation_ids, members__state=MemberState.ACTIVE)
            | Q(facilitators__user=user, facilitators__state=FacilitatorState.ACTIVE)
        )
        .distinct()
        .values("pk", "name")
    ]
    ids = [row["pk"] for row in partnerships]
    snapshots = _latest_two(ids)
    partners = _partner_rows(ids)
    labels = distinct_labels(
        (
            row["organisation_id"],
            row["name"],
            descriptor(location=row["location"], kind=row["organisation__profile__kind"]),
        )
        for row in partners
    )
    names: dict[int, list[str]] = defaultdict(list)
    member_of: set[int] = set()
    for row in partners:
        names[row["partnership_id"]].append(labels[row["organisation_id"]])
        if row["organisation_id"] in organisation_ids:
            member_of.add(row["partnership_id"])
    summaries = []
    for row in partnerships:
        pk = row["pk"]
        latest = snapshots.get(pk) or []
        figures: dict[str, Any] = {}
        if latest:
            newest = latest[0]
            figures = {
                "verdict": newest["verdict"],
                "score": newest["score"],
                "open_conflicts": newest["open_conflicts"],
                "assessed_at": newest["created_at"],
                "change": _change(newest, latest[1] if len(latest) > 1 else None),
            }
        summaries.append(
            PartnershipSummary(
                partnership_id=pk,
                name=row["name"],
                partners=names[pk],
                facilitating=pk not in member_of,
                **figures,
            )
        )
    # Most recently assessed first (what moved lately), then the ones never assessed, by name.
    summaries.sort(
        key=lambda s: (s.assessed_at is None, -(s.assessed_at.timestamp() if s.assessed_at else 0), s.name)
    )
    return summaries[:PARTNERSHIPS_SHOWN], max(len(summaries) - PARTNERSHIPS_SHOWN, 0), labels


def dashboard(*, user: User) -> Dashboard:
    """The home page of ``user``, in a fixed number of queries."""
    memberships = list(organisation_list_for_user(user=user))
    organisation_ids = [membership.organisation_id for membership in memberships]
    managed = [m.organisation_id for m in memberships if role_allows(m.role, Action.MANAGE)]
    labels = distinct_labels(
        (m.organisation_id, m.organisation.name, m.organisation.descriptor) for m in memberships
    )
    cards = [
        OrganisationCard(
            membership=membership,
            label=labels[membership.organisation_id],
            missing=missing_parts(membership.organisation.profile),
            can_edit=role_allows(membership.role, Action.EDIT),
        )
        for membership in memberships
    ]
    partnerships, more, labels = _partnerships(organisation_ids=organisation_ids, user=user)
    return Dashboard(
        organisations=cards,
        organisation_invitations=invitation_list_for_user(user=user),
        partnership_invitations=invitation_selectors.invitation_list_for_user(user=user),
        proposals=(
            proposal_selectors.proposals_awaiting(user=user, organisation_ids=managed) if managed else []
        ),
        partnerships=partnerships,
        more_partnerships=more,
        partner_labels=labels,
    )
