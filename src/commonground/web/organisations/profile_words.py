"""A profile's codes in the words people use: priorities, severities, stances and the four culture types
of the Competing Values Framework (where an organisation stands between purpose and profit is worded by
``core.orientation.orientation_words``, as the assessment words it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commonground.core.profiles import Priority, Severity, Stance

PRIORITY_WORDS = {Priority.HIGH: "High", Priority.MEDIUM: "Medium", Priority.LOW: "Low"}
SEVERITY_WORDS = {
    Severity.ABSOLUTE: "Absolute: crossing it rules the partnership out",
    Severity.STRONG: "Strong: a serious concern to settle",
}
STANCE_WORDS = {Stance.SUPPORTIVE: "Supportive", Stance.NEUTRAL: "Neutral", Stance.OPPOSED: "Opposed"}


CULTURE_TYPES = ("clan", "adhocracy", "market", "hierarchy")


@dataclass(frozen=True)
class CultureType:
    """One of the four culture types of the Competing Values Framework, in plain words."""

    key: str
    name: str
    focus: str
    description: str


CULTURE = (
    CultureType(
        "clan",
        "Clan",
        "collaborate",
        "A friendly place like an extended family: teamwork, loyalty, caring for people, agreeing together.",
    ),
    CultureType(
        "adhocracy",
        "Adhocracy",
        "create",
        "A dynamic, entrepreneurial place: new ideas, trying things out, taking risks, growing.",
    ),
    CultureType(
        "market",
        "Market",
        "compete",
        "A results-driven place: targets, winning, customers and funders first, getting the job done.",
    ),
    CultureType(
        "hierarchy",
        "Hierarchy",
        "control",
        "A structured, formal place: clear procedures, reliability, efficiency, things running smoothly.",
    ),
)


def culture_rows(culture: dict[str, Any]) -> list[tuple[CultureType, Any]]:
    """Each culture type with its points, in the framework's order."""
    return [(kind, culture.get(kind.key)) for kind in CULTURE]
