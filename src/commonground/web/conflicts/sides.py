"""Who may do what on a conflict entry: the raiser, the other side, the facilitators.

The views' ``@partnership_scoped`` decides who reaches the partnership at all; these rules decide,
inside it, which of an entry's actions a person may take. Services enforce them (a refused action
raises ``ConflictError``); selectors use them to show only the controls a person may use.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.conflicts.models import ConflictEntry, ConflictState
from commonground.web.partnerships.selectors import PartnershipAccess


class ConflictError(Exception):
    """A conflict-log write the rules do not allow; the message is shown to the user."""


@dataclass(frozen=True)
class Sides:
    """What one person may do on one entry now."""

    is_raiser: bool  # raised it and may still act for the raising partner
    on_raising_side: bool  # may act for the raising partner (the raiser or a colleague)
    is_other_side: bool  # may act for another partner of the partnership (and did not raise it)
    facilitator: bool
    state: str
    closed: bool = False  # the partners closed the partnership: its log is a record, read only

    @property
    def may_acknowledge(self) -> bool:
        """Only the other side acknowledges, once."""
        return self.is_other_side and self._open and self.state == ConflictState.RAISED

    @property
    def may_message(self) -> bool:
        """Partners' members and facilitators write to the timeline while the entry is open."""
        return (self.on_raising_side or self.is_other_side or self.facilitator) and self._open

    @property
    def may_propose(self) -> bool:
        """Either side proposes once the other side has acknowledged it."""
        acknowledged = self.state not in (ConflictState.RAISED,)
        return (self.on_raising_side or self.is_other_side) and self._open and acknowledged

    @property
    def may_answer(self) -> bool:
        """Only the raiser accepts or rejects a proposed resolution."""
        return self.is_raiser and self._open and self.state == ConflictState.PROPOSED

    @property
    def _open(self) -> bool:
        return not self.closed and self.state not in (ConflictState.RESOLVED, ConflictState.REJECTED)


def sides_of(access: PartnershipAccess, entry: ConflictEntry, user: User) -> Sides:
    """What ``user`` (reaching the partnership through ``access``) may do on ``entry``."""
    if access.facilitator:
        return Sides(
            is_raiser=False,
            on_raising_side=False,
            is_other_side=False,
            facilitator=True,
            state=entry.state,
            closed=access.closed,
        )
    raising = entry.raising_organisation_id
    on_raising_side = raising is not None and access.can_in(raising, Action.EDIT)
    is_raiser = on_raising_side and entry.raised_by_id == user.pk
    others = [org for org in access.organisation_ids if org != raising and access.can_in(org, Action.EDIT)]
    return Sides(
        is_raiser=is_raiser,
        on_raising_side=on_raising_side,
        is_other_side=bool(others) and not is_raiser,
        facilitator=False,
        state=entry.state,
        closed=access.closed,
    )


def other_side_organisation(access: PartnershipAccess, entry: ConflictEntry) -> int | None:
    """The partner organisation the user answers for (the first other than the raising one), if any."""
    return next(
        (
            org
            for org in access.organisation_ids
            if org != entry.raising_organisation_id and access.can_in(org, Action.EDIT)
        ),
        None,
    )
