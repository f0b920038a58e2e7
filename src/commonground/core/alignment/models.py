"""The shared shapes of check-in answers and their analysis (the contract of ``pulse analyse``).

The workspace turns its stored answers into :class:`Answer` rows and the command line reads them
from CSV; both hand them to ``analysis.analyse`` and render the same :class:`PulseAnalysis`. Its
``as_json`` is the JSON output of ``commonground pulse analyse --format json``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

# Anonymity thresholds (docs/methods.md, "Anonymity"): no figure from fewer than MIN_RESPONDENTS
# people, no free-text comment shown from a group of fewer than MIN_COMMENT_RESPONDENTS.
MIN_RESPONDENTS = 5
MIN_COMMENT_RESPONDENTS = 10
# A perception gap (Cliff's delta, its interval and p beside the two means) needs this many people
# in each group: with fewer, the ordering it reveals can pin down a whole group's answers.
MIN_GAP_RESPONDENTS = 10

ALL = "all"  # the partner (or role) value of a cell pooled across every partner (or role)


def _plain(row: Any) -> dict[str, Any]:
    """A flat result row as a dict (``dataclasses.asdict`` deep-copies, 5x slower on big analyses)."""
    return {field.name: getattr(row, field.name) for field in dataclasses.fields(row)}


@dataclasses.dataclass(frozen=True)
class Answer:
    """One respondent's score for one item at one check-in.

    ``about`` is empty for the respondent's own view; for a coorientation answer it names the
    partner whose answer the respondent is predicting.
    """

    checkin: str  # an ISO date or a check-in number, as text; ordered by ``checkin_order``
    respondent: str  # an opaque id, never a name or email
    partner: str  # the respondent's organisation
    item: str
    score: int  # 1-5
    about: str = ""
    role: str = ""
    comment: str = ""


@dataclasses.dataclass(frozen=True)
class Cell:
    """A released or suppressed figure: the mean of one group's scores on one item."""

    checkin: str
    partner: str  # a partner, or ALL
    item: str
    n: int | None  # None when even the count would reveal a suppressed cell
    mean: float | None  # None when suppressed
    suppressed: bool
    reason: str = ""  # why suppressed: "fewer than 5 respondents", "protects another cell"
    role: str = ALL

    def as_json(self) -> dict[str, Any]:
        """The cell as plain data."""
        return _plain(self)


@dataclasses.dataclass(frozen=True)
class Alert:
    """A drift alert: one item of one partner moved down beyond its control limit."""

    kind: str  # "drift"
    item: str
    partner: str
    checkin: str  # where first raised
    method: str  # "ewma" or "cusum"
    size: float  # the shift, in scale points (negative: down)
    since: str  # the first check-in of the run that led to the alert

    def as_json(self) -> dict[str, Any]:
        """The alert as plain data."""
        return _plain(self)


@dataclasses.dataclass(frozen=True)
class Gap:
    """A perception gap between two partners on one item at one check-in."""

    checkin: str
    item: str
    partner_a: str
    partner_b: str
    n_a: int
    n_b: int
    difference: float  # mean of a minus mean of b
    cliffs_delta: float
    delta_low: float  # bootstrap interval of Cliff's delta
    delta_high: float
    p_value: float  # Mann-Whitney, exact or permutation
    method: str  # "exact" (the exact permutation distribution, ties included) or "normal"

    def as_json(self) -> dict[str, Any]:
        """The gap as plain data."""
        return _plain(self)


@dataclasses.dataclass(frozen=True)
class Coorientation:
    """Own view against what the others think it is, for one item, partner pair and check-in.

    ``agreement``: the two partners' own means are close (consensus) or not (dissensus);
    ``accurate``: the predictions match the other side's actual view (true) or not (false).
    """

    checkin: str
    item: str
    partner: str  # whose own view
    about: str  # the partner predicted
    own_mean: float
    predicted_mean: float  # what ``partner`` thinks ``about`` would answer
    actual_mean: float  # what ``about`` answered
    kind: str  # "true consensus", "false consensus", "true dissensus", "false dissensus"

    def as_json(self) -> dict[str, Any]:
        """The comparison as plain data."""
        return _plain(self)


@dataclasses.dataclass(frozen=True)
class ShownComment:
    """A free-text comment released because its group is large enough."""

    checkin: str
    partner: str  # ALL when only the pooled group is large enough
    item: str
    text: str

    def as_json(self) -> dict[str, Any]:
        """The comment as plain data."""
        return _plain(self)


@dataclasses.dataclass(frozen=True)
class PulseAnalysis:
    """Everything ``pulse analyse`` and a closed check-in publish, already anonymity-safe."""

    checkins: tuple[str, ...]  # in order
    partners: tuple[str, ...]
    items: tuple[str, ...]
    cells: tuple[Cell, ...]
    alerts: tuple[Alert, ...] = ()
    gaps: tuple[Gap, ...] = ()
    coorientation: tuple[Coorientation, ...] = ()
    comments: tuple[ShownComment, ...] = ()
    notes: tuple[str, ...] = ()  # what could not be shown and why, in words
    # Cells pooled over the last check-ins (``analyse(pool=N)``), each person counted once; their
    # ``checkin`` names the window ("3 to 5").
    pooled: tuple[Cell, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The JSON contract of ``commonground pulse analyse --format json``."""
        return {
            "checkins": list(self.checkins),
            "partners": list(self.partners),
            "items": list(self.items),
            "cells": [cell.as_json() for cell in self.cells],
            "alerts": [alert.as_json() for alert in self.alerts],
            "gaps": [gap.as_json() for gap in self.gaps],
            "coorientation": [row.as_json() for row in self.coorientation],
            "comments": [comment.as_json() for comment in self.comments],
            "notes": list(self.notes),
            "pooled": [cell.as_json() for cell in self.pooled],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PulseAnalysis:
        """The analysis back from its ``as_json`` (a check-in's frozen results), for charts and reports."""
        return cls(
            checkins=tuple(data["checkins"]),
            partners=tuple(data["partners"]),
            items=tuple(data["items"]),
            cells=tuple(Cell(**row) for row in data["cells"]),
            alerts=tuple(Alert(**row) for row in data.get("alerts", ())),
            gaps=tuple(Gap(**row) for row in data.get("gaps", ())),
            coorientation=tuple(Coorientation(**row) for row in data.get("coorientation", ())),
            comments=tuple(ShownComment(**row) for row in data.get("comments", ())),
            notes=tuple(data.get("notes", ())),
            pooled=tuple(Cell(**row) for row in data.get("pooled", ())),
        )
