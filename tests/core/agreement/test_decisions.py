"""Decision outcomes under each rule: labelled cases, findings, and monotonicity (hypothesis)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from commonground.core.agreement.decisions import (
    Outcome,
    decide,
    decisions_part,
    default_quorum,
    rule_standing,
)
from commonground.core.agreement.how import Decision, DecisionRule, Position, RuleKind, Vote
from commonground.core.agreement.models import Agreement

CASES_PATH = Path(__file__).resolve().parents[2] / "data" / "agreement" / "decisions.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_labelled_decision(case: dict[str, Any]) -> None:
    decision = Decision.model_validate(
        {
            "id": "d",
            "title": case["id"],
            "proposed_by": case["partners"][0],
            "opened": "2026-01-01",
            "closes": case["closes"],
            "votes": case["votes"],
        }
    )
    result = decide(
        decision,
        index=0,
        partners=case["partners"],
        default_rule=DecisionRule.model_validate(case["rule"]),
        today=case["today"],
    )
    assert result.outcome.value == case["expect"], f"{case['reason']} ({result.standing.reason})"


def test_every_label_has_a_reason() -> None:
    assert all(c.get("reason") for c in CASES)
    assert {c["expect"] for c in CASES} == {o.value for o in Outcome}


def _agreement(
    make_agreement: Callable[..., Agreement], rule: dict[str, Any], log: list[dict[str, Any]]
) -> Agreement:
    return make_agreement(how={"decisions": {"rule": rule, "log": log}})


def test_an_objection_without_a_reason_is_a_problem_at_its_vote(
    make_agreement: Callable[..., Agreement],
) -> None:
    agreement = _agreement(
        make_agreement,
        {"kind": "consent"},
        [
            {
                "id": "d1",
                "title": "Open data",
                "proposed_by": "river",
                "opened": "2026-05-01",
                "closes": "2026-05-20",
                "votes": [{"partner": "river", "position": "yes"}, {"partner": "mill", "position": "object"}],
            }
        ],
    )
    part = decisions_part(agreement, today=datetime.date(2026, 6, 1))
    problem = next(f for f in part.findings if f.code == "decisions.objection_without_reason")
    assert problem.path == "how.decisions.log[0].votes[1].reason"
    assert "Millbrook Paper" in problem.message
    assert part.figures["decisions"][0]["outcome"] == "failed"


def test_a_later_vote_replaces_an_earlier_one(make_agreement: Callable[..., Agreement]) -> None:
    agreement = _agreement(
        make_agreement,
        {"kind": "unanimity"},
        [
            {
                "id": "d1",
                "title": "Share logo",
                "proposed_by": "river",
                "opened": "2026-05-01",
                "closes": "2026-05-20",
                "votes": [{"partner": p, "position": "yes"} for p in ("river", "mill", "town")]
                + [{"partner": "mill", "position": "no"}],
            }
        ],
    )
    assert (
        decisions_part(agreement, today=datetime.date(2026, 6, 1)).figures["decisions"][0]["outcome"]
        == "failed"
    )


def test_a_weighted_rule_shows_power_next_to_weight(make_agreement: Callable[..., Agreement]) -> None:
    agreement = _agreement(
        make_agreement, {"kind": "weighted", "weights": {"river": 49, "mill": 49, "town": 2}}, []
    )
    part = decisions_part(agreement, today=datetime.date(2026, 6, 1))
    town = part.figures["power"][2]
    assert town["weight_share"] == pytest.approx(0.02)
    assert town["power"] == pytest.approx(1 / 3)
    flagged = [f for f in part.findings if f.code == "decisions.power_differs_from_weight"]
    assert any(
        "Town Council holds 2% of the weight but 33% of the voting power" in f.message for f in flagged
    )
    assert part.tables[-1].rows[2] == ("Town Council", "2%", "33%")


def test_weights_that_match_power_raise_no_warning(make_agreement: Callable[..., Agreement]) -> None:
    agreement = _agreement(
        make_agreement, {"kind": "weighted", "weights": {"river": 1, "mill": 1, "town": 1}}, []
    )
    part = decisions_part(agreement, today=datetime.date(2026, 6, 1))
    assert not [f for f in part.findings if f.code == "decisions.power_differs_from_weight"]


PARTNERS = ["a", "b", "c", "d", "e"]
positions = st.sampled_from(list(Position))
rules = st.one_of(
    st.sampled_from([RuleKind.SIMPLE_MAJORITY, RuleKind.UNANIMITY, RuleKind.CONSENSUS, RuleKind.CONSENT]).map(
        lambda kind: DecisionRule(kind=kind)
    ),
    st.floats(min_value=0.51, max_value=1.0).map(
        lambda s: DecisionRule(kind=RuleKind.SUPERMAJORITY, share=s)
    ),
    st.tuples(
        st.lists(st.integers(min_value=0, max_value=50), min_size=5, max_size=5).filter(lambda w: sum(w) > 0),
        st.one_of(st.none(), st.floats(min_value=0.05, max_value=1.0)),
    ).map(
        lambda wq: DecisionRule(
            kind=RuleKind.WEIGHTED, weights=dict(zip(PARTNERS, wq[0], strict=True)), quota=wq[1]
        )
    ),
)
ballots = st.dictionaries(st.sampled_from(PARTNERS), positions)


def _votes(ballot: dict[str, Position]) -> list[Vote]:
    return [Vote(partner=p, position=pos, reason="harms the aim") for p, pos in sorted(ballot.items())]


@given(rules, ballots, st.sampled_from(PARTNERS), st.booleans())
def test_one_more_yes_never_turns_passed_into_failed(
    rule: DecisionRule, ballot: dict[str, Position], voter: str, closed: bool
) -> None:
    today = datetime.date(2026, 6, 1)
    closes = today - datetime.timedelta(days=1) if closed else today + datetime.timedelta(days=1)

    def outcome(b: dict[str, Position]) -> Outcome:
        decision = Decision(
            id="d",
            title="t",
            proposed_by="a",
            opened=datetime.date(2026, 1, 1),
            closes=closes,
            votes=_votes(b),
        )
        return decide(decision, index=0, partners=PARTNERS, default_rule=rule, today=today).outcome

    if outcome(ballot) is Outcome.PASSED:
        assert outcome({**ballot, voter: Position.YES}) is Outcome.PASSED


@given(rules, ballots)
def test_everyone_yes_passes_every_rule(rule: DecisionRule, ballot: dict[str, Position]) -> None:
    all_yes = {p: Vote(partner=p, position=Position.YES) for p in PARTNERS}
    weights_total = sum(rule.weights.values()) if rule.weights else 1
    assert rule_standing(rule, all_yes, PARTNERS).passes == (weights_total > 0)


@given(
    st.sampled_from([RuleKind.UNANIMITY, RuleKind.CONSENSUS, RuleKind.CONSENT]),
    ballots,
    st.sampled_from(PARTNERS),
)
def test_a_block_stops_every_veto_rule(kind: RuleKind, ballot: dict[str, Position], blocker: str) -> None:
    votes = {p: Vote(partner=p, position=pos) for p, pos in {**ballot, blocker: Position.BLOCK}.items()}
    assert not rule_standing(DecisionRule(kind=kind), votes, PARTNERS).passes


@given(st.integers(min_value=1, max_value=50))
def test_default_quorum_is_more_than_half(n: int) -> None:
    assert default_quorum(n) > n / 2 >= default_quorum(n) - 1
