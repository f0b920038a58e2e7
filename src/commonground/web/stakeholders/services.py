"""Writes for the stakeholder register: one atomic transaction and one reversion revision each.

Each revision records the partnership with its shared material (through the partnerships app's
revision helper, so the partnership history lists it and a restore there never loses initiatives)
plus the register entry written, with the user and a comment saying what changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services import shared_material_record
from commonground.web.records import StaleEditError, delete_if_current, update_if_current
from commonground.web.stakeholders.models import RegisterEntry


class RegisterError(Exception):
    """A register write the rules do not allow; the message is shown to the user."""


@dataclass(frozen=True)
class Ratings:
    """What a register form edits."""

    power: int
    interest: int
    legitimacy: bool
    urgency: bool
    stance: str
    notes: str

    def describe(self) -> str:
        """Short summary for revision comments."""
        flags = [name for name, on in (("legitimacy", self.legitimacy), ("urgency", self.urgency)) if on]
        extra = f", {', '.join(flags)}" if flags else ""
        stance = f", {self.stance}" if self.stance else ""
        return f"power {self.power}, interest {self.interest}{extra}{stance}"


_FIELDS = ("power", "interest", "legitimacy", "urgency", "stance", "notes")


def _require_edit(access: PartnershipAccess) -> None:
    # The views' @scoped(Action.EDIT) decides; this guards callers that bypass the views.
    if not access.can(Action.EDIT):
        raise RegisterError("Your role does not allow changing the stakeholder register.")


def _changes(entry: RegisterEntry, ratings: Ratings) -> str:
    parts = []
    for field in _FIELDS:
        before, after = getattr(entry, field), getattr(ratings, field)
        if before != after:
            parts.append("notes" if field == "notes" else f"{field} {before or '—'} → {after or '—'}")
    return ", ".join(parts) or "no changes"


def entry_add(*, access: PartnershipAccess, name: str, ratings: Ratings, user: User) -> RegisterEntry:
    """Add a stakeholder no partner names to the register."""
    _require_edit(access)
    name = name.strip()
    if not name:
        raise RegisterError("Give the stakeholder a name.")
    with transaction.atomic():
        now = timezone.now()
        entry = RegisterEntry.objects.create(
            partnership=access.partnership, name=name, added_by=user, updated_by=user,
            added_at=now, updated_at=now, **{f: getattr(ratings, f) for f in _FIELDS},
        )  # fmt: skip
        shared_material_record(
            access.partnership, user=user,
            comment=f"Stakeholder register: added {name} ({ratings.describe()})",
            extra=(entry,),
        )  # fmt: skip
    return entry


def entry_adjust(
    *, access: PartnershipAccess, merged_name: str, ratings: Ratings, user: User
) -> RegisterEntry:
    """Re-rate a stakeholder merged from the partners' profiles, for this partnership only.

    Refused as stale when someone re-rated it first (the caller's form had no adjustment to start from).
    """
    _require_edit(access)
    adjustments = RegisterEntry.objects.select_related("updated_by").filter(
        partnership=access.partnership, merged_key=merged_name.casefold()
    )
    with transaction.atomic():
        existing = adjustments.first()
        if existing is not None:
            raise StaleEditError.about(existing)
        now = timezone.now()
        try:
            with transaction.atomic():
                entry = RegisterEntry.objects.create(
                    partnership=access.partnership, name=merged_name, merged_name=merged_name,
                    added_by=user, updated_by=user, added_at=now, updated_at=now,
                    **{f: getattr(ratings, f) for f in _FIELDS},
                )  # fmt: skip
        except IntegrityError:  # a concurrent adjustment won the race
            raise StaleEditError.about(adjustments.first()) from None
        shared_material_record(
            access.partnership, user=user,
            comment=(
                f"Stakeholder register: re-rated {merged_name} for this partnership ({ratings.describe()})"
            ),
            extra=(entry,),
        )  # fmt: skip
    return entry


def entry_update(
    *, access: PartnershipAccess, entry: RegisterEntry, name: str, ratings: Ratings,
    expected_version: int, user: User,
) -> RegisterEntry:  # fmt: skip
    """Save a row if it is still at ``expected_version``; else ``records.StaleEditError`` (nothing saved)."""
    _require_edit(access)
    name = entry.merged_name or name.strip()  # an adjustment keeps the partners' name
    if not name:
        raise RegisterError("Give the stakeholder a name.")
    rows = RegisterEntry.objects.filter(pk=entry.pk, partnership=access.partnership)
    with transaction.atomic():
        before = rows.first()
        update_if_current(
            rows, expected_version=expected_version, user=user, name=name,
            **{f: getattr(ratings, f) for f in _FIELDS},
        )  # fmt: skip
        assert before is not None  # it was there and still is: the update found it
        summary = _changes(before, ratings)
        if before.name != name:
            summary = f"renamed from {before.name}; {summary}"
        fresh = RegisterEntry.objects.select_related("added_by", "updated_by").get(pk=entry.pk)
        shared_material_record(
            access.partnership, user=user, comment=f"Stakeholder register: changed {name}: {summary}",
            extra=(fresh,),
        )  # fmt: skip
    return fresh


def entry_delete(
    *, access: PartnershipAccess, entry: RegisterEntry, expected_version: int, user: User
) -> None:
    """Remove an addition, or reset an adjustment to the partners' ratings; ``records.StaleEditError``
    when someone changed or removed it meanwhile."""
    _require_edit(access)
    with transaction.atomic():
        delete_if_current(
            RegisterEntry.objects.filter(pk=entry.pk, partnership=access.partnership),
            expected_version=expected_version,
        )
        what = (
            f"reset {entry.name} to the partners' ratings" if entry.is_adjustment else f"removed {entry.name}"
        )
        shared_material_record(access.partnership, user=user, comment=f"Stakeholder register: {what}")
