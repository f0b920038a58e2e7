"""The stakeholder register in the partnership's history: recorded whole in every revision, and
brought back by a restore (security review F9: deleted entries never came back).

Revisions written before every revision held the whole register name only the entries their change
touched, so a restore is additive: entries recorded in the revision come back (a deleted one is
re-created, a changed one gets its recorded ratings back) and entries added since stay. Nothing a
partner added is removed by a restore.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from reversion.models import Version

from commonground.web.accounts.typing import User
from commonground.web.stakeholders.models import RegisterEntry

# What a restore puts back: the recorded fields, less the partnership (it stays the one restored).
_RESTORED = ("name", "merged_name", "power", "interest", "legitimacy", "urgency", "stance", "notes")


def register_entries(partnership_id: int) -> list[RegisterEntry]:
    """The partnership's whole register as it is now, for a revision."""
    return list(RegisterEntry.objects.filter(partnership_id=partnership_id))


def register_restore(*, partnership_id: int, versions: list[Version], user: User) -> None:
    """Bring back the register entries recorded in ``versions`` (one revision); the caller's transaction.

    Lock counters only grow; a re-created entry starts a new count (its form from before the deletion
    names an entry that was gone, and is refused as removed or stale).
    """
    for item in versions:
        data = item.field_dict
        if data["partnership_id"] != partnership_id:
            continue
        values = {key: data[key] for key in _RESTORED}
        rows = RegisterEntry.objects.filter(partnership_id=partnership_id)
        if values["merged_name"]:
            # One adjustment per merged stakeholder: a newer one for the same name takes the old ratings.
            rows = rows.filter(merged_key=values["merged_name"].casefold())
        else:
            rows = rows.filter(pk=int(item.object_id))
        updated = rows.update(**values, version=F("version") + 1, updated_by=user, updated_at=timezone.now())
        if not updated and not RegisterEntry.objects.filter(pk=int(item.object_id)).exists():
            RegisterEntry.objects.create(
                pk=int(item.object_id),
                partnership_id=partnership_id,
                # The person who added it may have left since (their account deleted).
                added_by_id=data["added_by_id"]
                if get_user_model().objects.filter(pk=data["added_by_id"]).exists()
                else None,
                updated_by=user,
                **values,
            )
