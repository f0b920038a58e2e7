"""Writes of the partner organisations' places (``PartnershipMember``; the pages call them partners):
invite an organisation, answer its invitation, remove it, leave.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commonground.web.access import Action, role_allows, roles_allowing
from commonground.web.accounts.selectors import verified_users_with_email
from commonground.web.accounts.typing import User
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember
from commonground.web.partnerships.selectors import PartnershipAccess, PartnershipInvitationAccess
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.partnerships.services.partnership import partnership_touch


class ChooseOrganisation(PartnershipError):
    """The invited person administers several organisations: the inviter must pick one of them."""

    def __init__(self, options: list[Organisation]) -> None:
        super().__init__("That person is an admin of several organisations: choose which one to invite.")
        self.options = options


def _administered_by_email(email: str) -> list[Organisation]:
    """Organisations where the account with this *verified* email is admin or owner (never a list of all)."""
    return list(
        Organisation.objects.filter(
            memberships__user__in=verified_users_with_email(email),
            memberships__role__in=roles_allowing(Action.MANAGE),
        )
        .distinct()
        .order_by("name", "pk")
    )


def member_invite(
    *, access: PartnershipAccess, email: str, organisation_id: int | None = None, user: User
) -> PartnershipMember:
    """Invite an organisation through a person there: the email of one of its admins or owners.

    When that person administers several organisations, ``ChooseOrganisation`` lists only those, and
    the inviter calls again with ``organisation_id``.
    """
    options = _administered_by_email(email)
    if not options:
        # One message whether there is no such account or its email is unverified: never say which.
        raise PartnershipError(
            f"No organisation here has an admin with the verified email {email.strip()}: ask them for the "
            "email they sign in with, to verify it on their account page, or to set their organisation up "
            "first."
        )
    if organisation_id is None:
        if len(options) > 1:
            raise ChooseOrganisation(options)
        organisation = options[0]
    else:
        chosen = [option for option in options if option.pk == organisation_id]
        if not chosen:
            raise PartnershipError("Choose one of the organisations that person administers.")
        organisation = chosen[0]
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        member = PartnershipMember.objects.filter(partnership=partnership, organisation=organisation).first()
        if member is not None and member.state in (MemberState.ACTIVE, MemberState.INVITED):
            raise PartnershipError(f"{organisation.name} is already {member.get_state_display().lower()}.")
        if member is None:
            member = PartnershipMember(partnership=partnership, organisation=organisation)
        member.state = MemberState.INVITED
        member.invited_by = user
        member.invited_at = timezone.now()
        member.responded_at = None
        member.save()
        partnership_touch(partnership, user=user)
        shared_material_record(
            partnership, user=user, comment=f"Invited {organisation.name}", extra=(member,)
        )
    return member


def invitation_respond(
    *, invitation: PartnershipInvitationAccess, accept: bool, user: User
) -> PartnershipMember:
    """An invited organisation's admin accepts or declines the invitation."""
    if not role_allows(invitation.role, Action.MANAGE):
        raise PartnershipError("Only the organisation's admins can answer this invitation.")
    with transaction.atomic():
        member = PartnershipMember.objects.select_for_update().get(pk=invitation.member.pk)
        if member.state != MemberState.INVITED:
            raise PartnershipError("This invitation has already been answered.")
        member.state = MemberState.ACTIVE if accept else MemberState.DECLINED
        member.responded_at = timezone.now()
        member.save(update_fields=["state", "responded_at"])
        partnership_touch(member.partnership, user=user)
        verb = "accepted" if accept else "declined"
        shared_material_record(
            member.partnership,
            user=user,
            comment=f"{member.organisation.name} {verb} the invitation",
            extra=(member,),
        )
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
