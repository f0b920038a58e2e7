"""Decisions: the outcome of each proposal under its rule, and each partner's voting power.

A decision uses its own rule when it has one, otherwise the partnership's (``how.decisions.rule``).
Only partners vote; a partner's latest vote in the list is the one that counts. Our readings, where
rule names leave room:

- **simple majority**: passes when more partners vote yes than no; abstentions do not count, a tie
  fails. Under any voting rule (majority, supermajority, weighted) a block or an objection counts
  as a no, since those rules have no veto.
- **supermajority**: passes when yes votes are at least the stated share (default two thirds) of the
  partners voting yes or no.
- **unanimity**: passes when every partner of the agreement votes yes (an abstention stops it).
- **consensus**: passes when no partner blocks; an unresolved objection counts as a block, a plain no
  is standing aside.
- **consent**: passes when every objection (and block) is resolved or withdrawn. An objection must
  give its reason; one without a reason is a problem to fix and still stops the proposal until it
  is resolved, so no one's objection is dropped on a technicality.
- **weighted**: passes when the yes weight reaches the quota share of all partners' weight, or is
  more than half of it when no quota is stated.

Quorum is the number of partners taking part (any vote, abstentions included): the rule's
``quorum``, or more than half of the partners (:func:`default_quorum`). A decision is **pending**
while its closing date has not passed and some partner has not voted (under consent, also while an
objection is being worked through); with no closing date it stays pending until then. Once
closed: **no quorum** when too few took part, else **passed** or **failed** under the rule.
Voting power is in :mod:`commonground.core.agreement.power`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from commonground.core.agreement.findings import CheckPart, Finding, Level, Table
from commonground.core.agreement.how import Decision, DecisionRule, Position, RuleKind, Vote
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.power import (
    DEFAULT_SUPERMAJORITY,
    MAX_PARTNERS,
    rule_power,
    rule_weights,
)
from commonground.core.agreement.wording import share_text

POWER_GAP = 0.10  # warn when a partner's power share and weight share differ by more than this

RULE_WORDS = {
    RuleKind.SIMPLE_MAJORITY: "simple majority",
    RuleKind.SUPERMAJORITY: "supermajority",
    RuleKind.UNANIMITY: "unanimity",
    RuleKind.CONSENSUS: "consensus",
    RuleKind.CONSENT: "consent",
    RuleKind.WEIGHTED: "weighted voting",
}


class Outcome(StrEnum):
    """Where a proposal stands."""

    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"
    NO_QUORUM = "no_quorum"


@dataclasses.dataclass(frozen=True)
class Standing:
    """Whether the votes as cast carry a proposal under a rule, and why, in words."""

    passes: bool
    reason: str


@dataclasses.dataclass(frozen=True)
class DecisionResult:
    """One proposal of the log under its rule."""

    index: int  # position in how.decisions.log
    decision_id: str
    title: str
    rule: DecisionRule
    rule_is_own: bool  # the decision states its own rule
    is_open: bool
    taking_part: tuple[str, ...]  # partner ids who voted, in partner order
    quorum: int
    outcome: Outcome
    standing: Standing  # as the votes stand now, even while pending
    unreasoned_objections: tuple[int, ...]  # indexes into the decision's votes
    unknown_voters: tuple[int, ...]  # votes by a partner id the agreement does not have


@dataclasses.dataclass(frozen=True)
class PartnerPower:
    """A partner's weight and Banzhaf power under a rule."""

    partner: str
    weight_share: float
    power: float


def default_quorum(partner_count: int) -> int:
    """More than half of the partners."""
    return partner_count // 2 + 1


def latest_votes(votes: Sequence[Vote], partners: Sequence[str]) -> dict[str, Vote]:
    """Each partner's last vote in the list (a later vote replaces an earlier one)."""
    known = set(partners)
    return {v.partner: v for v in votes if v.partner in known}


def _is_objection(vote: Vote) -> bool:
    return vote.position in (Position.OBJECT, Position.BLOCK) and not vote.resolved


