"""Writes of facilitator places: a neutral facilitator joins (through an accepted invitation, see
``invitations.py``) and is removed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commonground.web.accounts.typing import User
from commonground.web.partnerships.models import (
    Facilitator,
    FacilitatorState,
    InvitationKind,
    Partnership,
    PartnershipInvitation,
)
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.partnerships.services.partnership import partnership_touch


def facilitator_join(*, invitation: PartnershipInvitation, user: User) -> Facilitator:
    """Give ``user`` an active facilitator place (again), through a facilitator ``invitation`` of the
    partnership that ``user`` has just accepted."""
    if not (
        invitation.kind == InvitationKind.FACILITATOR
        and invitation.accepted_at is not None
        and invitation.answered_by_id == user.pk
    ):
        raise PartnershipError("Only an invitation to facilitate makes someone a facilitator.")
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=invitation.partnership_id)
        facilitator = Facilitator.objects.filter(partnership=partnership, user=user).first()
        if facilitator is not None and facilitator.state == FacilitatorState.ACTIVE:
            raise PartnershipError(f"You already facilitate {partnership.name}.")
        if facilitator is None:
            facilitator = Facilitator(partnership=partnership, user=user)
        facilitator.state = FacilitatorState.ACTIVE
        facilitator.invited_by = invitation.invited_by
        facilitator.invited_at = invitation.created_at
        facilitator.responded_at = timezone.now()
        facilitator.save()
        partnership_touch(partnership, user=user)
        shared_material_record(
            partnership, user=user, comment=f"{user.get_username()} accepted to facilitate",
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
