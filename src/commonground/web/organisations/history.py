"""What changed between two profile documents, in a line a person can read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reversion.models import Version

_LIST_PARTS = ("values", "goals", "activities", "red_lines", "stakeholders")
_PART_LABELS = {
    "name": "name",
    "kind": "kind",
    "mission": "mission",
    "sector": "sector",
    "values": "values",
    "goals": "goals",
    "activities": "activities",
    "red_lines": "red lines",
    "stakeholders": "stakeholders",
    "orientation": "orientation",
    "culture": "culture",
}


def _describe_list(before: list[Any], after: list[Any]) -> str:
    added = [item for item in after if item not in before]
    removed = [item for item in before if item not in after]
    bits = []
    if added:
        bits.append(f"{len(added)} added")
    if removed:
        bits.append(f"{len(removed)} removed")
    if not bits:
        bits.append("reordered")
    return ", ".join(bits)


def profile_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """One phrase per changed part of the profile, in profile order (e.g. ``goals: 1 added``)."""
    if before is None:
        return ["first version"]
    changes = []
    for key, label in _PART_LABELS.items():
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key in _LIST_PARTS:
            changes.append(f"{label}: {_describe_list(old or [], new or [])}")
        elif old is None:
            changes.append(f"{label} added")
        elif new is None:
            changes.append(f"{label} removed")
        else:
            changes.append(f"{label} changed")
    return changes


def location_changes(before: str | None, after: str) -> list[str]:
    """``["location changed"]`` when the organisation's location (not part of the profile) changed."""
    return ["location changed"] if before is not None and before != after else []


def profile_change_summary(
    before: dict[str, Any] | None, after: dict[str, Any], *, location: tuple[str | None, str] = (None, "")
) -> str:
    """The changes of the profile and of the location ``(before, after)`` as one line, or ``no changes``."""
    return "; ".join(profile_changes(before, after) + location_changes(*location)) or "no changes"


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded version with the changes from the version before it."""

    version: Version
    number: int
    changes: list[str]

    @property
    def comment(self) -> str:
        """The comment recorded with the change."""
        return str(self.version.revision.comment)


def history_entries(versions: list[Version]) -> list[HistoryEntry]:
    """Pair each version (newest first) with what changed since the one before it."""
    entries = []
    count = len(versions)
    for index, version in enumerate(versions):
        older = versions[index + 1].field_dict if index + 1 < count else None
        fields = version.field_dict
        changes = profile_changes(older.get("profile") if older else None, fields.get("profile") or {})
        if older is not None:
            changes += location_changes(older.get("location", ""), fields.get("location", ""))
        entries.append(HistoryEntry(version=version, number=count - index, changes=changes))
    return entries
