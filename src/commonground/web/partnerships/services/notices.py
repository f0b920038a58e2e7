"""The emails partners get about proposals and departures: at a proposal, at each answer, at the outcome,
and when a partner leaves.

Everyone concerned hears of it: the admins (and owners) of every active partner, of the organisation
that proposed, and of the partner a removal is about, by their *verified* addresses only (anyone can
type an unverified one). Each person gets their own plain-text message, so no one sees the others'
addresses; messages go out once the transaction commits, so a refused write sends nothing. The
subject names the partnership and the organisations, in one line.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from commonground.web.access import Action, roles_allowing
from commonground.web.mail import Mail, mails_on_commit
from commonground.web.organisations.models import Membership
from commonground.web.partnerships.models import (
    MemberState,
    PartnershipMember,
    Proposal,
    ProposalKind,
    ProposalState,
    ProposalVote,
)
from commonground.web.partnerships.proposal_selectors import (
    active_partner_ids,
    partners_to_confirm,
    proposal_answers,
    subject_organisation_id,
)

TEMPLATES = "partnerships/proposals/email/"


def _admin_addresses(organisation_ids: Iterable[int]) -> dict[str, list[str]]:
    """Verified address → names of the organisations (among these) that person administers (one query)."""
    rows = (
        Membership.objects.filter(
            organisation_id__in=[org_id for org_id in organisation_ids if org_id is not None],
            role__in=roles_allowing(Action.MANAGE),
            user__is_active=True,
            user__email_verification__email_verified_at__isnull=False,
        )
        .values_list("user__email", "user__email_verification__email", "organisation__name")
        .order_by("organisation__name")
    )
    addresses: dict[str, list[str]] = {}
    for email, verified, organisation in rows:
        # Verified means the account's current address is the one its owner proved.
        if email and verified and email.strip().lower() == verified.strip().lower():
            addresses.setdefault(email.strip().lower(), []).append(organisation)
    return addresses


def _send(*, subject: str, template: str, context: dict[str, object], organisation_ids: set[int]) -> None:
    mails_on_commit(
        Mail(
            to=address,
            subject=subject,
            message=render_to_string(TEMPLATES + template, {**context, "your_organisations": names}),
        )
        for address, names in sorted(_admin_addresses(organisation_ids).items())
    )


def _link(base_url: str, name: str, **kwargs: object) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + reverse(name, kwargs=kwargs)


def _concerned(proposal: Proposal) -> set[int]:
    """Every active partner, the proposer and the partner a removal is about (even once it is removed)."""
    ids = active_partner_ids(partnership=proposal.partnership) | {proposal.proposer_id or 0}
    subject = subject_organisation_id(proposal)
    return ids | ({subject} if subject is not None else set())


def _context(proposal: Proposal, *, base_url: str) -> dict[str, object]:
    partnership = proposal.partnership
    return {
        "proposal": proposal,
        "partnership": partnership,
        "answers": proposal_answers(proposal),
        "link": _link(base_url, "partnerships:proposal", pk=partnership.pk, proposal_id=proposal.pk),
        "record_link": _link(base_url, "partnerships:record", pk=partnership.pk),
    }


def proposal_made(proposal: Proposal, *, base_url: str) -> None:
    """Tell everyone concerned what is proposed, why, who must confirm and by when."""
    required = partners_to_confirm(proposal)
    confirmers = sorted(
        PartnershipMember.objects.filter(
            partnership=proposal.partnership, organisation_id__in=required, state=MemberState.ACTIVE
        ).values_list("organisation__name", flat=True)
    )
    _send(
        subject=f"{proposal.partnership.name}: {proposal.proposer_name} proposes to {proposal.action}",
        template="proposed.txt",
        context={**_context(proposal, base_url=base_url), "confirmers": confirmers},
        organisation_ids=_concerned(proposal),
    )


def proposal_answered(proposal: Proposal, vote: ProposalVote, *, base_url: str) -> None:
    """Tell everyone concerned that one partner confirmed (the proposal is still open)."""
    _send(
        subject=f"{proposal.partnership.name}: {vote.organisation_name} confirmed the proposal to "
        f"{proposal.action}",
        template="answered.txt",
        context={**_context(proposal, base_url=base_url), "vote": vote},
        organisation_ids=_concerned(proposal),
    )


def _outcome_subject(proposal: Proposal) -> str:
    name = proposal.partnership.name
    if proposal.state == ProposalState.CARRIED:
        if proposal.kind == ProposalKind.REMOVE:
            return f"{name}: {proposal.subject_name} is removed from the partnership"
        if proposal.kind == ProposalKind.RENAME:
            return f"{proposal.old_name}: the partnership is now called {proposal.new_name}"
        return f"{name}: the partnership is closed"
    if proposal.state == ProposalState.DECLINED:
        decliner = proposal.votes.filter(answer="decline").values_list("organisation_name", flat=True).first()
        return f"{name}: {decliner or 'a partner'} declined the proposal to {proposal.action}"
    if proposal.state == ProposalState.WITHDRAWN:
        return f"{name}: {proposal.proposer_name} withdrew the proposal to {proposal.action}"
    return f"{name}: the proposal to {proposal.action} {proposal.get_state_display().lower()}"


def proposal_decided(proposal: Proposal, *, base_url: str) -> None:
    """Tell everyone concerned how a proposal ended: carried, declined, withdrawn, expired or lapsed."""
    _send(
        subject=_outcome_subject(proposal),
        template="decided.txt",
        context=_context(proposal, base_url=base_url),
        organisation_ids=_concerned(proposal),
    )


def partner_left(member: PartnershipMember, *, base_url: str) -> None:
    """Tell the remaining partners and the organisation itself that it left (and why, if it said)."""
    partnership = member.partnership
    _send(
        subject=f"{partnership.name}: {member.organisation.name} has left the partnership",
        template="left.txt",
        context={
            "member": member,
            "partnership": partnership,
            "link": _link(base_url, "partnerships:detail", pk=partnership.pk),
            "record_link": _link(base_url, "partnerships:record", pk=partnership.pk),
        },
        organisation_ids=active_partner_ids(partnership=partnership) | {member.organisation_id},
    )
