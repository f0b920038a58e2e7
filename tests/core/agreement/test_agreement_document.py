"""Writing an agreement as YAML: readable, commented, and read back unchanged."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.agreement.document import agreement_document, dump_agreement
from commonground.core.agreement.how import Decision, Vote
from commonground.core.agreement.loading import load_agreement, parse_agreement
from commonground.core.agreement.models import Agreement, OpenItem, OpenItemKind
from commonground.core.agreement.what import (
    Commitment,
    CommitmentKind,
    Kpi,
    KpiCategory,
    Measurement,
    Point,
    Task,
    What,
    Workstream,
)
from commonground.core.agreement.who import Partner, Who
from commonground.core.agreement.why import Why

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_every_example_agreement_round_trips_with_and_without_comments() -> None:
    for path in sorted(EXAMPLES.glob("agreement-*.yaml")):
        agreement = load_agreement(path)
        for comments in (True, False):
            assert parse_agreement(dump_agreement(agreement, comments=comments)) == agreement, path.name


def _minimal(**fields: object) -> Agreement:
    who = Who(partners=[Partner(id="a", name="A"), Partner(id="b", name="B")])
    return Agreement.model_validate({"title": "T", "who": who, **fields})


def test_a_draft_says_it_is_a_draft_and_shows_what_is_missing() -> None:
    text = dump_agreement(_minimal(), comments=True)
    assert text.startswith("# DRAFT partnership agreement")
    assert "Nothing in it is agreed" in text
    assert "# shared_vision:" in text
    assert "# notice_days:" in text
    # Every clause of HOW is listed with its status, so the reader sees what is not settled.
    for clause in ("governance", "decisions", "review", "dispute_resolution", "exit"):
        assert f"  {clause}:\n    status: not_in_place" in text


def test_without_comments_the_file_has_none() -> None:
    text = dump_agreement(_minimal(), comments=False)
    assert not [line for line in text.splitlines() if line.lstrip().startswith("#")]


def test_an_agreed_agreement_is_not_called_a_draft() -> None:
    text = dump_agreement(_minimal(state="agreed"), comments=True)
    assert "DRAFT" not in text
    assert "state: agreed" in text


def test_defaults_are_left_out_but_dates_and_numbers_stay_readable() -> None:
    agreement = _minimal(
        what=What(
            commitments=[
                Commitment(
                    id="c",
                    by="a",
                    kind=CommitmentKind.MONEY,
                    description="Money",
                    value=5000.0,
                    due=datetime.date(2026, 6, 30),
                )
            ]
        )
    )
    text = dump_agreement(agreement, comments=False)
    assert "value: 5000\n" in text
    assert "due: 2026-06-30\n" in text
    assert "fulfilment" not in text
    assert "met:" not in text
    assert agreement_document(agreement)["what"]["commitments"][0]["value"] == 5000


def test_a_value_used_twice_is_written_twice_not_as_an_alias() -> None:
    day = datetime.date(2026, 1, 1)
    commitments = [
        Commitment(id=f"c{i}", by="a", kind=CommitmentKind.DELIVERABLE, description="Report", due=day)
        for i in range(3)
    ]
    agreement = _minimal(what=What(commitments=commitments))
    text = dump_agreement(agreement, comments=False)
    assert "&" not in text
    assert text.count("due: 2026-01-01") == 3
    assert parse_agreement(text) == agreement


# Text a person might type: quotes, colons, words YAML reads as other types, Unicode line breaks.
_piece = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"),
    max_size=12,
) | st.sampled_from(["\n", ": ", " #", "'", '"', "yes", "null", "1.5", "- ", "\u2028", "\x85", "é", "{a: b}"])
_text = st.lists(_piece, min_size=1, max_size=5).map("".join).map(str.strip).filter(bool)
_names = _text.map(lambda t: t.replace("\n", " ").strip()).filter(bool).map(lambda t: t[:200])
_dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 1, 1))
_numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False) | st.integers(-(10**6), 10**6).map(float)


@st.composite
def agreements(draw: st.DrawFn) -> Agreement:
    baseline = draw(_dates)
    kpi = Kpi(
        id="k",
        name=draw(_names),
        category=draw(st.sampled_from(list(KpiCategory))),
        unit=draw(_names),
        baseline=Point(value=draw(_numbers), date=baseline),
        targets=[
            Point(value=draw(_numbers), date=baseline + datetime.timedelta(days=draw(st.integers(1, 999))))
        ],
        measurements=[Measurement(date=draw(_dates), value=draw(_numbers), note=draw(st.none() | _text))],
    )
    tasks = [
        Task(
            id=f"t{i}",
            name=draw(_names),
            responsible=draw(st.lists(st.sampled_from(["a", "b", "Ann"]), max_size=2)),
            done=draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    return Agreement(
        title=draw(_names),
        state=draw(st.sampled_from(["draft", "agreed"])),
        who=Who(partners=[Partner(id="a", name=draw(_names)), Partner(id="b", name=draw(_names))]),
        why=Why(shared_vision=draw(st.none() | _text)),
        what=What(
            workstreams=[
                Workstream(id="w", name=draw(_names), description=draw(st.none() | _text), tasks=tasks)
            ],
            commitments=[
                Commitment(
                    id="c",
                    by="a",
                    to="b",
                    kind=CommitmentKind.IN_KIND,
                    description=draw(_text),
                    value=draw(st.none() | st.floats(0, 1e12)),
                    due=draw(_dates),
                )
            ],
            kpis=[kpi],
        ),
        how={
            "decisions": {
                "log": [
                    Decision(
                        id="d",
                        title=draw(_names),
                        proposed_by="a",
                        opened=draw(_dates),
                        votes=[Vote(partner="b", position="yes", reason=draw(st.none() | _text))],
                    )
                ]
            }
        },
        benefits=draw(st.dictionaries(st.sampled_from(["a", "b"]), st.floats(0, 1e6))),
        open_items=[
            OpenItem(
                text=draw(_text),
                kind=draw(st.sampled_from(list(OpenItemKind))),
                source=draw(st.none() | _names),
            )
        ],
    )


@settings(max_examples=60, deadline=None)
@given(agreements(), st.booleans())
def test_any_agreement_reads_back_equal(agreement: Agreement, comments: bool) -> None:
    text = dump_agreement(agreement, comments=comments)
    assert parse_agreement(text) == agreement
    yaml.safe_load(text)  # plain YAML any tool can read
