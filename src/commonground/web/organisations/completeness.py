"""Which parts of a profile are still empty: the parts an assessment reads beyond the required three."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MissingPart:
    """A part of the profile left empty, with the editor section that fills it."""

    key: str
    words: str
    anchor: str


# In the editor's order: (document key, words, editor section).
_PARTS = (
    ("values", "values", "part-values"),
    ("goals", "goals", "part-goals"),
    ("activities", "activities", "part-activities"),
    ("red_lines", "red lines", "part-red_lines"),
    ("stakeholders", "stakeholders", "part-stakeholders"),
    ("orientation", "profit–purpose orientation", "how-you-work"),
    ("culture", "culture", "culture"),
)


def missing_parts(document: dict[str, Any]) -> list[MissingPart]:
    """The parts of a stored profile document that are empty, in the editor's order."""
    return [MissingPart(key, words, anchor) for key, words, anchor in _PARTS if not document.get(key)]


def missing_words(parts: list[MissingPart]) -> str:
    """``"goals, red lines and culture"``."""
    words = [part.words for part in parts]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1] if words else ""
