"""A profile file far bigger than any profile is refused while it is parsed, and the problems a person
is shown are bounded (security review F1: 100,000 unknown fields cost 10 s and a 20 MB error page)."""

from __future__ import annotations

import json

import pytest
import yaml

from commonground.core.loading import (
    MAX_PROBLEMS_SHOWN,
    MAX_PROFILE_VALUES,
    LoadError,
    parse_profile,
    problems_shown,
    reading,
)

HEAD = {"name": "Harbor", "kind": "nonprofit", "mission": "m"}


def _wide_yaml(keys: int) -> str:
    return "name: x\nkind: nonprofit\nmission: x\n" + "".join(f"k{i}: v\n" for i in range(keys))


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure-python"])
def test_a_yaml_profile_with_100000_unknown_fields_stops_at_the_value_limit(
    fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fast:
        monkeypatch.setattr(reading, "_FAST_LOADER", None)
    with pytest.raises(LoadError) as caught:
        parse_profile(_wide_yaml(100_000), source="wide.yaml")
    [problem] = caught.value.problems
    assert f"more than {MAX_PROFILE_VALUES:,} values" in problem.message
    assert problem.line is not None
    assert problem.line < 2 * MAX_PROFILE_VALUES  # it stopped early


def test_a_json_profile_with_100000_unknown_fields_stops_at_the_value_limit() -> None:
    body = json.dumps(HEAD | {f"k{i}": "v" for i in range(100_000)})
    with pytest.raises(LoadError) as caught:
        parse_profile(body, source="wide.json")
    assert [f"more than {MAX_PROFILE_VALUES:,} values" in p.message for p in caught.value.problems] == [True]


def test_a_profile_at_every_lists_maximum_is_well_within_the_value_limit() -> None:
    goal = {"text": "A goal", "priority": "high"}
    stakeholder = {"name": "S", "power": 3, "interest": 3, "legitimacy": True, "urgency": False}
    document = HEAD | {
        "values": [{"name": f"v{i}", "weight": 3, "description": "d"} for i in range(50)],
        "goals": [goal | {"id": f"g{i}", "sdgs": list(range(1, 18))} for i in range(100)],
        "activities": [{"text": "a"} for _ in range(200)],
        "red_lines": [{"text": "r", "severity": "strong"} for _ in range(100)],
        "stakeholders": [stakeholder | {"name": f"s{i}"} for i in range(200)],
    }
    for text, fmt in ((json.dumps(document), "json"), (yaml.safe_dump(document), "yaml")):
        assert len(parse_profile(text, fmt=fmt).stakeholders) == 200
    assert reading.count_values(document, stop_after=MAX_PROFILE_VALUES) < MAX_PROFILE_VALUES / 2


def test_problems_shown_are_bounded_and_the_rest_counted() -> None:
    body = json.dumps(HEAD | {f"k{i}": "v" for i in range(2_000)})
    with pytest.raises(LoadError) as caught:
        parse_profile(body, source="many.json")
    shown, more = problems_shown(caught.value.problems)
    assert len(shown) == MAX_PROBLEMS_SHOWN
    assert more == 2_000 - MAX_PROBLEMS_SHOWN
