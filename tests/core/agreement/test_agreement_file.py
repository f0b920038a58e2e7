"""Reading agreement files: every problem at once with its line, cross-references, hostile files refused."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from commonground.core.agreement.how import Position
from commonground.core.agreement.loading import (
    agreement_json_schema,
    is_agreement_document,
    load_agreement,
    parse_agreement,
)
from commonground.core.agreement.models import Agreement
from commonground.core.loading import MAX_BYTES, LoadError, load_any

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

HEAD = """\
kind: agreement
title: Test partnership
who:
  partners:
  - id: north
    name: North Trust
  - id: south
    name: South Ltd
"""


def problems(text: str | bytes, source: str = "a.yaml") -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse_agreement(text, source=source)
    return [str(p) for p in caught.value.problems]


def test_a_minimal_agreement_loads_with_the_defaults() -> None:
    agreement = parse_agreement(HEAD)
    assert agreement.partner_ids() == ["north", "south"]
    assert agreement.state == "draft"
    assert agreement.how.review.date is None


def test_every_field_problem_is_reported_at_once_with_its_line() -> None:
    text = HEAD + (
        "what:\n"
        "  commitments:\n"
        "  - id: c1\n"
        "    by: north\n"
        "    kind: mony\n"  # line 13
        "    descripton: Money\n"  # line 14
        "    due: 2026-13-01\n"  # line 15
    )
    found = problems(text)
    assert "a.yaml:11: what.commitments[0].description: required field 'description' is missing" in found
    assert any(
        p.startswith("a.yaml:13: what.commitments[0].kind: 'mony' is not allowed; did you mean 'money'?")
        for p in found
    )
    assert (
        "a.yaml:14: what.commitments[0].descripton: unknown field 'descripton'; did you mean 'description'?"
        in found
    )
    assert any(
        p.startswith("a.yaml:15: what.commitments[0].due: must be a date written YYYY-MM-DD") for p in found
    )


def test_a_wrong_type_names_the_type_expected() -> None:
    found = problems(HEAD + "benefits: [1, 2]\n")
    assert found == ["a.yaml:9: benefits: must be a mapping, not a list"]


def test_unknown_partner_ids_are_named_with_their_line_and_a_suggestion() -> None:
    text = HEAD + (
        "what:\n"
        "  commitments:\n"
        "  - {id: c1, by: nort, kind: money, description: Money, due: 2026-01-01}\n"  # line 11
        "  - {id: c1, by: south, to: east, kind: money, description: Money, due: 2026-01-01}\n"  # line 12
        "benefits: {north: 1, west: 2}\n"  # line 13
        "open_items:\n"
        "- {text: A red line, kind: red_line, partner: sout}\n"  # line 15
    )
    assert problems(text) == [
        "a.yaml:11: what.commitments[0].by: unknown partner id 'nort'; did you mean 'north'?",
        "a.yaml:12: what.commitments[1].id: commitment id 'c1' is already used at what.commitments[0].id; "
        "ids must be unique",
        "a.yaml:12: what.commitments[1].to: unknown partner id 'east'; the partners are north, south",
        "a.yaml:13: benefits.west: unknown partner id 'west'; the partners are north, south",
        "a.yaml:15: open_items[0].partner: unknown partner id 'sout'; did you mean 'south'?",
    ]


def test_references_across_kpis_decisions_and_rules_are_checked() -> None:
    text = (
        HEAD
        + """\
why:
  partner_objectives:
  - {partner: nobody, text: Grow}
what:
  workstreams:
  - id: w
    name: Work
    tasks:
    - {id: t, name: One}
  - id: w
    name: Work again
    tasks:
    - {id: t, name: Two}
  kpis:
  - id: joint
    name: Joint
    category: social
    unit: people
    owner: east
    baseline: {value: 0, date: 2026-01-01}
    targets: [{value: 10, date: 2027-01-01}]
  - id: own
    name: Own
    category: social
    unit: people
    partner: north
    linked_to: jont
    baseline: {value: 0, date: 2026-01-01}
    targets: [{value: 10, date: 2027-01-01}]
how:
  decisions:
    rule: {kind: weighted, weights: {north: 1, west: 1}, quorum: 3}
    log:
    - id: d
      title: Decide
      proposed_by: west
      opened: 2026-02-01
      votes:
      - {partner: north, position: yes}
      - {partner: north, position: no}
