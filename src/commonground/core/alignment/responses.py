"""Check-in answers from a CSV file (an export of our workspace or of another survey tool).

Columns: ``checkin`` (a date or a number), ``respondent`` (an opaque id), ``partner``, ``item``,
``score`` (1-5), and optionally ``about`` (the partner a coorientation answer is about), ``role``
and ``comment``. Every problem is reported with its line and column, all of them at once (up to
``MAX_PROBLEMS``), as a :class:`LoadError`; nothing is analysed from a file with problems.
"""

from __future__ import annotations

import csv
import io
import operator
from collections.abc import Sequence
from typing import Any

from commonground.core.alignment.items import SCALE_MAX, SCALE_MIN
from commonground.core.alignment.models import Answer
from commonground.core.loading import LoadError, Problem

REQUIRED = ("checkin", "respondent", "partner", "item", "score")
OPTIONAL = ("about", "role", "comment")
MAX_ROWS = 500_000  # 10 years of monthly check-ins of 8 items by 500 people
MAX_BYTES = 100 * 1024 * 1024
MAX_PROBLEMS = 20
MAX_TEXT = 2_000  # characters in one comment


def read_responses(data: bytes, source: str) -> list[Answer]:
    """The answers in a CSV file's bytes; LoadError naming each bad row and column."""
    if len(data) > MAX_BYTES:
        raise LoadError([Problem(source, "", None, f"the file is larger than {MAX_BYTES // 2**20} MB")])
    if b"\x00" in data:
        raise LoadError([Problem(source, "", None, "this looks like a binary file; give a CSV file")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError([Problem(source, "", line, "the file is not UTF-8 text; save it as UTF-8")]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise LoadError([Problem(source, "", None, "the file is empty")]) from None
    except csv.Error as exc:
        raise LoadError([Problem(source, "", 1, f"cannot read the CSV header: {exc}")]) from exc
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        found = ", ".join(repr(h) for h in header) or "none"
        message = f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (found: {found})"
        raise LoadError([Problem(source, "", 1, message)])
    return _rows(reader, header, source)


def _rows(reader: Any, header: Sequence[str], source: str) -> list[Answer]:
    # A missing optional column reads the empty cell appended to every row (index -1).
    pick = operator.itemgetter(
        *(header.index(name) if name in header else -1 for name in (*REQUIRED, *OPTIONAL))
    )
    width = len(header)
    scores = {str(v): v for v in range(SCALE_MIN, SCALE_MAX + 1)}
    problems: list[Problem] = []
    answers: list[Answer] = []
    seen: dict[tuple[str, str, str, str], int] = {}

    def problem(line: int, column: str, message: str) -> None:
        problems.append(Problem(source, f"column {column}", line, message))

    try:
        for row in reader:
            line = reader.line_num
            if len(answers) >= MAX_ROWS:
                raise LoadError([Problem(source, "", line, f"more than {MAX_ROWS:,} rows; split the file")])
            if len(row) < width:
                if not any(cell.strip() for cell in row):
                    continue
                row = row + [""] * (width - len(row))
            cells = [cell.strip() for cell in row]
            cells.append("")
            checkin, respondent, partner, item, raw, about, role, comment = pick(cells)
            score = scores.get(raw)
            if not (checkin and respondent and partner and item) or score is None or len(comment) > MAX_TEXT:
                for name, value in zip(REQUIRED[:4], (checkin, respondent, partner, item), strict=True):
                    if not value:
                        problem(line, name, "is empty")
                if score is None:
                    problem(line, "score", f"{raw!r} is not a whole number from {SCALE_MIN} to {SCALE_MAX}")
                if len(comment) > MAX_TEXT:
                    problem(line, "comment", f"is longer than {MAX_TEXT} characters")
            key = (checkin, respondent, item, about)
            earlier = seen.setdefault(key, line)
            if earlier != line and checkin and respondent and item:
                problem(
                    line,
                    "respondent",
                    f"{respondent!r} already answered {item!r}{f' about {about!r}' if about else ''} "
                    f"at check-in {checkin!r} (line {earlier})",
                )
            if len(problems) >= MAX_PROBLEMS:
                break
            if score is not None:
                answers.append(Answer(checkin, respondent, partner, item, score, about, role, comment))
    except csv.Error as exc:
        problems.append(Problem(source, "", reader.line_num, f"cannot read the CSV file: {exc}"))
    if problems:
        raise LoadError(problems)
    if not answers:
        raise LoadError([Problem(source, "", None, "no answers in the file")])
    return answers
