"""Writes of the partner organisations' places (``PartnershipMember``; the pages call them partners):
join (through an accepted invitation: ``invitations.py``), remove, leave.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.organisations.selectors import OrgAccess
from commonground.web.partnerships.models import (
    InvitationKind,
    MemberState,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
)
from commonground.web.partnerships.selectors import PartnershipAccess, partnership_access_for
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.partnerships.services.partnership import partnership_touch


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
        if member is None:
            member = PartnershipMember(partnership=partnership, organisation=organisation)
        member.state = MemberState.ACTIVE
        member.invited_by = invitation.invited_by if invitation is not None else user
        member.invited_at = invitation.created_at if invitation is not None else timezone.now()
        member.responded_at = timezone.now()
        member.save()
        partnership_touch(partnership, user=user)
        inviter = invitation.inviting_organisation if invitation is not None else None
        comment = (
            f"{organisation.name} accepted the invitation of {inviter.name} and joined"
            if inviter is not None
            else f"{organisation.name} joined"
        )
        shared_material_record(partnership, user=user, comment=comment, extra=(member,))
    return member


def _active_count(partnership: Partnership) -> int:
    return PartnershipMember.objects.filter(partnership=partnership, state=MemberState.ACTIVE).count()


def member_remove(*, access: PartnershipAccess, member: PartnershipMember, user: User) -> PartnershipMember:
    """Remove a partner organisation or withdraw its open invitation (admins of any partner)."""
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        member = PartnershipMember.objects.select_related("organisation").get(pk=member.pk)
        if member.state == MemberState.INVITED:
            member.state = MemberState.DECLINED
            comment = f"Withdrew the invitation of {member.organisation.name}"
        elif member.state == MemberState.ACTIVE:
            if member.organisation_id in access.organisation_ids:
                raise PartnershipError("To take your own organisation out, use “Leave the partnership”.")
            member.state = MemberState.LEFT
            comment = f"Removed {member.organisation.name}"
        else:
            raise PartnershipError(f"{member.organisation.name} is not a partner.")
        member.responded_at = timezone.now()
        member.save(update_fields=["state", "responded_at"])
        partnership_touch(access.partnership, user=user)
        shared_material_record(access.partnership, user=user, comment=comment, extra=(member,))
    return member


def member_leave(*, access: PartnershipAccess, organisation_id: int, user: User) -> PartnershipMember:
    """Take one of the caller's organisations out of the partnership (that organisation's admins)."""
    if not access.can_in(organisation_id, Action.MANAGE):
        raise PartnershipError("Only an admin of that organisation can take it out of the partnership.")
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        member = PartnershipMember.objects.select_related("organisation").get(
            partnership=access.partnership, organisation_id=organisation_id
        )
        if member.state != MemberState.ACTIVE:
            raise PartnershipError(f"{member.organisation.name} is not an active partner.")
        if _active_count(access.partnership) <= 1:
            raise PartnershipError("You are the last partner: a partnership needs at least one organisation.")
        member.state = MemberState.LEFT
        member.responded_at = timezone.now()
        member.save(update_fields=["state", "responded_at"])
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"{member.organisation.name} left", extra=(member,)
        )
    return member
