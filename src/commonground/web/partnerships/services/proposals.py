"""Proposals: what one partner may not do alone to the others (remove a partner, rename or close the
partnership) happens only once every other active partner has confirmed it.

The rules:
- An admin of an active partner proposes, giving a reason. Every other active partner (not the
  proposer, and not the partner a removal is about) must confirm, each through one of its admins, who
  types a confirmation (the name of the organisation to remove, else the partnership's name). Any of
  them can decline, which ends the proposal; the proposer can withdraw it; it expires after
  ``settings.PROPOSAL_VALID_DAYS``.
- A removal needs at least one partner besides the proposer and the one to remove: in a partnership
  of two, neither can put the other out (either can leave). Renaming or closing a partnership that has
  one partner needs no one else, and is carried at once.
- When the last confirmation comes in, the change is made in the same transaction. When the partners
  change while a proposal is open (``proposals_settle``), proposals whose proposer or subject is gone
  lapse, and proposals every remaining partner has confirmed are carried.
- Everyone concerned is emailed at the proposal, at each answer and at the outcome (``notices``).

Every write locks the partnership row first, so writes about one partnership's proposals and members
happen one after another.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import (
    MemberState,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    Proposal,
    ProposalKind,
    ProposalState,
    ProposalVote,
    VoteAnswer,
)
from commonground.web.partnerships.proposal_selectors import (
    active_partner_ids,
    answered_organisation_ids,
    partners_to_confirm,
    required_organisation_ids,
    subject_organisation_id,
)
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services import notices
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.partnerships.services.partnership import partnership_touch
from commonground.web.partnerships.signals import partnership_closed

REASON_MAX = 2000


def _lock(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _require_open(proposal: Proposal) -> None:
    if proposal.state != ProposalState.OPEN:
        raise PartnershipError(f"This proposal is {proposal.get_state_display().lower()}: nothing changed.")


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise PartnershipError(f"Keep the reason under {REASON_MAX} characters.")
    return reason


def clean_partnership_name(name: str) -> str:
    """A partnership name as stored: trimmed, 1–200 printable characters (no line breaks or control
    characters, which could forge an email header or hide text)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise PartnershipError("A name has 1 to 200 characters.")
    if not name.isprintable():
        raise PartnershipError("A name cannot contain line breaks or control characters.")
    return name


def proposal_create(
    *,
    access: PartnershipAccess,
    kind: ProposalKind,
    organisation_id: int,
    reason: str,
    user: User,
    subject: PartnershipMember | None = None,
    new_name: str = "",
    base_url: str = "",
) -> Proposal:
    """Propose to remove ``subject``, rename the partnership to ``new_name``, or close it, on behalf of one
    of the caller's partner organisations (its admins); everyone concerned is emailed."""
    if not access.can_in(organisation_id, Action.MANAGE):
        raise PartnershipError("Only an admin of a partner organisation can make a proposal for it.")
    reason = _clean_reason(reason)
    if not reason:
        raise PartnershipError("Give the other partners your reason.")
    if kind == ProposalKind.RENAME:
        new_name = clean_partnership_name(new_name)
    proposals_expire(partnership=access.partnership, base_url=base_url)
    with transaction.atomic():
        partnership = _lock(access.partnership)
        if partnership.status == PartnershipStatus.CLOSED:
            raise PartnershipError("The partnership is closed.")
        active = active_partner_ids(partnership=partnership)
        open_ones = Proposal.objects.filter(partnership=partnership, kind=kind, state=ProposalState.OPEN)
        subject_name = ""
        if kind == ProposalKind.REMOVE:
            if subject is None or subject.partnership_id != partnership.pk:
                raise PartnershipError("Choose a partner to remove.")
            subject = PartnershipMember.objects.select_related("organisation").get(pk=subject.pk)
            if subject.state != MemberState.ACTIVE:
                raise PartnershipError(f"{subject.organisation.name} is not an active partner.")
            if subject.organisation_id in access.organisation_ids:
                raise PartnershipError("To take your own organisation out, leave the partnership.")
            if not active - {organisation_id, subject.organisation_id}:
                raise PartnershipError(
                    f"No other partner could confirm removing {subject.organisation.name}: with two "
                    "partners, neither can put the other out. Your organisation can leave the partnership "
                    "instead."
                )
            open_ones = open_ones.filter(subject=subject)
            subject_name = subject.organisation.name
        elif kind == ProposalKind.RENAME and new_name == partnership.name:
            raise PartnershipError("That is already the partnership's name.")
        if open_ones.exists():
            raise PartnershipError("The same proposal is already open: answer that one.")
        now = timezone.now()
        proposal = Proposal.objects.create(
            partnership=partnership,
            kind=kind,
            proposer_id=organisation_id,
            proposer_name=Organisation.objects.values_list("name", flat=True).get(pk=organisation_id),
            proposed_by=user,
            subject=subject if kind == ProposalKind.REMOVE else None,
            subject_name=subject_name,
            old_name=partnership.name,
            new_name=new_name if kind == ProposalKind.RENAME else "",
            reason=reason,
            created_at=now,
            expires_at=now + timedelta(days=settings.PROPOSAL_VALID_DAYS),
        )
        partnership_touch(partnership, user=user)
        shared_material_record(
            partnership, user=user, comment=f"{proposal.proposer_name} proposed to {proposal.action}"
        )
        if required_organisation_ids(proposal, active=active):
            notices.proposal_made(proposal, base_url=base_url)
        # With no one else to ask (a partnership of one), renaming or closing is carried at once.
        proposals_settle(partnership, user=user, base_url=base_url)
    proposal.refresh_from_db()
    return proposal


