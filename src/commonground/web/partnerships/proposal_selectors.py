"""Permission-scoped reads for proposals between partners and for former partners' records.

A proposal is seen by everyone who reaches the partnership (its partners' members and its
facilitators) and by the members of a former partner it was about or that made it. A former partner
(one that left or was removed) reaches nothing else of the partnership but its own record: how it went,
the proposals about it with their reasons and answers, its scores of initiatives as they stood when it
went, and the assessments that read its profile (``FormerPartnerAccess``); everyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from reversion.models import Version

from commonground.web.access import Action, Role, RoleChecks, first_or_404, signed_in_user
from commonground.web.accounts.typing import User
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import (
    FORMER_STATES,
    Initiative,
    InitiativeScore,
    MemberState,
    Partnership,
    PartnershipMember,
    Proposal,
    ProposalKind,
    ProposalState,
    ProposalVote,
)
from commonground.web.partnerships.selectors import PartnershipAccess, partnership_access_for

# --- who answers a proposal ------------------------------------------------------------------------


def active_partner_ids(*, partnership: Partnership) -> set[int]:
    """The organisations that are active partners now."""
    return set(
        PartnershipMember.objects.filter(partnership=partnership, state=MemberState.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )


def subject_organisation_id(proposal: Proposal) -> int | None:
    """The organisation a removal is about (None for renaming and closing)."""
    return proposal.subject.organisation_id if proposal.subject is not None else None


def required_organisation_ids(proposal: Proposal, *, active: set[int]) -> set[int]:
    """Who must confirm: every active partner but the proposer and the partner to be removed."""
    return active - {proposal.proposer_id, subject_organisation_id(proposal)}


def partners_to_confirm(proposal: Proposal) -> set[int]:
    """Who must confirm, among the active partners now."""
    return required_organisation_ids(proposal, active=active_partner_ids(partnership=proposal.partnership))


def answered_organisation_ids(proposal: Proposal) -> dict[int, str]:
    """The answers given so far: organisation id → ``VoteAnswer`` value."""
    return {
        vote.organisation_id: vote.answer for vote in proposal.votes.all() if vote.organisation_id is not None
    }


def answerable_organisations(*, access: PartnershipAccess, proposal: Proposal) -> list[Organisation]:
    """The user's partner organisations (as admin) that still have to answer this open proposal."""
    if not proposal.is_open:
        return []
    required = required_organisation_ids(
        proposal, active=active_partner_ids(partnership=proposal.partnership)
    )
    waiting = required - set(answered_organisation_ids(proposal))
    ids = [org_id for org_id in waiting if access.can_in(org_id, Action.MANAGE)]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


@dataclass(frozen=True)
class PartnerAnswer:
    """One line of a proposal's record: who proposed, confirmed, declined, or has yet to answer."""

    organisation: str
    answer: str
    by: str
    at: datetime | None
    reason: str


def proposal_answers(proposal: Proposal) -> list[PartnerAnswer]:
    """The proposer, then every answer in order, then (while open) the partners still to answer."""
    rows = [
        PartnerAnswer(
            organisation=proposal.proposer_name,
            answer="Proposed",
            by=proposal.proposed_by.get_username() if proposal.proposed_by else "",
            at=proposal.created_at,
            reason=proposal.reason,
        )
    ]
    for vote in proposal.votes.all():
        rows.append(
            PartnerAnswer(
                organisation=vote.organisation_name,
                answer=vote.get_answer_display(),
                by=vote.user.get_username() if vote.user else "",
                at=vote.answered_at,
                reason=vote.reason,
            )
        )
    if proposal.is_open:
        waiting = Organisation.objects.filter(
            pk__in=partners_to_confirm(proposal) - set(answered_organisation_ids(proposal))
        ).order_by("name")
        rows += [
            PartnerAnswer(organisation.name, "Not answered yet", "", None, "") for organisation in waiting
        ]
    return rows


# --- proposals inside a partnership ----------------------------------------------------------------


def _proposals() -> QuerySet[Proposal]:
    votes = ProposalVote.objects.select_related("user").order_by("answered_at", "pk")
    return Proposal.objects.select_related("partnership", "proposed_by", "subject").prefetch_related(
        Prefetch("votes", queryset=votes)
    )


def proposal_list(*, access: PartnershipAccess) -> list[Proposal]:
    """Every proposal of the partnership, newest first, with its answers (two queries)."""
    return list(_proposals().filter(partnership=access.partnership))


def proposal_get(*, access: PartnershipAccess, proposal_id: int) -> Proposal:
    """A proposal of the caller's partnership; 404 for another partnership's."""
    return first_or_404(_proposals().filter(pk=proposal_id, partnership=access.partnership))


