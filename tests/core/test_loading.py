"""Loading profile and partnership files: every problem at once, with its field and line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.loading import (
    MAX_BYTES,
    LoadError,
    Problem,
    dump_profile,
    is_partnership_document,
    load_any,
    load_inputs,
    load_partnership,
    load_profile,
    parse_profile,
    profile_json_schema,
    profile_template,
)
from commonground.core.profiles import Partnership, Profile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

MINIMAL = "name: Test Org\nkind: nonprofit\nmission: Help people\n"


def problems_of(text: str | bytes, source: str = "t.yaml") -> list[Problem]:
    with pytest.raises(LoadError) as info:
        parse_profile(text, source=source)
    assert info.value.problems, "a LoadError must carry at least one problem"
    return info.value.problems


def outcome(text: str | bytes, source: str = "t.yaml") -> list[Problem] | None:
    """None when the text is a valid profile, else the problems (which must not be empty)."""
    try:
        parse_profile(text, source=source)
    except LoadError as exc:
        problems = exc.problems
    else:
        return None
    assert problems
    assert all(isinstance(p, Problem) and p.message for p in problems)
    return problems


def by_path(problems: list[Problem]) -> dict[str, Problem]:
    return {p.path: p for p in problems}


def test_minimal_profile_loads() -> None:
    profile = parse_profile(MINIMAL)
    assert profile.name == "Test Org"
    assert profile.kind.value == "nonprofit"


def test_every_problem_is_reported_at_once_with_path_and_line() -> None:
    text = """\
name: Test Org
kind: nonprofitt
misson: Help people
values:
  - name: Equity
    weight: 7
goals:
  - text: First goal
    priority: hihg
  - text: Second
    sdgs: [3, 18]
stakeholders:
  - name: Parents
    power: two
    interest: 5
orientation:
  profit_purpose: 1.5