def rule_standing(rule: DecisionRule, votes: dict[str, Vote], partners: Sequence[str]) -> Standing:
    """Whether the partners' votes carry a proposal under ``rule`` (quorum and dates aside)."""
    positions = [votes[p].position if p in votes else None for p in partners]
    yes = positions.count(Position.YES)
    against = sum(1 for pos in positions if pos in (Position.NO, Position.BLOCK, Position.OBJECT))
    match rule.kind:
        case RuleKind.SIMPLE_MAJORITY:
            return Standing(yes > against, f"{yes} yes against {against} no (abstentions not counted)")
        case RuleKind.SUPERMAJORITY:
            share = rule.share if rule.share is not None else DEFAULT_SUPERMAJORITY
            voting = yes + against
            passes = voting > 0 and yes >= share * voting
            return Standing(passes, f"{yes} of {voting} voting yes; {share_text(share)} needed")
        case RuleKind.UNANIMITY:
            return Standing(yes == len(partners), f"{yes} of {len(partners)} partners yes; all needed")
        case RuleKind.CONSENSUS:
            blocks = [p for p in partners if p in votes and _is_objection(votes[p])]
            words = f"blocked by {', '.join(blocks)}" if blocks else "no partner blocks"
            return Standing(not blocks, words)
        case RuleKind.CONSENT:
            open_objections = [p for p in partners if p in votes and _is_objection(votes[p])]
            words = (
                f"objection not yet resolved: {', '.join(open_objections)}"
                if open_objections
                else "no unresolved objection"
            )
            return Standing(not open_objections, words)
        case _:
            weights = rule_weights(rule, partners)
            total = sum(weights)
            yes_weight = sum(w for w, pos in zip(weights, positions, strict=True) if pos is Position.YES)
            if rule.quota is None:
                passes = yes_weight > total / 2
                need = "more than half"
            else:
                passes = yes_weight >= rule.quota * total
                need = f"at least {share_text(rule.quota)}"
            share = yes_weight / total if total else 0.0
            return Standing(
                passes and total > 0, f"yes weight {share_text(share)} of the total; {need} needed"
            )


def decide(
    decision: Decision,
    *,
    index: int,
    partners: Sequence[str],
    default_rule: DecisionRule,
    today: datetime.date,
) -> DecisionResult:
    """The outcome of one proposal under its rule on ``today``."""
    rule = decision.rule or default_rule
    votes = latest_votes(decision.votes, partners)
    taking_part = tuple(p for p in partners if p in votes)
    quorum = rule.quorum if rule.quorum is not None else default_quorum(len(partners))
    standing = rule_standing(rule, votes, partners)
    everyone_voted = len(taking_part) == len(partners)
    before_close = decision.closes is None or today <= decision.closes
    # Under consent, objections are worked through until the closing date, so they hold it open.
    working_through = rule.kind is RuleKind.CONSENT and not standing.passes
    is_open = before_close and (not everyone_voted or working_through)
    if is_open:
        outcome = Outcome.PENDING
    elif len(taking_part) < quorum:
        outcome = Outcome.NO_QUORUM
    else:
        outcome = Outcome.PASSED if standing.passes else Outcome.FAILED
    unreasoned = tuple(
        i
        for i, v in enumerate(decision.votes)
        if rule.kind is RuleKind.CONSENT and v.position in (Position.OBJECT, Position.BLOCK) and not v.reason
    )
    known = set(partners)
    return DecisionResult(
        index=index,
        decision_id=decision.id,
        title=decision.title,
        rule=rule,
        rule_is_own=decision.rule is not None,
        is_open=is_open,
        taking_part=taking_part,
        quorum=quorum,
        outcome=outcome,
        standing=standing,
        unreasoned_objections=unreasoned,
        unknown_voters=tuple(i for i, v in enumerate(decision.votes) if v.partner not in known),
    )


def decision_log(agreement: Agreement, *, today: datetime.date) -> tuple[DecisionResult, ...]:
    """Every proposal in the log with its outcome on ``today``, in log order."""
    partners = agreement.partner_ids()
    rule = agreement.how.decisions.rule
    return tuple(
        decide(d, index=i, partners=partners, default_rule=rule, today=today)
        for i, d in enumerate(agreement.how.decisions.log)
    )


def partner_power(rule: DecisionRule, partners: Sequence[str]) -> tuple[PartnerPower, ...]:
    """Each partner's weight share and Banzhaf power under ``rule`` (raises ValueError if it cannot)."""
    weights = rule_weights(rule, partners)
    total = sum(weights)
    power = rule_power(rule, partners)
    return tuple(
        PartnerPower(partner=p, weight_share=w / total if total else 0.0, power=pw)
        for p, w, pw in zip(partners, weights, power, strict=True)
    )


OUTCOME_WORDS = {
    Outcome.PASSED: "passed",
    Outcome.FAILED: "failed",
    Outcome.PENDING: "pending",
    Outcome.NO_QUORUM: "no quorum",
}


def _rule_words(rule: DecisionRule) -> str:
    words = RULE_WORDS[rule.kind]
    if rule.kind is RuleKind.SUPERMAJORITY:
        words += f" ({share_text(rule.share or DEFAULT_SUPERMAJORITY)})"
    if rule.kind is RuleKind.WEIGHTED:
        words += f" (quota {share_text(rule.quota)})" if rule.quota is not None else " (more than half)"
    return words


