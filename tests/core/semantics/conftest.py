"""Shared fixtures of the semantics tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from commonground.core.assessment import assess
from commonground.core.profiles import Partnership
from commonground.core.results import Conflict, ConflictKind, ConflictSeverity

Crossing = Callable[[str, str], ConflictSeverity | None]


def red_line_finding(red_line: str, activity: str) -> Conflict | None:
    """The red-line finding when a partner with one activity meets an owner's red line, or None."""
    partners = [
        {"name": "Owner", "kind": "nonprofit", "mission": "Support families.", "red_lines": [red_line]},
        {"name": "Partner", "kind": "company", "mission": "Run a business.", "activities": [activity]},
    ]
    result = assess(Partnership.model_validate({"name": "p", "partners": partners}))
    found = [c for c in result.conflicts if c.kind == ConflictKind.RED_LINE]
    return found[0] if found else None


def _red_line_severity(red_line: str, activity: str) -> ConflictSeverity | None:
    finding = red_line_finding(red_line, activity)
    return finding.severity if finding else None


@pytest.fixture
def crossing() -> Crossing:
    """Assess an owner's red line against a partner's one activity; the red-line severity or None."""
    return _red_line_severity


@pytest.fixture
def finding() -> Callable[[str, str], Conflict | None]:
    """Assess an owner's red line against a partner's one activity; the red-line finding or None."""
    return red_line_finding
