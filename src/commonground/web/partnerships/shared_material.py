"""What every partnership write shares: the errors shown to the user and the revision that records
the partnership's shared material (the partnership with all its initiatives and scores).

Writes live in ``services.py`` (which re-exports these) and ``initiatives.py``.
"""

from __future__ import annotations

from typing import Any

import reversion
from django.db.models import Model
from django.utils import timezone

from commonground.web.partnerships.models import Initiative, InitiativeScore, Partnership


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


def shared_material_record(
    partnership: Partnership, *, user: Any, comment: str, extra: tuple[Model, ...] = ()
) -> None:
    """Record the partnership's shared material as it is now (and ``extra`` objects) in one revision."""
    with reversion.create_revision(atomic=False):
        reversion.set_user(user)
        reversion.set_comment(comment[:2000])
        partnership.refresh_from_db()
        reversion.add_to_revision(partnership)
        for initiative in Initiative.objects.filter(partnership=partnership):
            reversion.add_to_revision(initiative)
        for score in InitiativeScore.objects.filter(initiative__partnership=partnership):
            reversion.add_to_revision(score)
        for obj in extra:
            reversion.add_to_revision(obj)


def partnership_touch(partnership: Partnership, *, user: Any) -> None:
    """Mark the partnership as changed now by ``user`` (for its page and lists)."""
    Partnership.objects.filter(pk=partnership.pk).update(updated_at=timezone.now(), updated_by=user)


def editor_name(user: Any) -> str:
    """Who made the last change, for a stale-edit message (``someone else`` when unknown)."""
    return str(user.get_username()) if user is not None else "someone else"
