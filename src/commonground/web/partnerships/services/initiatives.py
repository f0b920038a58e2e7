"""Writes of the partnership's joint initiatives and of each partner's score of them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Initiative, InitiativeScore
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.partnerships.services.partnership import partnership_touch
from commonground.web.records import delete_if_current, update_if_current


def initiative_create(
    *, access: PartnershipAccess, name: str, description: str, level: str, social_value: int, user: User
) -> Initiative:
    """Propose a joint initiative (partners' members who may edit)."""
    with transaction.atomic():
        initiative = Initiative.objects.create(
            partnership=access.partnership,
            name=name.strip(),
            description=description.strip(),
            level=level,
            social_value=social_value,
            created_by=user,
            updated_by=user,
        )
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"Proposed the initiative “{initiative.name}”"
        )
    return initiative


def initiative_update(
    *,
    access: PartnershipAccess,
    initiative: Initiative,
    name: str,
    description: str,
    level: str,
    social_value: int,
    expected_version: int,
    user: User,
) -> Initiative:
    """Edit an initiative if it is still at ``expected_version``; else ``records.StaleEditError`` (nothing
    saved)."""
    with transaction.atomic():
        update_if_current(
            Initiative.objects.filter(pk=initiative.pk, partnership=access.partnership),
            expected_version=expected_version,
            user=user,
            name=name.strip(),
            description=description.strip(),
            level=level,
            social_value=social_value,
        )
        initiative.refresh_from_db()
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"Edited the initiative “{initiative.name}”"
        )
    return initiative


def initiative_delete(
    *, access: PartnershipAccess, initiative: Initiative, user: User, expected_version: int | None = None
) -> None:
    """Withdraw a proposed initiative (it stays in the history and can be restored); with
    ``expected_version`` (the API's If-Match) only while it is at that version, else
    ``records.StaleEditError`` (nothing withdrawn)."""
    rows = Initiative.objects.filter(pk=initiative.pk, partnership=access.partnership)
    with transaction.atomic():
        name = initiative.name
        if expected_version is None:
            rows.delete()
        else:
            delete_if_current(rows, expected_version=expected_version)
        partnership_touch(access.partnership, user=user)
        shared_material_record(access.partnership, user=user, comment=f"Withdrew the initiative “{name}”")


def initiative_score_set(
    *,
    access: PartnershipAccess,
    initiative: Initiative,
    organisation_id: int,
    economic_value: int,
    user: User,
) -> InitiativeScore:
    """Set one partner's economic value of an initiative; only that partner's members may."""
    if not access.can_in(organisation_id, Action.EDIT):
        raise PartnershipError("Only that organisation's members can score its economic value.")
    if not 1 <= economic_value <= 5:
        raise PartnershipError("Economic value: choose a whole number from 1 to 5.")
    with transaction.atomic():
        score, _ = InitiativeScore.objects.update_or_create(
            initiative=initiative,
            organisation_id=organisation_id,
            defaults={"economic_value": economic_value, "set_by": user, "set_at": timezone.now()},
        )
        organisation_name = Organisation.objects.values_list("name", flat=True).get(pk=organisation_id)
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user,
            comment=f"{organisation_name} scored “{initiative.name}” {economic_value}/5 economic value",
        )  # fmt: skip
    return score