"""
    found = by_path(problems_of(text))
    assert found["kind"].line == 2
    assert "did you mean 'nonprofit'" in found["kind"].message
    assert "social_enterprise" in found["kind"].message  # allowed values are listed
    assert found["misson"].line == 3
    assert "did you mean 'mission'?" in found["misson"].message
    assert "'mission' is missing" in found["mission"].message
    assert found["values[0].weight"].line == 6
    assert "between 1 and 5" in found["values[0].weight"].message
    assert found["goals[0].priority"].line == 9
    assert "did you mean 'high'" in found["goals[0].priority"].message
    assert found["goals[1].sdgs[1]"].line == 11
    assert "between 1 and 17" in found["goals[1].sdgs[1]"].message
    assert found["stakeholders[0].power"].line == 14
    assert "whole number" in found["stakeholders[0].power"].message
    assert "between 0 and 1" in found["orientation.profit_purpose"].message
    assert len(found) == 8


def test_problem_text_has_file_line_path_and_message() -> None:
    problem = Problem("a.yaml", "goals[2].priority", 14, "bad")
    assert str(problem) == "a.yaml:14: goals[2].priority: bad"
    assert str(Problem("a.yaml", "", None, "the file is empty")) == "a.yaml: the file is empty"


def test_an_escaped_nul_is_named_by_its_field_in_json_and_yaml() -> None:
    """Security finding F11: PostgreSQL cannot store a NUL in text, and the raw-byte check misses escapes."""
    as_json = '{"name": "T", "kind": "nonprofit",\n "mission": "x\\u0000y"}'
    [problem] = problems_of(as_json, source="t.json")
    assert (problem.path, problem.line) == ("mission", 2)
    assert "NUL character" in problem.message
    as_yaml = MINIMAL + 'goals:\n  - text: "Halve \\0 obesity"\n"bad\\0key": 1\n'
    problems = problems_of(as_yaml)
    found = by_path(problems)
    assert "NUL character" in found["goals[0].text"].message
    assert found["goals[0].text"].line == 5
    assert any("field name contains a NUL" in p.message for p in problems)


def test_messages_are_ours_not_pydantics() -> None:
    problems = problems_of("name: [1]\nkind: 3\nmission: ''\nculture: {clan: 1}\n")
    for problem in problems:
        assert "For further information" not in problem.message
        assert "pydantic" not in problem.message.lower()
        assert "Input should be" not in problem.message


def test_number_where_text_expected_suggests_quotes() -> None:
    found = by_path(problems_of("name: 1999\nkind: company\nmission: Make things\n"))
    assert "put it in quotes" in found["name"].message


def test_duplicate_goal_ids_point_at_the_second_goal() -> None:
    text = MINIMAL + "goals:\n  - id: a\n    text: One\n  - id: a\n    text: Two\n"
    (problem,) = problems_of(text)
    assert problem.path == "goals[1].id"
    assert problem.line == 7
    assert "'a'" in problem.message
    assert "line 5" in problem.message


def test_duplicate_yaml_keys_are_an_error() -> None:
    (problem,) = problems_of(MINIMAL + "name: Again\n")
    assert problem.path == "name"
    assert problem.line == 4
    assert "duplicate key" in problem.message
    assert "line 1" in problem.message


def test_culture_must_add_up_to_100() -> None:
    (problem,) = problems_of(MINIMAL + "culture: {clan: 50, adhocracy: 20, market: 20, hierarchy: 20}\n")
    assert problem.path == "culture"
    assert "100" in problem.message


def test_yaml_syntax_error_has_line() -> None:
    (problem,) = problems_of("name: Test\nkind: [nonprofit\nmission: x\n")
    assert problem.line is not None
    assert "YAML syntax error" in problem.message


def test_a_syntax_error_says_its_line_and_column_in_the_message_itself() -> None:
    # The message alone (as the API and some pages show it) must say where: not just "(column 1)".
    (unclosed,) = problems_of('name: Test\nmission: "never closed\nkind: nonprofit\n')
    assert unclosed.line == 4
    assert unclosed.message.endswith("(at line 4, column 1)")
    # The end of the file is where the parser gave up; the quote that caused it is named too.
    assert "quoted scalar that starts at line 2, column 10" in unclosed.message
    (json_error,) = problems_of('{"name": "Org",\n "kind": }', source="t.json")
    assert json_error.message.endswith("(at line 2, column 10)")


def test_our_other_files_are_named_for_what_they_are_not_as_profiles_missing_fields() -> None:
    for example, what in (
        ("agreement-flawed.yaml", "this is a partnership agreement (kind: agreement"),
        ("network-riverside.yaml", "this is a network survey (kind: network-survey"),
        ("partnership-blocked.yaml", "this is a partnership file, not an organisation profile"),
    ):
        with pytest.raises(LoadError) as info:
            load_profile(EXAMPLES / example)
        (problem,) = info.value.problems
        assert what in problem.message
        assert "not an organisation profile" in problem.message


def test_tabs_get_a_hint() -> None:
    (problem,) = problems_of("name: Test\nvalues:\n\t- Equity\n")
    assert "spaces, not tabs" in problem.message


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n", "---\n"])
def test_empty_file(text: str) -> None:
    (problem,) = problems_of(text)
    assert "empty" in problem.message


@pytest.mark.parametrize(
    ("text", "what"),
    [("- a\n- b\n", "a list"), ("just some words\n", "text"), ("42\n", "a number")],
)
def test_top_level_must_be_a_mapping(text: str, what: str) -> None:
    (problem,) = problems_of(text)
    assert "must be a mapping" in problem.message
    assert what in problem.message


def test_binary_file_is_rejected() -> None:
    (problem,) = problems_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in problem.message


def test_non_utf8_file_is_rejected() -> None:
    (problem,) = problems_of(b"name: Caf\xe9\nkind: company\n")
    assert "UTF-8" in problem.message


def test_alias_bomb_is_refused() -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{previous},*{previous},*{previous},*{previous},*{previous}]\n"
    started = time.perf_counter()
    (problem,) = problems_of(bomb)
    assert time.perf_counter() - started < 1
    assert "aliases" in problem.message


def test_unsafe_tags_are_refused() -> None:
    problems = problems_of("!!python/object/apply:os.system ['echo hi']\n")
    assert any("unsupported YAML tag" in p.message for p in problems)


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    problems_of("[" * 3000 + "]" * 3000)
    problems_of("a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)))


def test_json_errors_have_lines_too(tmp_path: Path) -> None:
    path = tmp_path / "org.json"
    path.write_text('{\n  "name": "Org",\n  "kind": "charity",\n  "mission": "Help"\n}\n')
    with pytest.raises(LoadError) as info:
        load_profile(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.path, problem.line) == (str(path), "kind", 3)
    assert "nonprofit" in problem.message


def test_json_syntax_error_and_duplicate_keys() -> None:
    (syntax,) = problems_of('{"name": "Org",\n "kind": }', source="t.json")
    assert syntax.line == 2
    assert "JSON syntax error" in syntax.message
    duplicate = problems_of(
        '{"name": "A",\n "name": "B", "kind": "company", "mission": "m"}', source="t.json"
    )
    assert [p.line for p in duplicate] == [2]


def test_json_non_finite_numbers_are_rejected() -> None:
    text = '{"name": "A", "kind": "company", "mission": "m", "orientation": {"profit_purpose": NaN}}'
    (problem,) = problems_of(text, source="t.json")
    assert problem.path == "orientation.profit_purpose"
    assert "finite" in problem.message


def test_format_is_sniffed_without_an_extension(tmp_path: Path) -> None:
    path = tmp_path / "profile"
    path.write_text(json.dumps({"name": "Org", "kind": "funder", "mission": "Fund good work"}))
    assert load_profile(path).kind.value == "funder"
    path.write_text(MINIMAL)
    assert load_profile(path).name == "Test Org"


def test_huge_file_is_rejected_quickly_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk space
    started = time.perf_counter()
    with pytest.raises(LoadError) as info:
        load_profile(path)
    assert time.perf_counter() - started < 1
    (problem,) = info.value.problems
    assert "50.0 MB" in problem.message
    assert "5 MB" in problem.message


def test_oversized_text_is_rejected() -> None:
    (problem,) = problems_of("name: " + "x" * (MAX_BYTES + 10))
    assert "at most 5 MB" in problem.message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="file not found"):
        load_profile(tmp_path / "nope.yaml")
    with pytest.raises(LoadError, match="folder"):
        load_profile(tmp_path)


# --------------------------------------------------------------------------- partnerships


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_partnership_with_files_and_inline_profile(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", MINIMAL)
    partnership_file = write(
        tmp_path / "p.yaml",
        "name: Joint\npartners:\n  - a.yaml\n"
        "  - name: Inline Co\n    kind: company\n    mission: Sell things\n"
        "initiatives:\n  - name: Pilot\n    social_value: 4\n"
        "    economic_value: {Test Org: 2, Inline Co: 3}\n",
    )
    partnership = load_partnership(partnership_file)
    assert [p.name for p in partnership.partners] == ["Test Org", "Inline Co"]
    assert partnership.initiatives[0].economic_value == {"Test Org": 2, "Inline Co": 3}
    assert isinstance(load_any(partnership_file), Partnership)
    assert load_inputs([partnership_file]) == partnership


def test_partnership_problems_name_the_partner_file_and_inline_lines(tmp_path: Path) -> None:
    write(tmp_path / "bad.yaml", "name: Bad\nkind: nonprofit\nmission: x\nculture: 5\n")
    partnership_file = write(
        tmp_path / "p.yaml",
        "partners:\n  - missing.yaml\n  - bad.yaml\n  - name: Inline\n    kind: shop\n    mission: m\n"
        "initiatives:\n  - name: Pilot\n    social_value: 9\n",
    )
    with pytest.raises(LoadError) as info:
        load_partnership(partnership_file)
    text = [str(p) for p in info.value.problems]
    assert any("partners[0]" in t and "missing.yaml" in t and "not found" in t for t in text)
    assert any(t.startswith(f"{tmp_path / 'bad.yaml'}:4: culture:") for t in text)
    assert any(t.startswith(f"{partnership_file}:5: partners[2].kind:") for t in text)
    assert any(t.startswith(f"{partnership_file}:9: initiatives[0].social_value:") for t in text)


def test_economic_value_for_an_unknown_partner(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", MINIMAL)
    write(tmp_path / "b.yaml", "name: Other\nkind: company\nmission: m\n")
    partnership_file = write(
        tmp_path / "p.yaml",
        "partners: [a.yaml, b.yaml]\ninitiatives:\n  - name: X\n    social_value: 3\n"
        "    economic_value: {Nobody: 2}\n",
    )
    with pytest.raises(LoadError, match="Nobody"):
        load_partnership(partnership_file)


def test_partnership_unknown_field_and_too_few_partners(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", MINIMAL)
    partnership_file = write(tmp_path / "p.yaml", "partners: [a.yaml]\ninitiative: []\n")
    with pytest.raises(LoadError) as info:
        load_partnership(partnership_file)
    messages = " | ".join(p.message for p in info.value.problems)
    assert "did you mean 'initiatives'" in messages
    assert "at least two partners" in messages


def test_load_inputs_needs_two_partners(tmp_path: Path) -> None:
    single = write(tmp_path / "a.yaml", MINIMAL)
    with pytest.raises(LoadError, match="at least two partners"):
        load_inputs([single])


def test_load_inputs_from_profiles(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", MINIMAL)
    b = write(tmp_path / "b.yaml", "name: Other\nkind: company\nmission: m\n")
    assert [p.name for p in load_inputs([a, b]).partners] == ["Test Org", "Other"]
    same = write(tmp_path / "c.yaml", MINIMAL)
    with pytest.raises(LoadError) as info:
        load_inputs([a, same])
    (problem,) = info.value.problems
    assert problem.file == str(same)
    assert problem.line == 1
    assert "unique" in problem.message


def test_load_inputs_collects_problems_from_every_file(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", "name: A\nkind: x\nmission: m\n")
    b = write(tmp_path / "b.yaml", "")
    with pytest.raises(LoadError) as info:
        load_inputs([a, b])
    assert {p.file for p in info.value.problems} == {str(a), str(b)}


def test_is_partnership_document() -> None:
    assert is_partnership_document({"partners": []})
    assert not is_partnership_document({"name": "x"})
    assert not is_partnership_document(["partners"])


# --------------------------------------------------------------------------- examples, template, schema


EXAMPLE_PROFILES = sorted(
    p for p in EXAMPLES.glob("*.yaml") if not p.name.startswith(("partnership-", "agreement-", "network-"))
)
EXAMPLE_PARTNERSHIPS = sorted(EXAMPLES.glob("partnership-*.yaml"))


def test_there_are_enough_examples() -> None:
    assert len(EXAMPLE_PROFILES) >= 5
    assert {p.name for p in EXAMPLE_PARTNERSHIPS} >= {
        "partnership-strong-fit.yaml",
        "partnership-workable.yaml",
        "partnership-blocked.yaml",
    }


@pytest.mark.parametrize("path", EXAMPLE_PROFILES, ids=lambda p: p.name)
def test_example_profiles_are_rich_and_round_trip(path: Path) -> None:
    assert "Fictional" in path.read_text()
    profile = load_profile(path)
    for part in ("values", "goals", "activities", "red_lines", "stakeholders", "orientation", "culture"):
        assert getattr(profile, part), f"{path.name} should show {part}"
    assert parse_profile(dump_profile(profile)) == profile
    assert parse_profile(dump_profile(profile, "json"), fmt="json") == profile


@pytest.mark.parametrize("path", EXAMPLE_PARTNERSHIPS, ids=lambda p: p.name)
def test_example_partnerships_load(path: Path) -> None:
    assert len(load_partnership(path).partners) >= 2


def test_template_validates_as_written_and_explains_every_field() -> None:
    template = profile_template()
    profile = parse_profile(template)
    for field in Profile.model_fields:
        assert f"{field}:" in template
    assert profile.goals
    assert profile.stakeholders
    assert profile.culture is not None
    assert template.count("#") > 15


def test_schema_describes_profile_v1() -> None:
    schema = profile_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["required"]) == {"name", "kind", "mission"}
    assert schema["properties"]["kind"] or schema["$defs"]["Kind"]
    json.dumps(schema)  # serialisable
    # Plain strings are allowed in hand-written lists, and the schema says so.
    assert {"type": "string", "minLength": 1} in schema["properties"]["activities"]["items"]["anyOf"]


def test_dump_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="format"):
        dump_profile(parse_profile(MINIMAL), "toml")


# --------------------------------------------------------------------------- properties

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_profile_or_load_error(data: bytes) -> None:
    outcome(data)


@FUZZ
@given(st.text(max_size=400), st.sampled_from(["t.yaml", "t.json", "t"]))
def test_arbitrary_text_gives_a_profile_or_load_error(text: str, source: str) -> None:
    outcome(text, source)


KEYS = st.sampled_from(
    [
        "name",
        "kind",
        "mission",
        "values",
        "goals",
        "weight",
        "priority",
        "power",
        "culture",
        "clan",
        "id",
        "x",
    ]
)
SCALARS = st.none() | st.booleans() | st.integers(-10, 200) | st.floats(allow_nan=True) | st.text(max_size=20)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(KEYS | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


@FUZZ
@given(STRUCTURES)
def test_arbitrary_yaml_and_json_structures_give_a_profile_or_load_error(data: object) -> None:
    for text, source in ((yaml.safe_dump(data), "t.yaml"), (json.dumps(data), "t.json")):
        outcome(text, source)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() != ""
)
SCORE = st.integers(1, 5)
GOAL = st.fixed_dictionaries(
    {"text": TEXT},
    optional={
        "priority": st.sampled_from(["high", "medium", "low"]),
        "sdgs": st.lists(st.integers(1, 17), max_size=3),
    },
)
STAKEHOLDER = st.fixed_dictionaries(
    {"name": TEXT, "power": SCORE, "interest": SCORE},
    optional={
        "legitimacy": st.booleans(),
        "urgency": st.booleans(),
        "stance": st.sampled_from(["supportive", "neutral", "opposed"]),
    },
)
PROFILE_DATA = st.fixed_dictionaries(
    {
        "name": TEXT,
        "kind": st.sampled_from(
            [
                "nonprofit",
                "company",
                "social_enterprise",
                "public_agency",
                "funder",
                "community_group",
                "other",
            ]
        ),
        "mission": TEXT,
    },
    optional={
        "sector": TEXT,
        "values": st.lists(TEXT | st.fixed_dictionaries({"name": TEXT, "weight": SCORE}), max_size=3),
        "goals": st.lists(GOAL, max_size=3),
        "activities": st.lists(TEXT, max_size=3),
        "red_lines": st.lists(
            st.fixed_dictionaries({"text": TEXT, "severity": st.sampled_from(["absolute", "strong"])}),
            max_size=2,
        ),
        "stakeholders": st.lists(STAKEHOLDER, max_size=3),
        "orientation": st.fixed_dictionaries({"profit_purpose": st.floats(0, 1)}),
        "culture": st.integers(0, 100).flatmap(
            lambda clan: st.integers(0, 100 - clan).map(
                lambda adhocracy: {
                    "clan": clan,
                    "adhocracy": adhocracy,
                    "market": 100 - clan - adhocracy,
                    "hierarchy": 0,
                }
            )
        ),
    },
)


@FUZZ
@given(PROFILE_DATA, st.sampled_from(["yaml", "json"]))
def test_valid_profiles_round_trip_through_dump_and_parse(data: dict[str, object], fmt: str) -> None:
    profile = Profile.model_validate(data)
    assert parse_profile(dump_profile(profile, fmt), fmt=fmt) == profile


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_the_libyaml_path_reads_every_example_exactly_as_the_pure_python_parser(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonground.core.loading import reading

    assert reading._FAST_LOADER is not None, "PyYAML was installed without libyaml"
    text = path.read_text(encoding="utf-8")
    fast = reading.parse_document(text, str(path), None)
    monkeypatch.setattr(reading, "_FAST_LOADER", None)
    slow = reading.parse_document(text, str(path), None)
    assert (fast.data, fast.lines, fast.problems) == (slow.data, slow.lines, slow.problems)
