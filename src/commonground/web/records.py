"""The bookkeeping every editable shared record carries, and the one way to save it: optimistic locking.

A form carries the ``version`` it was loaded at. Saving is ``UPDATE ... SET version = version + 1
WHERE pk = ... AND version = <that version>`` (``update_if_current``), so of any number of saves
started from one version exactly one wins; every other is refused with ``StaleEditError``, which says
who changed the record meanwhile and leaves nothing written. Views turn the error into their page's
message ("changed by <who> meanwhile ... your changes were not saved").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from commonground.web.accounts.typing import User


class Versioned(models.Model):
    """Abstract base: the optimistic-locking ``version`` and who changed the record last, and when."""

    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class EditTracked(Versioned):
    """Abstract base of a shared record: ``Versioned`` plus when it was created."""

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


R = TypeVar("R", bound=Versioned)


class StaleEditError(Exception):
    """The record changed (or was removed) since the form was loaded; nothing was saved."""

    def __init__(self, *, changed_by: str, current_version: int | None) -> None:
        self.changed_by = changed_by
        self.current_version = current_version  # None when the record is gone
        super().__init__(self.changed_meanwhile("record", then="load it again"))

    @property
    def removed(self) -> bool:
        """Whether the record no longer exists (rather than holding someone else's change)."""
        return self.current_version is None

    def changed_meanwhile(self, what: str, *, then: str) -> str:
        """The form's message: "This <what> was changed by <who> meanwhile (it is now at version <n>).
        Your changes were not saved: <then>." (or "was removed by <who> meanwhile")."""
        happened = "removed" if self.removed else "changed"
        now = "" if self.removed else f" (it is now at version {self.current_version})"
        return (
            f"This {what} was {happened} by {self.changed_by} meanwhile{now}. "
            f"Your changes were not saved: {then}."
        )

    @classmethod
    def about(cls, current: Versioned | None) -> StaleEditError:
        """The error for a record as it is now (``None``: removed), naming who changed it last."""
        if current is None:
            return cls(changed_by=editor_name(None), current_version=None)
        return cls(changed_by=editor_name(current.updated_by), current_version=current.version)


def editor_name(user: User | None) -> str:
    """Who made the last change, for a stale-edit message (``someone else`` when unknown)."""
    return str(user.get_username()) if user is not None else "someone else"


def update_if_current(rows: QuerySet[R], *, expected_version: int, user: User, **fields: object) -> None:
    """Write ``fields`` to the one record in ``rows`` if it is still at ``expected_version``; else raise
    ``StaleEditError`` and write nothing.

    ``rows`` selects exactly one record through the caller's scope (e.g. ``filter(pk=..., partnership=...)``).
    The version moves up by one and ``updated_by``/``updated_at`` say who saved it and when.
    """
    with transaction.atomic():  # a savepoint: a refused save leaves nothing behind, even inside a service
        updated = rows.filter(version=expected_version).update(
            **fields, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
        )
        if updated != 1:
            raise _stale(rows)


def delete_if_current(rows: QuerySet[R], *, expected_version: int) -> None:
    """Delete the one record in ``rows`` if it is still at ``expected_version``; else ``StaleEditError``."""
    with transaction.atomic():
        _, deleted = rows.filter(version=expected_version).delete()
        if deleted.get(rows.model._meta.label, 0) != 1:
            raise _stale(rows)


def _stale(rows: QuerySet[R]) -> StaleEditError:
    return StaleEditError.about(rows.select_related("updated_by").first())
