"""Reads of the agreement's decisions: the list (open ones first, then the log) and one decision.

Outcomes come from ``core.agreement.decisions.decide`` over the agreement in force, under each
decision's own rule or the partnership's; voting power is the normalised Banzhaf index next to each
partner's share of the weight, shown whenever the rule in use is weighted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from commonground.core.agreement.decisions import (
    OUTCOME_WORDS,
    RULE_WORDS,
    DecisionResult,
    Outcome,
    PartnerPower,
    decide,
    partner_power,
)
from commonground.core.agreement.how import Decision as DecisionTerms
from commonground.core.agreement.how import DecisionRule, Position, RuleKind, Vote
from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.power import DEFAULT_SUPERMAJORITY
from commonground.core.agreement.who import Partner
from commonground.core.agreement.wording import share_text
from commonground.web.access import Action
from commonground.web.agreements.decision_services import decision_rule, positions_for
from commonground.web.agreements.models import Agreement, Decision
from commonground.web.agreements.selectors import agreement_in_force, record_rows
from commonground.web.partnerships.selectors import PartnershipAccess

OUTCOME_BADGES = {
    Outcome.PASSED: "aligned",
    Outcome.FAILED: "blocked",
    Outcome.PENDING: "workable",
    Outcome.NO_QUORUM: "at_risk",
}
POSITION_WORDS = {
    Position.YES: "Yes",
    Position.NO: "No",
    Position.ABSTAIN: "Abstain",
    Position.BLOCK: "Block",
    Position.OBJECT: "Object",
}


def rule_words(rule: DecisionRule) -> str:
    """A rule in words, with its share or quota and quorum."""
    words = RULE_WORDS[rule.kind]
    if rule.kind is RuleKind.SUPERMAJORITY:
        words += f" of {share_text(rule.share or DEFAULT_SUPERMAJORITY)}"
    if rule.kind is RuleKind.WEIGHTED:
        words += (
            f", quota {share_text(rule.quota)}" if rule.quota is not None else ", more than half the weight"
        )
    if rule.quorum is not None:
        words += f"; quorum {rule.quorum} partners"
    return words


@dataclass(frozen=True)
class DecisionRow:
    """One decision with its outcome under its rule today."""

    row: Decision | None  # None for a decision the agreement's text holds (read only)
    terms: DecisionTerms
    result: DecisionResult
    rule_words: str
    outcome_words: str
    badge: str
    proposed_by: str  # the partner's name, and the facilitator's when one raised it


@dataclass(frozen=True)
class DecisionsPage:
    """Open proposals, then the decision log, and the partnership's rule with each partner's power."""

    document: AgreementDocument
    open: list[DecisionRow]
    log: list[DecisionRow]
    rule_words: str
    power: list[tuple[str, PartnerPower]]  # (partner name, power) under the partnership's rule
    weighted: bool
    proposers: list[Partner]  # the partners the user may propose for


def _power(document: AgreementDocument, rule: DecisionRule) -> list[tuple[str, PartnerPower]]:
    try:
        powers = partner_power(rule, document.partner_ids())
    except ValueError:
        return []  # too many partners for the exact count, or no weight at all; the check says which
    return [(document.partner_name(p.partner), p) for p in powers]


def _rows(document: AgreementDocument, decisions: list[Decision]) -> list[DecisionRow]:
    today = timezone.localdate()
    by_slug = {d.slug: d for d in decisions}
    rows = []
    for i, terms in enumerate(document.how.decisions.log):
        result = decide(
            terms,
            index=i,
            partners=document.partner_ids(),
            default_rule=document.how.decisions.rule,
            today=today,
        )
        row = by_slug.get(terms.id)
        proposer = document.partner_name(terms.proposed_by)
        if row is not None and row.by_facilitator:
            proposer = f"{row.proposer_name} (facilitator), with {proposer}"
        rows.append(
            DecisionRow(
                row,
                terms,
                result,
                rule_words(result.rule),
                OUTCOME_WORDS[result.outcome],
                OUTCOME_BADGES[result.outcome],
                proposer,
            )
        )
    return rows


def decisions_page(*, access: PartnershipAccess, agreement: Agreement) -> DecisionsPage:
    """The decisions tab (four queries: the records of the agreement in force)."""
    rows = record_rows(agreement)
    document = agreement_in_force(agreement, rows=rows)
    listed = _rows(document, rows.decisions)
    rule = document.how.decisions.rule
    if access.facilitator:
        proposers = list(document.who.partners)
    else:
        proposers = [
            p
            for p in document.who.partners
            if (org := agreement.partner_organisations.get(p.id)) is not None
            and access.can_in(int(org), Action.EDIT)
        ]
    return DecisionsPage(
        document=document,
        open=[r for r in listed if r.result.outcome is Outcome.PENDING and not (r.row and r.row.decided_at)],
        log=[r for r in listed if r.result.outcome is not Outcome.PENDING or (r.row and r.row.decided_at)],
        rule_words=rule_words(rule),
        power=_power(document, rule),
        weighted=rule.kind is RuleKind.WEIGHTED,
        proposers=proposers,
    )


def vote_choices(agreement: Agreement, decision: Decision) -> list[tuple[str, str]]:
    """The positions a partner may take on a decision, as form choices (no query)."""
    terms = AgreementDocument.model_validate(agreement.document)
    return [(p.value, POSITION_WORDS[p]) for p in positions_for(decision_rule(terms, decision))]


def decision_row(*, agreement: Agreement, slug: str) -> Decision | None:
    """One stored decision of the agreement by its id (one query); None for any other id."""
    return Decision.objects.filter(agreement=agreement, slug=slug).first()


def is_voting_open(row: Decision | None) -> bool:
    """Whether partners may still vote on a decision: a stored one, not decided, not past its closing
    day (one the agreement's text holds is read only)."""
    today = timezone.localdate()
    return row is not None and row.decided_at is None and (row.closes is None or today <= row.closes)


@dataclass(frozen=True)
class PartnerVote:
    """Where one partner stands on the decision, and what the user may do for it."""

    partner: Partner
    vote: Vote | None
    position_words: str
    may_vote: bool
    may_resolve: bool  # its objection or block is open and the user represents it


@dataclass(frozen=True)
class DecisionPage:
    """One decision: the proposal, each partner's vote, the outcome by the rule, the power table."""

    document: AgreementDocument
    decision: DecisionRow
    votes: list[PartnerVote]
    positions: list[tuple[str, str]]  # the choices under its rule
    voting_open: bool
    may_record_outcome: bool
    power: list[tuple[str, PartnerPower]]
    weighted: bool


def decision_page(*, access: PartnershipAccess, agreement: Agreement, slug: str) -> DecisionPage | None:
    """One decision's page; None when the agreement has no such decision (four queries)."""
    rows = record_rows(agreement)
    document = agreement_in_force(agreement, rows=rows)
    found = next((r for r in _rows(document, rows.decisions) if r.result.decision_id == slug), None)
    if found is None:
        return None
    row, rule = found.row, found.result.rule
    voting_open = is_voting_open(row)
    latest = {v.partner: v for v in found.terms.votes}
    votes = []
    for partner in document.who.partners:
        org = agreement.partner_organisations.get(partner.id)
        represents = not access.facilitator and org is not None and access.can_in(int(org), Action.MANAGE)
        vote = latest.get(partner.id)
        objecting = (
            vote is not None and vote.position in (Position.OBJECT, Position.BLOCK) and not vote.resolved
        )
        votes.append(
            PartnerVote(
                partner,
                vote,
                POSITION_WORDS[vote.position] if vote else "Not yet",
                may_vote=voting_open and represents,
                may_resolve=voting_open and represents and objecting,
            )
        )
    return DecisionPage(
        document=document,
        decision=found,
        votes=votes,
        positions=[(p.value, POSITION_WORDS[p]) for p in positions_for(rule)],
        voting_open=voting_open,
        may_record_outcome=(
            row is not None
            and row.decided_at is None
            and found.result.outcome is not Outcome.PENDING
            and not access.facilitator
            and access.can(Action.EDIT)
        ),
        power=_power(document, rule),
        weighted=rule.kind is RuleKind.WEIGHTED,
    )
