"""Writes of the partner organisations' places (``PartnershipMember``; the pages call them partners):
join (through an accepted invitation: ``invitations.py``) and leave. Removing an active partner is a
proposal the others confirm (``proposals.py``); a removed partner comes back only by accepting an
invitation sent after its removal.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.organisations.selectors import OrgAccess
from commonground.web.partnerships.models import (
    FORMER_STATES,
    InvitationKind,
    MemberState,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
)
from commonground.web.partnerships.selectors import PartnershipAccess, partnership_access_for
from commonground.web.partnerships.services import notices
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.partnerships.services.partnership import partnership_touch
from commonground.web.partnerships.services.proposals import proposals_settle


def member_join(
    *,
    partnership: Partnership,
    org_access: OrgAccess,
    user: User,
    invitation: PartnershipInvitation | None = None,
) -> PartnershipMember:
    """Make an organisation an active partner (again): the consent of both sides is needed.

    The organisation's side: ``user`` is its admin (``org_access``). The partners' side: an
    ``invitation`` of this partnership that ``user`` has just accepted, or, without one, ``user`` is
    also an admin of a partner (someone who runs both brings one in; the demo does).
    """
    organisation = org_access.organisation
    if not org_access.can(Action.MANAGE):
        raise PartnershipError(f"Only an admin of {organisation.name} can bring it into a partnership.")
    if invitation is None:
        try:
            partners_agree = partnership_access_for(user=user, partnership_id=partnership.pk).can_manage
        except Http404:
            partners_agree = False
    else:
        partners_agree = (
            invitation.partnership_id == partnership.pk
            and invitation.kind == InvitationKind.PARTNER
            and invitation.accepted_at is not None
            and invitation.answered_by_id == user.pk
        )
    if not partners_agree:
        raise PartnershipError("Only the partners can bring an organisation into their partnership.")
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
        member = PartnershipMember.objects.filter(partnership=partnership, organisation=organisation).first()
        if member is not None and member.state == MemberState.ACTIVE:
            raise PartnershipError(f"{organisation.name} is already a partner.")
        if (
            member is not None
            and member.state == MemberState.REMOVED
            and not _invited_after(member, invitation)
        ):
            # The other partners decided it goes: only their new invitation, accepted by it, undoes that
            # (not someone who administers both, nor an invitation sent before the removal).
            raise PartnershipError(
                f"The partners removed {organisation.name}: it can come back only by accepting an invitation "
                "sent after its removal."
            )
        returning = member is not None and member.state in FORMER_STATES
        if member is None:
            member = PartnershipMember(partnership=partnership, organisation=organisation)
        member.state = MemberState.ACTIVE
        member.invited_by = invitation.invited_by if invitation is not None else user
        member.invited_at = invitation.created_at if invitation is not None else timezone.now()
        member.responded_at = timezone.now()
        # A partner again: its going ends here; the proposal that removed it, with every answer, and the
        # revision that recorded its leaving stay in the history.
        member.ended_at = None
        member.end_reason = ""
        member.save()
        partnership_touch(partnership, user=user)
        inviter = invitation.inviting_organisation if invitation is not None else None
        joined = "rejoined" if returning else "joined"
        comment = (
            f"{organisation.name} accepted the invitation of {inviter.name} and {joined}"
            if inviter is not None
            else f"{organisation.name} {joined}"
        )
        shared_material_record(partnership, user=user, comment=comment, extra=(member,))
    return member


def _invited_after(member: PartnershipMember, invitation: PartnershipInvitation | None) -> bool:
    """Whether ``invitation`` was sent after ``member`` went."""
    if invitation is None:
        return False
    return member.ended_at is None or invitation.sent_at >= member.ended_at


def _active_count(partnership: Partnership) -> int:
    return PartnershipMember.objects.filter(partnership=partnership, state=MemberState.ACTIVE).count()


def member_leave(
    *,
    access: PartnershipAccess,
    organisation_id: int,
    typed_confirmation: str,
    reason: str = "",
    user: User,
    base_url: str = "",
) -> PartnershipMember:
    """Take one of the caller's organisations out of the partnership (its admins, typing its name).

    A partner may always leave by itself, except the last one (which can close the partnership).
    Nothing it contributed is deleted, it keeps read access to its record, and every partner's admins
    (its own included) are emailed. Open proposals it made or that were about it lapse.
    """
    if not access.can_in(organisation_id, Action.MANAGE):
        raise PartnershipError("Only an admin of that organisation can take it out of the partnership.")
    reason = reason.strip()
    if len(reason) > 2000:
        raise PartnershipError("Keep the reason under 2000 characters.")
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        member = PartnershipMember.objects.select_related("organisation", "partnership").get(
            partnership=access.partnership, organisation_id=organisation_id
        )
        if member.state != MemberState.ACTIVE:
            raise PartnershipError(f"{member.organisation.name} is not an active partner.")
        if typed_confirmation.strip() != member.organisation.name:
            raise PartnershipError(f"To leave, type “{member.organisation.name}” exactly.")
        if _active_count(access.partnership) <= 1:
            raise PartnershipError(
                "You are the last partner: close the partnership instead (it stays readable as a record)."
            )
        member.state = MemberState.LEFT
        member.responded_at = member.ended_at = timezone.now()
        member.end_reason = reason
        member.save(update_fields=["state", "responded_at", "ended_at", "end_reason"])
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"{member.organisation.name} left", extra=(member,)
        )
        notices.partner_left(member, base_url=base_url)
        proposals_settle(access.partnership, user=user, base_url=base_url)
    return member