"""
    )
    found = "\n".join(problems(text))
    for expected in (
        "why.partner_objectives[0].partner: unknown partner id 'nobody'",
        "what.workstreams[1].id: workstream id 'w' is already used at what.workstreams[0].id",
        "what.workstreams[1].tasks[0].id: task id 't' is already used at what.workstreams[0].tasks[0].id",
        "what.kpis[0].owner: unknown partner id 'east'",
        "what.kpis[1].linked_to: unknown KPI id 'jont'; did you mean 'joint'?",
        "how.decisions.rule.weights.west: unknown partner id 'west'",
        "how.decisions.rule.quorum: a quorum of 3 cannot be met by 2 partners",
        "how.decisions.log[0].proposed_by: unknown partner id 'west'",
        "how.decisions.log[0].votes[1].partner: 'north' already voted at votes[0]; one vote per partner",
    ):
        assert expected in found


def test_a_raci_assignee_nobody_knows_is_not_a_load_error() -> None:
    # The roles check reports it; the file is still readable.
    text = (
        HEAD
        + "what:\n  workstreams:\n  - id: w\n    name: W\n    tasks:\n"
        + "    - {id: t, name: T, responsible: [Nobody]}\n"
    )
    assert parse_agreement(text).what.workstreams[0].tasks[0].responsible == ["Nobody"]


def test_unquoted_yes_and_no_in_a_vote_mean_the_words() -> None:
    text = HEAD + (
        "how:\n  decisions:\n    log:\n    - id: d\n      title: T\n      proposed_by: north\n"
        "      opened: 2026-01-01\n      votes:\n      - {partner: north, position: yes}\n"
        "      - {partner: south, position: no}\n"
    )
    votes = parse_agreement(text).how.decisions.log[0].votes
    assert [v.position for v in votes] == [Position.YES, Position.NO]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"kind: agreement\ntitle: [unclosed\n", "YAML syntax error"),
        (b"a: &x [1]\nb: *x\n", "anchors and aliases"),
        (
            b"kind: agreement\n" + b"x:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 60)),
            "nested too deeply",
        ),
        ("kind: agreement\ntitle: Café\n".encode("latin-1"), "not UTF-8 text"),
        (b"\x00\x01binary", "binary file"),
        (b"", "the file is empty"),
        (b"- just\n- a list\n", "must be a mapping of fields"),
        (
            b"kind: agreement\ntitle: A\nwho: {partners: []}\n---\nkind: agreement\n",
            "more than one YAML document",
        ),
    ],
)
def test_hostile_and_broken_files_are_refused_with_a_message(content: bytes, expected: str) -> None:
    assert any(expected in p for p in problems(content))


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"kind: agreement\n" + b"#" * (MAX_BYTES + 10))
    started = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_agreement(path)
    assert time.perf_counter() - started < 1.0
    assert "may be at most 5 MB" in str(caught.value)


def test_json_agreements_load_with_lines_too() -> None:
    data = {
        "kind": "agreement",
        "title": "T",
        "who": {"partners": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]},
        "benefits": {"c": 1},
    }
    text = json.dumps(data, indent=2)
    found = problems(text, source="a.json")
    assert len(found) == 1
    assert found[0].startswith("a.json:")
    assert "benefits.c: unknown partner id 'c'" in found[0]


def test_load_any_recognises_an_agreement(tmp_path: Path) -> None:
    path = tmp_path / "agreement.yaml"
    path.write_text(HEAD, encoding="utf-8")
    assert isinstance(load_any(path), Agreement)
    assert is_agreement_document({"kind": "agreement"})
    assert not is_agreement_document({"name": "Org", "kind": "nonprofit"})


def test_the_json_schema_describes_the_agreement_format() -> None:
    schema = agreement_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert {"who", "why", "what", "how", "open_items"} <= set(schema["properties"])
    assert schema["required"] == ["title", "who"]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("agreement-*.yaml")))
def test_every_example_agreement_loads(name: str) -> None:
    assert load_agreement(EXAMPLES / name).title


FORMAT_DOC = (EXAMPLES.parent / "docs" / "agreement-format.md").read_text(encoding="utf-8")


def test_the_format_document_names_every_field() -> None:
    from pydantic import BaseModel

    from commonground.core.agreement import how, models, parts, what, who, why

    for module in (parts, who, why, what, how, models):
        for model in vars(module).values():
            if (
                isinstance(model, type)
                and issubclass(model, BaseModel)
                and model.__module__ == module.__name__
            ):
                for field in model.model_fields:
                    assert f"`{field}`" in FORMAT_DOC, (
                        f"{model.__name__}.{field} is missing from the format doc"
                    )


def test_the_format_documents_short_example_loads() -> None:
    example = FORMAT_DOC.split("## A short example")[1].split("```yaml\n")[1].split("```")[0]
    assert parse_agreement(example).how.review.date is not None
