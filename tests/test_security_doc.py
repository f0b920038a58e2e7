"""docs/security.md's ASVS table: every test it names exists, every row has a status, and the share
of requirements proven that it states is the table's."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
SECTION = DOC.split("\n## ASVS 5.0 level 2", 1)[1].split("\n## ", 1)[0]
SHARE = re.compile(
    r"Proven by tests: \*\*(\d+) of (\d+)\*\* applicable requirements \((\d+)%\); "
    r"(\d+) do not apply, (\d+) are gaps\."
)
NODE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(\[[^\]`]+\])?`")


def _rows() -> list[tuple[str, str, str, str]]:
    """(id, requirement, status, tests cell) for each row of the table."""
    rows = []
    for line in SECTION.splitlines():
        if line.startswith("| V"):
            cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            assert len(cells) == 4, line
            rows.append((cells[0], cells[1], cells[2], cells[3]))
    return rows


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_the_table_lists_each_requirement_once_with_no_hole_in_a_section() -> None:
    ids = [row[0] for row in _rows()]
    assert len(ids) > 200
    assert all(re.fullmatch(r"V\d+\.\d+\.\d+", rid) for rid in ids)
    assert len(ids) == len(set(ids))
    # Level 3 requirements close their sections, so levels 1-2 of each section run 1, 2, 3, ...
    numbers: dict[str, list[int]] = defaultdict(list)
    for rid in ids:
        section, number = rid.rsplit(".", 1)
        numbers[section].append(int(number))
    holes = {section: got for section, got in numbers.items() if sorted(got) != list(range(1, len(got) + 1))}
    assert holes == {}
    assert {rid.split(".")[0] for rid in ids} == {f"V{n}" for n in range(1, 18)}


def test_every_row_has_a_status_and_every_proven_row_a_test() -> None:
    for rid, requirement, status, tests in _rows():
        assert requirement, rid
        assert status == "proven" or re.match(r"(n/a|gap): \S", status), rid
        if status == "proven":
            assert NODE.search(tests), rid
        assert NODE.sub("", tests).replace("<br>", "").strip() == "", (
            f"{rid}: only test ids in the last column"
        )


def test_every_named_test_exists() -> None:
    named = {match.groups() for row in _rows() for match in NODE.finditer(row[3])}
    assert named
    missing = sorted(f"{path}::{name}" for path, name, _ in named
                     if not (ROOT / path).is_file() or name not in _functions(ROOT / path))  # fmt: skip
    assert missing == []
    parametrised = sorted(f"{path}::{name}{param}" for path, name, param in named if param)
    if parametrised:  # a parametrised case is checked with pytest's own collection
        collected = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *parametrised],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert collected.returncode == 0, collected.stdout[-2000:]
        assert set(parametrised) <= set(collected.stdout.split()), collected.stdout[-2000:]


def test_the_stated_share_is_the_tables() -> None:
    match = SHARE.search(SECTION)
    assert match, "the share line is missing"
    proven, applicable, percent, not_applicable, gaps = map(int, match.groups())
    statuses = [row[2] for row in _rows()]
    assert proven == sum(status == "proven" for status in statuses)
    assert gaps == sum(status.startswith("gap:") for status in statuses)
    assert not_applicable == sum(status.startswith("n/a:") for status in statuses)
    assert applicable == proven + gaps
    assert percent == 100 * proven // applicable
