"""Writes of facilitator places: invite a neutral facilitator, their answer, removing them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commonground.web.accounts.selectors import verified_users_with_email
from commonground.web.accounts.typing import User
from commonground.web.partnerships.models import Facilitator, FacilitatorState, Partnership
from commonground.web.partnerships.selectors import FacilitationAccess, PartnershipAccess
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.partnerships.services.partnership import partnership_touch


def facilitator_invite(*, access: PartnershipAccess, email: str, user: User) -> Facilitator:
    """Invite a neutral facilitator by the verified email of their account (no organisation needed)."""
    users = list(verified_users_with_email(email)[:2])
    if len(users) != 1:
        # One message whether there is no such account or its email is unverified: never say which.
        raise PartnershipError(
            f"No one has an account with the verified email {email.strip()}: ask them to sign up (or to "
            "verify their email on their account page) first."
        )
    invitee = users[0]
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        facilitator = Facilitator.objects.filter(partnership=access.partnership, user=invitee).first()
        if facilitator is not None and facilitator.state in (
            FacilitatorState.INVITED,
            FacilitatorState.ACTIVE,
        ):
            raise PartnershipError(
                f"{invitee.get_username()} is already {facilitator.get_state_display().lower()}."
            )
        if facilitator is None:
            facilitator = Facilitator(partnership=access.partnership, user=invitee)
        facilitator.state = FacilitatorState.INVITED
        facilitator.invited_by = user
        facilitator.invited_at = timezone.now()
        facilitator.responded_at = None
        facilitator.save()
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"Invited {invitee.get_username()} to facilitate",
            extra=(facilitator,),
        )  # fmt: skip
    return facilitator


def facilitation_respond(*, facilitation: FacilitationAccess, accept: bool, user: User) -> Facilitator:
    """The invited facilitator accepts or declines."""
    with transaction.atomic():
        facilitator = Facilitator.objects.select_for_update().get(pk=facilitation.facilitator.pk)
        if facilitator.user_id != user.pk or facilitator.state != FacilitatorState.INVITED:
            raise PartnershipError("This invitation has already been answered.")
        facilitator.state = FacilitatorState.ACTIVE if accept else FacilitatorState.DECLINED
        facilitator.responded_at = timezone.now()
        facilitator.save(update_fields=["state", "responded_at"])
        verb = "accepted" if accept else "declined"
        shared_material_record(
            facilitator.partnership, user=user, comment=f"{user.get_username()} {verb} to facilitate",
            extra=(facilitator,),
        )  # fmt: skip
    return facilitator


def facilitator_remove(*, access: PartnershipAccess, facilitator: Facilitator, user: User) -> Facilitator:
    """End a facilitator's place (or withdraw the invitation)."""
    with transaction.atomic():
        facilitator = Facilitator.objects.select_for_update().select_related("user").get(pk=facilitator.pk)
        if facilitator.state not in (FacilitatorState.INVITED, FacilitatorState.ACTIVE):
            raise PartnershipError("That person is not a facilitator of this partnership.")
        facilitator.state = FacilitatorState.REMOVED
        facilitator.responded_at = timezone.now()
        facilitator.save(update_fields=["state", "responded_at"])
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership,
            user=user,
            comment=f"Removed {facilitator.user.get_username()} as facilitator",
            extra=(facilitator,),
        )
    return facilitator
