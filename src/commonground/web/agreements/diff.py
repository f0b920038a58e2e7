"""A side-by-side difference between two versions of the agreement, line by line over their YAML.

The rows are plain data; the template escapes every line, so a hostile text shows as text.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT_LINES = 3  # unchanged lines shown around each change, as ``diff -u`` does


@dataclass(frozen=True)
class DiffRow:
    """One row of the table: a line on either side (``None`` where that side has none)."""

    kind: str  # "same" | "removed" | "added" | "changed" | "gap" (unchanged lines left out)
    old_number: int | None = None
    old: str | None = None
    new_number: int | None = None
    new: str | None = None


def diff_rows(old_text: str, new_text: str) -> list[DiffRow]:
    """The changed lines of ``new_text`` against ``old_text`` with a little context; [] when equal."""
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    if old_lines == new_lines:
        return []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffRow] = []
    for index, group in enumerate(matcher.get_grouped_opcodes(CONTEXT_LINES)):
        if index or (group and (group[0][1] > 0 or group[0][3] > 0)):
            rows.append(DiffRow("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffRow("same", i + 1, old_lines[i], j + 1, new_lines[j])
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            olds, news = list(range(i1, i2)), list(range(j1, j2))
            for k in range(max(len(olds), len(news))):
                i = olds[k] if k < len(olds) else None
                j = news[k] if k < len(news) else None
                kind = "changed" if i is not None and j is not None else ("removed" if j is None else "added")
                rows.append(
                    DiffRow(
                        kind,
                        None if i is None else i + 1,
                        None if i is None else old_lines[i],
                        None if j is None else j + 1,
                        None if j is None else new_lines[j],
                    )
                )
    return rows