def proposal_answer(
    *,
    access: PartnershipAccess,
    proposal: Proposal,
    organisation_id: int,
    confirm: bool,
    typed_confirmation: str = "",
    reason: str = "",
    user: User,
    base_url: str = "",
) -> Proposal:
    """One partner confirms (typing the confirmation) or declines a proposal, through one of its admins.

    Declining ends the proposal. The last confirmation carries it: the change is made in this call.
    """
    if not access.can_in(organisation_id, Action.MANAGE):
        raise PartnershipError("Only an admin of a partner organisation can answer for it.")
    reason = _clean_reason(reason)
    proposals_expire(partnership=access.partnership, base_url=base_url)
    with transaction.atomic():
        partnership = _lock(access.partnership)
        proposal = Proposal.objects.select_related("partnership", "subject").get(
            pk=proposal.pk, partnership=partnership
        )
        _require_open(proposal)
        if organisation_id not in partners_to_confirm(proposal):
            raise PartnershipError("That organisation is not one of the partners asked to answer.")
        if organisation_id in answered_organisation_ids(proposal):
            raise PartnershipError("That organisation has already answered.")
        if confirm and typed_confirmation.strip() != proposal.confirmation_text:
            raise PartnershipError(f"To confirm, type “{proposal.confirmation_text}” exactly.")
        vote = ProposalVote.objects.create(
            proposal=proposal,
            organisation_id=organisation_id,
            organisation_name=Organisation.objects.values_list("name", flat=True).get(pk=organisation_id),
            user=user,
            answer=VoteAnswer.CONFIRM if confirm else VoteAnswer.DECLINE,
            reason=reason,
        )
        verb = "confirmed" if confirm else "declined"
        shared_material_record(
            partnership,
            user=user,
            comment=f"{vote.organisation_name} {verb} the proposal to {proposal.action}",
        )
        if not confirm:
            _decide(proposal, ProposalState.DECLINED, base_url=base_url)
        else:
            proposals_settle(partnership, user=user, base_url=base_url)
            proposal.refresh_from_db(fields=["state"])
            if proposal.state == ProposalState.OPEN:  # others still to answer: tell everyone of this one
                notices.proposal_answered(proposal, vote, base_url=base_url)
    proposal.refresh_from_db()
    return proposal


def proposal_withdraw(
    *, access: PartnershipAccess, proposal: Proposal, user: User, base_url: str = ""
) -> Proposal:
    """The proposing organisation's admins take their open proposal back."""
    if proposal.proposer_id is None or not access.can_in(proposal.proposer_id, Action.MANAGE):
        raise PartnershipError("Only an admin of the organisation that proposed it can withdraw it.")
    with transaction.atomic():
        partnership = _lock(access.partnership)
        proposal = Proposal.objects.select_related("partnership", "subject").get(
            pk=proposal.pk, partnership=partnership
        )
        _require_open(proposal)
        shared_material_record(
            partnership,
            user=user,
            comment=f"{proposal.proposer_name} withdrew its proposal to {proposal.action}",
        )
        _decide(proposal, ProposalState.WITHDRAWN, base_url=base_url)
    return proposal