def open_removal_of(*, access: PartnershipAccess, member: PartnershipMember) -> Proposal | None:
    """The open proposal to remove this partner, if there is one."""
    return (
        Proposal.objects.filter(
            partnership=access.partnership, kind=ProposalKind.REMOVE, subject=member, state=ProposalState.OPEN
        )
        .order_by("-created_at")
        .first()
    )


def proposals_awaiting(*, user: User, organisation_ids: list[int]) -> list[tuple[Proposal, list[str]]]:
    """Open proposals that one of these organisations (which the user administers) has yet to answer,
    each with the names of those organisations (three queries)."""
    places = PartnershipMember.objects.filter(
        organisation_id__in=organisation_ids, state=MemberState.ACTIVE
    ).values_list("partnership_id", "organisation_id", "organisation__name")
    mine: dict[int, dict[int, str]] = {}
    for partnership_id, organisation_id, name in places:
        mine.setdefault(partnership_id, {})[organisation_id] = name
    if not mine:
        return []
    proposals = [
        p for p in _proposals().filter(partnership_id__in=mine, state=ProposalState.OPEN) if p.is_open
    ]
    awaiting = []
    for proposal in proposals:
        answered = set(answered_organisation_ids(proposal))
        excluded = {proposal.proposer_id, subject_organisation_id(proposal)}
        names = [
            name
            for org_id, name in sorted(mine[proposal.partnership_id].items(), key=lambda item: item[1])
            if org_id not in answered and org_id not in excluded
        ]
        if names:
            awaiting.append((proposal, names))
    return awaiting


# --- former partners -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormerPartnerAccess(RoleChecks):
    """A partnership reached through the user's organisations that left it or were removed: read only."""

    partnership: Partnership
    role: Role
    # The former places of the user's organisations in this partnership, by organisation name.
    members: tuple[PartnershipMember, ...]

    def describe(self) -> str:
        """Label for the security log."""
        return f"partnership_record={self.partnership.pk}"

    @property
    def organisation_ids(self) -> list[int]:
        """The user's organisations that were partners."""
        return [member.organisation_id for member in self.members]


def former_partner_access_for(*, user: User, partnership_id: int) -> FormerPartnerAccess:
    """The partnership as one of the user's former partner organisations sees it; Http404 otherwise."""
    members = tuple(
        PartnershipMember.objects.select_related("organisation", "partnership")
        .filter(
            partnership_id=partnership_id,
            state__in=FORMER_STATES,
            organisation__memberships__user=user,
        )
        .order_by("organisation__name", "pk")
    )
    if not members:
        raise Http404
    # Read only whatever the user's role in those organisations: the record is never changed from here.
    return FormerPartnerAccess(partnership=members[0].partnership, role=Role.VIEWER, members=members)


def rejoined_places(*, access: PartnershipAccess) -> list[PartnershipMember]:
    """The user's organisations that are partners here again after leaving or being removed: active now,
    and their place's recorded history shows it gone (rejoining clears ``ended_at``, not the history)."""
    members = PartnershipMember.objects.select_related("organisation").filter(
        partnership=access.partnership, organisation_id__in=access.organisation_ids, state=MemberState.ACTIVE
    )
    return [
        member
        for member in members.order_by("organisation__name", "pk")
        if any(
            version.field_dict.get("state") in FORMER_STATES
            for version in Version.objects.get_for_object(member)
        )
    ]


def record_access(request: HttpRequest, lookup: dict[str, Any]) -> FormerPartnerAccess | PartnershipAccess:
    """Resolver for ``@scoped`` of the record pages: the former partner's record; for a user whose
    organisation went and has rejoined, the partnership as a partner (the pages say it rejoined and
    lead to the partnership's own pages); Http404 for everyone else."""
    user = signed_in_user(request)
    partnership_id = int(lookup["pk"])
    try:
        return former_partner_access_for(user=user, partnership_id=partnership_id)
    except Http404:
        access = partnership_access_for(user=user, partnership_id=partnership_id)
        if not rejoined_places(access=access):
            raise
        return access


def former_places(*, organisation_ids: list[int]) -> list[PartnershipMember]:
    """The places these organisations had in partnerships they left or were removed from (one query)."""
    return list(
        PartnershipMember.objects.select_related("partnership", "organisation")
        .filter(organisation_id__in=organisation_ids, state__in=FORMER_STATES)
        .order_by("-ended_at", "partnership__name", "pk")
    )


@dataclass(frozen=True)
class ProposalAccess(RoleChecks):
    """A proposal reached by a partner's member or facilitator, or by a former partner it concerns."""

    proposal: Proposal
    role: Role
    # None when reached as a former partner (read only, and nothing else of the partnership).
    partnership_access: PartnershipAccess | None

    def describe(self) -> str:
        """Label for the security log."""
        return f"proposal={self.proposal.pk}"


