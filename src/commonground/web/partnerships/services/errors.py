"""The errors partnership writes raise; their messages are shown to the user."""

from __future__ import annotations

from commonground.web.accounts.typing import User


class PartnershipError(Exception):
    """A write the rules do not allow; the message is shown to the user."""


class StaleEditError(PartnershipError):
    """The object changed since the form was loaded; nothing was saved."""

    def __init__(self, *, what: str, changed_by: str, current_version: int) -> None:
        super().__init__(
            f"This {what} was changed by {changed_by} meanwhile (it is now at version {current_version}). "
            "Your changes were not saved: look at the current version and apply them again."
        )
        self.changed_by = changed_by
        self.current_version = current_version


def editor_name(user: User | None) -> str:
    """Who made the last change, for a stale-edit message (``someone else`` when unknown)."""
    return str(user.get_username()) if user is not None else "someone else"
