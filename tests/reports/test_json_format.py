"""JSON output: parses, carries the contract's keys, round-trips to the model, and streams the same bytes."""

from __future__ import annotations

import json
from itertools import combinations

import pytest

from commonground.core.coalition import coalition_summary, pair_summary
from commonground.core.results import AssessmentResult, GoalMatrix, PairResult, PairSummary
from commonground.reports import render
from commonground.reports.json_format import json_chunks, render_json

CONTRACT_KEYS = {
    "score",
    "verdict",
    "components",
    "conflicts",
    "synergies",
    "goal_matrix",
    "sdgs",
    "questions",
}


def test_json_has_the_contract_keys(two_party: AssessmentResult) -> None:
    data = json.loads(render(two_party, "json"))
    assert set(data) >= CONTRACT_KEYS
    assert data["verdict"] == "at_risk"
    assert set(data["components"]) == {"mission", "values", "culture", "stakeholders", "orientation"}
    assert data["components"]["culture"] is None
    first = data["conflicts"][0]
    assert set(first) == {"kind", "severity", "parties", "summary", "evidence"}


def test_json_round_trips(three_party: AssessmentResult) -> None:
    out = render(three_party, "json")
    assert AssessmentResult.model_validate_json(out) == three_party
    assert len(json.loads(out)["pairs"]) == 3


def test_json_keeps_hostile_text_as_data(hostile: AssessmentResult) -> None:
    data = json.loads(render(hostile, "json"))
    assert data["parties"][0] == "<script>alert(1)</script>"


def large_coalition(three_party: AssessmentResult) -> AssessmentResult:
    """21 partners (the first size whose pairs are summaries), with awkward names, floats and text."""
    names = [f"Org {k}" for k in range(18)] + ["Café Ñandú «Ω»", 'Quote "and" back\\slash\n\ttab </script>']
    names.append("Ünïcode \u2028 line separator 🌍")
    template = three_party.pairs[0]
    assert isinstance(template, PairResult)
    # Its goals name the fixture's partners, not these: no goal matrix, so none is looked up.
    template = template.model_copy(update={"goal_matrix": GoalMatrix(rows=[], columns=[], cells=[])})
    full = [
        # model_copy does not validate: floats the engine could give, shortest and longest reprs.
        template.model_copy(update={"parties": [a, b], "score": (0.1 + 0.2) * k, "reasons": [f"{a} × {b}"]})
        for k, (a, b) in enumerate(combinations(names, 2))
    ]
    coalition = coalition_summary(names, full, sdgs={}, values=[])
    return three_party.model_copy(
        update={
            "parties": names,
            "score": 1e-7,
            "title": names[-2],
            "pairs": [pair_summary(p) for p in full],
            "reasons": [p.reasons[0] for p in full],
            "limitations": [],
            "coalition": coalition,
        }
    )


@pytest.mark.parametrize("name", ["two_party", "three_party", "large"])
def test_streamed_json_is_byte_for_byte_the_model_dump(
    name: str, two_party: AssessmentResult, three_party: AssessmentResult
) -> None:
    result = {"two_party": two_party, "three_party": three_party}.get(name) or large_coalition(three_party)
    chunks = list(json_chunks(result))
    whole = (result.model_dump_json(indent=2) + "\n").encode("utf-8")
    assert "".join(chunks).encode("utf-8") == whole
    assert render_json(result).encode("utf-8") == whole


def test_a_large_coalition_streams_its_summaries_and_coalition_key(three_party: AssessmentResult) -> None:
    result = large_coalition(three_party)
    chunks = list(json_chunks(result))
    # Streamed, not whole: no piece holds more than one pair's summary (a few KB of the 1.3 MB).
    assert max(map(len, chunks)) < max(len(p.model_dump_json(indent=2)) for p in result.pairs) * 1.2
    assert sum(map(len, chunks)) > 100 * max(map(len, chunks))
    data = json.loads("".join(chunks))
    assert len(data["pairs"]) == 210
    assert set(data["pairs"][0]) == set(PairSummary.model_fields)
    assert data["coalition"]["partners"] == 21
    assert data["title"] == 'Quote "and" back\\slash\n\ttab </script>'
    assert data["score"] == 1e-7