def proposal_access(request: HttpRequest, lookup: dict[str, Any]) -> ProposalAccess:
    """Resolver for ``@scoped``: proposal ``proposal_id`` of partnership ``pk``, as described above."""
    user = signed_in_user(request)
    partnership_id, proposal_id = int(lookup["pk"]), int(lookup["proposal_id"])
    try:
        access = partnership_access_for(user=user, partnership_id=partnership_id)
    except Http404:
        former = former_partner_access_for(user=user, partnership_id=partnership_id)
        about_them = Q(subject__in=former.members) | Q(proposer_id__in=former.organisation_ids)
        proposal = first_or_404(
            _proposals().filter(about_them, pk=proposal_id, partnership_id=partnership_id)
        )
        return ProposalAccess(proposal=proposal, role=Role.VIEWER, partnership_access=None)
    proposal = proposal_get(access=access, proposal_id=proposal_id)
    return ProposalAccess(proposal=proposal, role=access.role, partnership_access=access)


@dataclass(frozen=True)
class ScoreThen:
    """A former partner's score of an initiative as it stood when the partner went."""

    initiative: str
    economic_value: int


@dataclass(frozen=True)
class AssessmentThen:
    """An assessment that read a former partner's profile."""

    snapshot_id: int
    created_at: datetime
    score: float
    verdict: str  # the stored code; the page shows it in words (assessment_words' verdict_badge)
    profile_version: int


@dataclass(frozen=True)
class FormerRecord:
    """What one former partner keeps of a partnership: how it went, and what it contributed."""

    member: PartnershipMember
    proposals: list[tuple[Proposal, list[PartnerAnswer]]]  # each with every reason and answer
    scores: list[ScoreThen]
    assessments: list[AssessmentThen]


def _scores_when_it_went(member: PartnershipMember) -> list[ScoreThen]:
    """Its initiative scores in the revision that recorded its going (the shared material as it was then),
    so later changes by the remaining partners never take them from its record."""
    for version in Version.objects.get_for_object(member).select_related("revision")[:20]:
        if version.field_dict.get("state") in FORMER_STATES:
            items = list(version.revision.version_set.select_related("content_type"))
            names = {
                item.object_id: item.field_dict["name"]
                for item in items
                if item.content_type.model_class() is Initiative
            }
            scores = [
                ScoreThen(
                    initiative=names.get(str(data["initiative_id"]), "an initiative since withdrawn"),
                    economic_value=data["economic_value"],
                )
                for item in items
                if item.content_type.model_class() is InitiativeScore
                for data in [item.field_dict]
                if data["organisation_id"] == member.organisation_id
            ]
            return sorted(scores, key=lambda score: score.initiative)
    return []


def _assessments_with(member: PartnershipMember) -> list[AssessmentThen]:
    """The partnership's assessments that read this organisation's profile, newest first."""
    snapshots = (
        AssessmentSnapshot.objects.filter(partnership_id=member.partnership_id)
        .only("pk", "created_at", "score", "verdict", "profile_versions")
        .order_by("-created_at", "-pk")
    )
    found = []
    for snapshot in snapshots:
        for entry in snapshot.profile_versions:
            if entry.get("organisation_id") == member.organisation_id:
                found.append(
                    AssessmentThen(
                        snapshot_id=snapshot.pk,
                        created_at=snapshot.created_at,
                        score=snapshot.score,
                        verdict=snapshot.verdict,
                        profile_version=int(entry.get("version", 0)),
                    )
                )
    return found


def former_records(*, access: FormerPartnerAccess) -> list[FormerRecord]:
    """The record of each of the user's former partner organisations in this partnership."""
    records = []
    for member in access.members:
        about = _proposals().filter(
            Q(subject=member) | Q(proposer_id=member.organisation_id), partnership=access.partnership
        )
        records.append(
            FormerRecord(
                member=member,
                proposals=[(proposal, proposal_answers(proposal)) for proposal in about],
                scores=_scores_when_it_went(member),
                assessments=_assessments_with(member),
            )
        )
    return records


def former_snapshot_get(*, access: FormerPartnerAccess, snapshot_id: int) -> AssessmentSnapshot:
    """An assessment that read one of the user's former partner organisations' profiles; 404 otherwise."""
    snapshot = first_or_404(
        AssessmentSnapshot.objects.select_related("created_by")
        .defer("result", "initiatives")  # the page shows the stored body (see assessments.presentation)
        .filter(pk=snapshot_id, partnership=access.partnership)
    )
    read = {entry.get("organisation_id") for entry in snapshot.profile_versions}
    if not read & set(access.organisation_ids):
        raise Http404
    return snapshot
