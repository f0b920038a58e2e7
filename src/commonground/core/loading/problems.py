"""What is wrong with an input file: :class:`Problem`, :class:`LoadError` and the parsed document.

Also the small wording helpers (type names, shortened values) every other loading module uses.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

Loc = tuple[str | int, ...]

# Problems a person is shown at once (web import, CLI, API); the rest are counted ("and K more"), so a
# file with 100,000 unknown fields does not become a 20 MB error page (security review F1).
MAX_PROBLEMS_SHOWN = 50


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    path: str  # field path such as "goals[2].priority"; "" for the file as a whole
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class LoadError(Exception):
    """An input could not be loaded; ``problems`` lists everything that is wrong with it."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclasses.dataclass
class Document:
    """A parsed file: its data and the line on which each field path starts."""

    source: str
    data: Any
    lines: dict[Loc, int]
    problems: list[Problem]

    def line_of(self, loc: Loc) -> int | None:
        """Line of the longest prefix of ``loc`` that the file mentions."""
        for end in range(len(loc), 0, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return None

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.source, format_path(loc), self.line_of(loc), message)


def problems_shown(problems: Sequence[Problem], limit: int = MAX_PROBLEMS_SHOWN) -> tuple[list[Problem], int]:
    """The first ``limit`` problems, and how many more there are."""
    return list(problems[:limit]), max(0, len(problems) - limit)


def format_path(loc: Loc) -> str:
    """``("goals", 2, "priority")`` → ``"goals[2].priority"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (empty)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def show_value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
