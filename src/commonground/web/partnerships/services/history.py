"""The partnership's shared material over time: each write records it as one revision, and an earlier
revision can be made current again.

A revision holds the partnership with all its initiatives and scores, so any revision is a complete
picture of the shared material and ``history_restore`` can bring it back. The stakeholder register
is recorded whole too, and restored additively (``stakeholders/history.py``). Member and facilitator places
are recorded too when they change (``extra``), but never restored: whether an organisation takes part
is that organisation's own decision, or all the partners' (a proposal); so are the name and whether
the partnership is closed.
"""

from __future__ import annotations

import reversion
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from reversion.models import Version

from commonground.web.accounts.typing import User
from commonground.web.partnerships.models import (
    Initiative,
    InitiativeScore,
    MemberState,
    Partnership,
    PartnershipMember,
)
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.stakeholders.history import register_entries, register_restore
from commonground.web.stakeholders.models import RegisterEntry


def shared_material_record(
    partnership: Partnership, *, user: User | None, comment: str, extra: tuple[Model, ...] = ()
) -> None:
    """Record the partnership's shared material as it is now (and ``extra`` objects) in one revision
    (``user`` None: someone without an account, e.g. declining an invitation from its link)."""
    with reversion.create_revision(atomic=False):
        reversion.set_user(user)
        reversion.set_comment(comment[:2000])
        partnership.refresh_from_db()
        reversion.add_to_revision(partnership)
        for initiative in Initiative.objects.filter(partnership=partnership):
            reversion.add_to_revision(initiative)
        for score in InitiativeScore.objects.filter(initiative__partnership=partnership):
            reversion.add_to_revision(score)
        for entry in register_entries(partnership.pk):
            reversion.add_to_revision(entry)
        for obj in extra:
            reversion.add_to_revision(obj)


def history_restore(*, access: PartnershipAccess, version: Version, user: User) -> Partnership:
    """Make the shared material of an earlier revision current again, recorded as a new revision.

    The partnership's description, and its initiatives with the scores of partners that are still
    active, come back as they were; initiatives proposed later are withdrawn. The name, whether it is
    closed, and member and facilitator places are not changed: those change only by the partners'
    agreement (a proposal) or an organisation's own decision. Former partners' scores stay. Register
    entries recorded in the revision come back; entries added since stay. Lock counters move forward,
    never back.
    """
    partnership = access.partnership
    revision = version.revision
    by_model: dict[type[Model], list[Version]] = {}
    for item in revision.version_set.select_related("content_type"):
        model = item.content_type.model_class()
        if model is not None:
            by_model.setdefault(model, []).append(item)
    with transaction.atomic():
        fields = version.field_dict
        Partnership.objects.filter(pk=partnership.pk).update(
            description=fields["description"],
            version=F("version") + 1,
            updated_by=user,
            updated_at=timezone.now(),
        )
        kept: set[int] = set()
        for item in by_model.get(Initiative, []):
            data = item.field_dict
            if data["partnership_id"] != partnership.pk:
                continue
            initiative_id = int(item.object_id)
            kept.add(initiative_id)
            values = {key: data[key] for key in ("name", "description", "level", "social_value", "status")}
            updated = Initiative.objects.filter(pk=initiative_id, partnership=partnership).update(
                **values, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
            )
            if not updated:
                Initiative.objects.create(
                    pk=initiative_id, partnership=partnership, created_by=user, updated_by=user, **values
                )
        Initiative.objects.filter(partnership=partnership).exclude(pk__in=kept).delete()
        active = set(
            PartnershipMember.objects.filter(partnership=partnership, state=MemberState.ACTIVE).values_list(
                "organisation_id", flat=True
            )
        )
        # Only the active partners' scores are restored: a former partner's stay as it left them.
        InitiativeScore.objects.filter(
            initiative__partnership=partnership, organisation_id__in=active
        ).delete()
        for item in by_model.get(InitiativeScore, []):
            data = item.field_dict
            if data["initiative_id"] in kept and data["organisation_id"] in active:
                InitiativeScore.objects.create(
                    initiative_id=data["initiative_id"],
                    organisation_id=data["organisation_id"],
                    economic_value=data["economic_value"],
                    set_by=user,
                )
        register_restore(partnership_id=partnership.pk, versions=by_model.get(RegisterEntry, []), user=user)
        when = revision.date_created.strftime("%Y-%m-%d %H:%M UTC")
        shared_material_record(partnership, user=user, comment=f"Restored the shared material of {when}")
    partnership.refresh_from_db()
    return partnership
