"""What a check of an agreement says: findings with their field path, grouped in parts.

Each method (structure, roles, commitments, KPIs, decisions, equity, social return) returns one
:class:`CheckPart`. A part carries findings for people to act on, tables for the text and HTML
reports, and ``figures``: the same results as plain JSON-ready data for ``--format json``. The
renderers in ``commonground.reports`` draw every part the same way, so a new method needs no new
rendering code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    """How much a finding matters."""

    PROBLEM = "problem"  # the agreement is wrong or incomplete here
    WARNING = "warning"  # worth a conversation between the partners
    INFO = "info"  # stated for the record


@dataclasses.dataclass(frozen=True)
class Finding:
    """One thing a check found, at a field path such as ``what.workstreams[0].tasks[2]``."""

    path: str
    level: Level
    code: str  # stable, dotted: "roles.no_accountable", "kpis.off_track" ...
    message: str

    def as_json(self) -> dict[str, str]:
        """The finding as plain data."""
        return {"path": self.path, "level": self.level.value, "code": self.code, "message": self.message}


@dataclasses.dataclass(frozen=True)
class Table:
    """A small table of figures for the text and HTML reports (cells already in words)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclasses.dataclass(frozen=True)
class CheckPart:
    """The result of one method over an agreement."""

    name: str  # "structure", "roles", "commitments", "kpis", "decisions", "equity", "sroi"
    title: str
    findings: tuple[Finding, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # JSON-ready
