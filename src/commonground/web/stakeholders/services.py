"""Writes for the stakeholder register: one atomic transaction and one reversion revision each.

Each revision records the partnership with its shared material (through the partnerships app's
revision helper, so the partnership history lists it and a restore there never loses initiatives)
plus the register entry written, with the user and a comment saying what changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services import shared_material_record
from commonground.web.stakeholders.models import RegisterEntry


class RegisterError(Exception):
    """A register write the rules do not allow; the message is shown to the user."""


class StaleEntryError(RegisterError):
    """The row changed (or was removed) since the form was loaded; nothing was saved."""

    def __init__(self, *, name: str, changed_by: str | None, removed: bool = False) -> None:
        who = changed_by or "someone else"
        happened = "removed" if removed else "changed"
        super().__init__(
            f"{name} was {happened} by {who} meanwhile. Your changes were not saved: "
            "the current values are shown, apply your change again if it is still needed."
        )
        self.changed_by = who
        self.removed = removed


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


def _username(user: User | None) -> str | None:
    return str(user.get_username()) if user is not None else None


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
    with transaction.atomic():
        existing = (
            RegisterEntry.objects.select_related("updated_by")
            .filter(partnership=access.partnership, merged_key=merged_name.casefold())
            .first()
        )
        if existing is not None:
            raise StaleEntryError(name=merged_name, changed_by=_username(existing.updated_by))
        now = timezone.now()
        try:
            with transaction.atomic():
                entry = RegisterEntry.objects.create(
                    partnership=access.partnership, name=merged_name, merged_name=merged_name,
                    added_by=user, updated_by=user, added_at=now, updated_at=now,
                    **{f: getattr(ratings, f) for f in _FIELDS},
                )  # fmt: skip
        except IntegrityError:  # a concurrent adjustment won the race
            raise StaleEntryError(name=merged_name, changed_by=None) from None
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
    """Save a row if it is still at ``expected_version``; otherwise StaleEntryError and nothing changes."""
    _require_edit(access)
    name = entry.merged_name or name.strip()  # an adjustment keeps the partners' name
    if not name:
        raise RegisterError("Give the stakeholder a name.")
    with transaction.atomic():
        before = RegisterEntry.objects.filter(pk=entry.pk, partnership=access.partnership).first()
        updated = RegisterEntry.objects.filter(
            pk=entry.pk, partnership=access.partnership, version=expected_version
        ).update(
            name=name, version=F("version") + 1, updated_by=user, updated_at=timezone.now(),
            **{f: getattr(ratings, f) for f in _FIELDS},
        )  # fmt: skip
        if updated != 1:
            current = RegisterEntry.objects.select_related("updated_by").filter(pk=entry.pk).first()
            raise StaleEntryError(
                name=entry.name,
                changed_by=_username(current.updated_by) if current else None,
                removed=current is None,
            )
        assert before is not None
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
    """Remove an addition, or reset an adjustment to the partners' ratings; refused when stale."""
    _require_edit(access)
    with transaction.atomic():
        deleted, _ = RegisterEntry.objects.filter(
            pk=entry.pk, partnership=access.partnership, version=expected_version
        ).delete()
        if deleted != 1:
            current = RegisterEntry.objects.select_related("updated_by").filter(pk=entry.pk).first()
            raise StaleEntryError(
                name=entry.name,
                changed_by=_username(current.updated_by) if current else None,
                removed=current is None,
            )
        what = (
            f"reset {entry.name} to the partners' ratings" if entry.is_adjustment else f"removed {entry.name}"
        )
        shared_material_record(access.partnership, user=user, comment=f"Stakeholder register: {what}")
