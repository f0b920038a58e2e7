"""The examples say what examples/README.md says about them: every row's verdict is the one written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commonground.core.assessment import assess, assess_profiles
from commonground.core.loading import load_partnership, load_profile

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_ROW = re.compile(r"^\| (?P<files>`[^|]+`) \|(?P<rest>.*)$", re.MULTILINE)


def _rows() -> list[tuple[list[str], set[str]]]:
    rows = []
    for match in _ROW.finditer((EXAMPLES / "README.md").read_text(encoding="utf-8")):
        expect = re.search(r"Expect (`\w+`(?: or `\w+`)*)", match.group("rest"))
        if expect is None:
            continue
        files = re.findall(r"`([\w.-]+\.yaml)`", match.group("files"))
        rows.append((files, set(re.findall(r"`(\w+)`", expect.group(1)))))
    return rows


def test_the_readme_names_an_expected_verdict_for_every_partnership_file() -> None:
    named = {f for files, _ in _rows() for f in files}
    assert {p.name for p in EXAMPLES.glob("partnership-*.yaml")} <= named
    assert len(_rows()) >= 5


@pytest.mark.slow
@pytest.mark.parametrize(
    ("files", "verdicts"), _rows(), ids=lambda v: "+".join(v) if isinstance(v, list) else ""
)
def test_example_verdict_is_the_one_the_readme_states(files: list[str], verdicts: set[str]) -> None:
    if len(files) == 1:
        result = assess(load_partnership(EXAMPLES / files[0]))
    else:
        result = assess_profiles([load_profile(EXAMPLES / f) for f in files])
    assert result.verdict.value in verdicts, (result.score, [c.summary for c in result.conflicts[:4]])
