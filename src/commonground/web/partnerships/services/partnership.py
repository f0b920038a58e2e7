"""Writes of the partnership itself: starting it, its description, when it last changed (its name and
whether it is closed change only through a proposal the partners confirm: ``proposals.py``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.organisations.selectors import OrgAccess
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.records import update_if_current


def partnership_create(*, org_access: OrgAccess, name: str, description: str, user: User) -> Partnership:
    """Start a partnership with the caller's organisation as its first active member (admins)."""
    if not org_access.can(Action.MANAGE):
        raise PartnershipError("Only an organisation's admins can start a partnership for it.")
    with transaction.atomic():
        partnership = Partnership.objects.create(
            name=name.strip(), description=description.strip(), created_by=user, updated_by=user
        )
        member = PartnershipMember.objects.create(
            partnership=partnership,
            organisation=org_access.organisation,
            state=MemberState.ACTIVE,
            invited_by=user,
            responded_at=timezone.now(),
        )
        shared_material_record(
            partnership, user=user, comment=f"Started by {org_access.organisation.name}", extra=(member,)
        )
    return partnership


def partnership_update(
    *, access: PartnershipAccess, description: str, expected_version: int, user: User
) -> Partnership:
    """Re-describe the partnership if it is still at ``expected_version``; else ``records.StaleEditError``
    (nothing saved). Renaming and closing it are proposals the other partners confirm (``proposals.py``)."""
    partnership = access.partnership
    rows = Partnership.objects.filter(pk=partnership.pk)
    with transaction.atomic():
        before = rows.values_list("description", flat=True).first()
        update_if_current(rows, expected_version=expected_version, user=user, description=description.strip())
        changed = before is not None and before != description.strip()
        comment = "Changed the description" if changed else "Saved without changes"
        shared_material_record(partnership, user=user, comment=comment)
    return partnership


def partnership_touch(partnership: Partnership, *, user: User) -> None:
    """Mark the partnership as changed now by ``user`` (for its page and lists)."""
    Partnership.objects.filter(pk=partnership.pk).update(updated_at=timezone.now(), updated_by=user)
