"""Writes of the partner organisations' places (``PartnershipMember``; the pages call them partners):
invite an organisation, answer its invitation, withdraw the invitation, leave. Removing an active
partner is a proposal the others confirm (``proposals.py``).
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
from commonground.web.partnerships.services import notices
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.partnerships.services.partnership import partnership_touch
from commonground.web.partnerships.services.proposals import proposals_settle


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
    """Withdraw an organisation's open invitation (admins of any partner).

    An active partner is never removed by one partner alone: that is a proposal the other partners
    confirm (``proposals.proposal_create``), or the partner leaves by itself (``member_leave``).
    """
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        member = PartnershipMember.objects.select_related("organisation").get(pk=member.pk)
        if member.state == MemberState.ACTIVE:
            raise PartnershipError(
                f"No partner can remove {member.organisation.name} alone: propose it, and it happens once "
                "every other partner confirms."
            )
        if member.state != MemberState.INVITED:
            raise PartnershipError(f"{member.organisation.name} is not invited.")
        member.state = MemberState.DECLINED
        member.responded_at = timezone.now()
        member.save(update_fields=["state", "responded_at"])
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership,
            user=user,
            comment=f"Withdrew the invitation of {member.organisation.name}",
            extra=(member,),
        )
    return member


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