def _decision_findings(agreement: Agreement, result: DecisionResult) -> list[Finding]:
    path = f"how.decisions.log[{result.index}]"
    decision = agreement.how.decisions.log[result.index]
    found: list[Finding] = []
    for i in result.unreasoned_objections:
        found.append(
            Finding(
                f"{path}.votes[{i}].reason",
                Level.PROBLEM,
                "decisions.objection_without_reason",
                f"{agreement.partner_name(decision.votes[i].partner)} objects to “{result.title}” without "
                "a reason; under consent an objection says how the proposal harms the shared aim.",
            )
        )
    for i in result.unknown_voters:
        found.append(
            Finding(
                f"{path}.votes[{i}].partner",
                Level.PROBLEM,
                "decisions.unknown_voter",
                f"“{decision.votes[i].partner}” voted on “{result.title}” but is not a partner; "
                "the vote is not counted.",
            )
        )
    if result.outcome is Outcome.NO_QUORUM:
        found.append(
            Finding(
                path,
                Level.WARNING,
                "decisions.no_quorum",
                f"“{result.title}” closed with {len(result.taking_part)} partners taking part; "
                f"{result.quorum} were needed.",
            )
        )
    elif result.outcome is Outcome.PENDING:
        closes = f", closes {decision.closes.isoformat()}" if decision.closes else ", no closing date"
        found.append(
            Finding(
                path,
                Level.INFO,
                "decisions.pending",
                f"“{result.title}” is open ({len(result.taking_part)} of "
                f"{len(agreement.who.partners)} partners have voted{closes}).",
            )
        )
    else:
        if decision.outcome is None:
            found.append(
                Finding(
                    f"{path}.outcome",
                    Level.INFO,
                    "decisions.no_outcome_statement",
                    f"“{result.title}” {OUTCOME_WORDS[result.outcome]} under {_rule_words(result.rule)}; "
                    "write the outcome statement for the log.",
                )
            )
        if result.outcome is Outcome.PASSED and decision.review_date is None:
            found.append(
                Finding(
                    f"{path}.review_date",
                    Level.INFO,
                    "decisions.no_review_date",
                    f"“{result.title}” passed with no date to review it.",
                )
            )
    return found


def _power_findings(
    agreement: Agreement, rule: DecisionRule, path: str
) -> tuple[list[Finding], list[dict[str, Any]]]:
    partners = agreement.partner_ids()
    try:
        powers = partner_power(rule, partners)
    except ValueError as exc:
        return [Finding(path, Level.PROBLEM, "decisions.power_not_computed", f"Voting power: {exc}.")], []
    found: list[Finding] = []
    for pw in powers:
        if rule.kind is RuleKind.WEIGHTED and abs(pw.power - pw.weight_share) > POWER_GAP:
            found.append(
                Finding(
                    f"{path}.weights",
                    Level.WARNING,
                    "decisions.power_differs_from_weight",
                    f"{agreement.partner_name(pw.partner)} holds {share_text(pw.weight_share)} of the weight "
                    f"but {share_text(pw.power)} of the voting power (Banzhaf): "
                    "is that the balance you intend?",
                )
            )
    rows = [{"partner": p.partner, "weight_share": p.weight_share, "power": p.power} for p in powers]
    return found, rows


def decisions_part(agreement: Agreement, *, today: datetime.date) -> CheckPart:
    """Decision outcomes and voting power as a check part."""
    results = decision_log(agreement, today=today)
    findings: list[Finding] = []
    for result in results:
        findings.extend(_decision_findings(agreement, result))
    rule = agreement.how.decisions.rule
    power_found, power_rows = _power_findings(agreement, rule, "how.decisions.rule")
    findings.extend(power_found)
    for result in results:
        if result.rule_is_own and result.rule.kind is RuleKind.WEIGHTED:
            findings.extend(
                _power_findings(agreement, result.rule, f"how.decisions.log[{result.index}].rule")[0]
            )
    log_table = Table(
        title="Decision log",
        columns=("Decision", "Rule", "Taking part", "Outcome", "Why"),
        rows=tuple(
            (
                r.title,
                _rule_words(r.rule),
                f"{len(r.taking_part)} of {len(agreement.who.partners)} (quorum {r.quorum})",
                OUTCOME_WORDS[r.outcome],
                r.standing.reason,
            )
            for r in results
        ),
    )
    power_table = Table(
        title=f"Voting power under {_rule_words(rule)}",
        columns=("Partner", "Weight share", "Power (Banzhaf)"),
        rows=tuple(
            (
                agreement.partner_name(row["partner"]),
                share_text(row["weight_share"]),
                share_text(row["power"]),
            )
            for row in power_rows
        ),
    )
    figures: dict[str, Any] = {
        "rule": rule.kind.value,
        "power_gap_threshold": POWER_GAP,
        "banzhaf_max_partners": MAX_PARTNERS,
        "power": power_rows,
        "decisions": [
            {
                "id": r.decision_id,
                "title": r.title,
                "rule": r.rule.kind.value,
                "open": r.is_open,
                "taking_part": list(r.taking_part),
                "quorum": r.quorum,
                "outcome": r.outcome.value,
                "passes_as_votes_stand": r.standing.passes,
                "reason": r.standing.reason,
            }
            for r in results
        ],
    }
    tables = (log_table, power_table) if results else (power_table,)
    return CheckPart(
        name="decisions", title="Decisions", findings=tuple(findings), tables=tables, figures=figures
    )