def proposals_expire(*, partnership: Partnership | None = None, base_url: str = "") -> int:
    """Mark open proposals past their expiry as expired (of one partnership, or all) and tell everyone
    concerned; returns how many. Run daily (``manage expire_proposals``) and before each proposal write."""
    due = Proposal.objects.filter(state=ProposalState.OPEN, expires_at__lte=timezone.now())
    if partnership is not None:
        due = due.filter(partnership=partnership)
    expired = 0
    for proposal_id, partnership_id in due.values_list("pk", "partnership_id"):
        with transaction.atomic():
            Partnership.objects.select_for_update().get(pk=partnership_id)
            proposal = Proposal.objects.select_related("partnership", "subject").get(pk=proposal_id)
            if proposal.state == ProposalState.OPEN:
                _decide(proposal, ProposalState.EXPIRED, base_url=base_url)
                expired += 1
    return expired


def proposals_settle(partnership: Partnership, *, user: User, base_url: str = "") -> list[Proposal]:
    """After the partners changed (or a confirmation came in): carry every open proposal all the other
    partners have confirmed, and let lapse those whose proposer or subject is no longer a partner (all of
    them once the partnership is closed). Returns the proposals it carried. Call inside the caller's
    transaction, with the partnership locked."""
    carried: list[Proposal] = []
    settled = True
    while settled:  # carrying one (a removal, a closing) can settle others
        settled = False
        status = Partnership.objects.values_list("status", flat=True).get(pk=partnership.pk)
        active = active_partner_ids(partnership=partnership)
        open_ones = (
            Proposal.objects.select_related("partnership", "subject")
            .prefetch_related("votes")
            .filter(partnership=partnership, state=ProposalState.OPEN)
            .order_by("created_at", "pk")
        )
        for proposal in open_ones:
            subject = subject_organisation_id(proposal)
            gone = proposal.proposer_id not in active or (subject is not None and subject not in active)
            required = required_organisation_ids(proposal, active=active)
            no_one_to_ask = proposal.kind == ProposalKind.REMOVE and not required
            answers = answered_organisation_ids(proposal)
            confirmed = {org_id for org_id, answer in answers.items() if answer == VoteAnswer.CONFIRM}
            if status == PartnershipStatus.CLOSED or gone or no_one_to_ask:
                _decide(proposal, ProposalState.LAPSED, base_url=base_url)
            elif required <= confirmed:
                _carry(proposal, user=user)
                _decide(proposal, ProposalState.CARRIED, base_url=base_url)
                carried.append(proposal)
            else:
                continue
            settled = True
            break
    return carried


def _decide(proposal: Proposal, state: ProposalState, *, base_url: str) -> None:
    """End a proposal in ``state`` and tell everyone concerned."""
    proposal.state = state
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "decided_at"])
    notices.proposal_decided(proposal, base_url=base_url)


def _carry(proposal: Proposal, *, user: User) -> None:
    """Make the change a proposal asked for, and record it in the partnership's history."""
    partnership = proposal.partnership
    now = timezone.now()
    agreed = f"as {proposal.proposer_name} proposed and every other partner confirmed"
    extra: tuple[PartnershipMember, ...] = ()
    if proposal.kind == ProposalKind.REMOVE and proposal.subject is not None:
        member = proposal.subject
        member.state = MemberState.REMOVED
        member.ended_at = now
        member.end_reason = proposal.reason
        member.save(update_fields=["state", "ended_at", "end_reason"])
        comment, extra = f"Removed {proposal.subject_name}, {agreed}", (member,)
    elif proposal.kind == ProposalKind.RENAME:
        Partnership.objects.filter(pk=partnership.pk).update(
            name=proposal.new_name, version=F("version") + 1, updated_by=user, updated_at=now
        )
        comment = f"Renamed from “{proposal.old_name}” to “{proposal.new_name}”, {agreed}"
    else:
        Partnership.objects.filter(pk=partnership.pk).update(
            status=PartnershipStatus.CLOSED, version=F("version") + 1, updated_by=user, updated_at=now
        )
        comment = f"Closed, {agreed}"
    partnership.refresh_from_db()
    shared_material_record(partnership, user=user, comment=comment, extra=extra)
    if proposal.kind == ProposalKind.CLOSE:
        partnership_closed.send(sender=Partnership, partnership=partnership, user=user)
