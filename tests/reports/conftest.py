"""Stored assessment results for the renderer tests (fixtures written by hand, not engine output).

The results live as JSON in ``tests/data/results/`` and are read through ``AssessmentResult``, so a
fixture that no longer fits the result contract fails on load. ``two_party.json``: Harbor Health
Alliance and FizzCo Beverages, with conflicts of several kinds, evidence, a goal matrix, SDGs,
values, culture, stakeholders and initiatives. ``three_party.json``: the same two plus Northside
Food Bank, with a result per pair. ``survey``: the demo coalition's network survey.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commonground.core.network import Survey, load_survey
from commonground.core.results import AssessmentResult

RESULTS = Path(__file__).resolve().parent.parent / "data" / "results"
NETWORK_EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "network-riverside.yaml"
HOSTILE = "<script>alert(1)</script>"


def load_result(name: str, *, rename: dict[str, str] | None = None) -> AssessmentResult:
    """The stored result ``<name>.json``, with every occurrence of each ``rename`` key replaced."""
    text = (RESULTS / f"{name}.json").read_text(encoding="utf-8")
    for old, new in (rename or {}).items():
        text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
    return AssessmentResult.model_validate_json(text)


@pytest.fixture
def two_party() -> AssessmentResult:
    """Two partners with conflicts of several kinds, evidence, stakeholders and initiatives."""
    return load_result("two_party")


@pytest.fixture
def three_party() -> AssessmentResult:
    """A three-partner coalition with pairwise results."""
    return load_result("three_party")


@pytest.fixture
def hostile() -> AssessmentResult:
    """Two partners, one named with markup, to prove every renderer escapes user text."""
    return load_result("two_party", rename={"Harbor Health Alliance": HOSTILE})


@pytest.fixture(scope="module")
def survey() -> Survey:
    """The demo coalition's network survey (30 organisations, two rounds)."""
    return load_survey(NETWORK_EXAMPLE)
