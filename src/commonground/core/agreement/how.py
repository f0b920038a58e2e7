"""HOW of an agreement: governance, decision rules and decisions, check-ins, clauses, disputes and exit."""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from commonground.core.agreement.parts import AgreementPart, Frequency, Id, Name, SectionStatus, Text

# --- HOW: decisions ---------------------------------------------------------------------------


class RuleKind(StrEnum):
    """How a proposal is decided."""

    SIMPLE_MAJORITY = "simple_majority"
    SUPERMAJORITY = "supermajority"
    UNANIMITY = "unanimity"
    CONSENSUS = "consensus"  # passes unless a partner blocks
    CONSENT = "consent"  # passes when every reasoned objection is resolved or withdrawn
    WEIGHTED = "weighted"


class DecisionRule(AgreementPart):
    """A decision rule; one for the partnership, and optionally one per decision."""

    kind: RuleKind = RuleKind.CONSENSUS
    share: Annotated[float, Field(gt=0.5, le=1.0)] | None = None  # supermajority: share of yes votes
    weights: dict[Id, Annotated[float, Field(ge=0.0, le=1e9)]] | None = None  # weighted voting
    quota: Annotated[float, Field(gt=0.0, le=1.0)] | None = None  # weighted: share of total weight
    quorum: Annotated[int, Field(ge=1, le=50)] | None = None  # partners who must take part

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> DecisionRule:
        if self.kind is RuleKind.WEIGHTED and not self.weights:
            raise ValueError("a weighted rule needs weights: one number per partner id")
        # Voting power is counted exactly over whole units of weight: four decimals are plenty for
        # any real weighting and keep the count's numbers small.
        fine = sorted(p for p, w in (self.weights or {}).items() if round(w, 4) != w)
        if fine:
            raise ValueError(f"weights may have at most 4 decimal places ({', '.join(fine)} has more)")
        if self.kind is not RuleKind.WEIGHTED and (self.weights or self.quota is not None):
            raise ValueError(f"weights and quota belong to a weighted rule, not to {self.kind.value}")
        if self.share is not None and self.kind is not RuleKind.SUPERMAJORITY:
            raise ValueError(f"share belongs to a supermajority rule, not to {self.kind.value}")
        return self


class Position(StrEnum):
    """A partner's answer to a proposal."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    BLOCK = "block"  # consensus: stops the proposal
    OBJECT = "object"  # consent: a reasoned objection to be resolved


class Vote(AgreementPart):
    """One partner's position on a proposal, given through a representative."""

    partner: Id
    position: Position
    by: Name | None = None  # the representative who gave it
    reason: Text | None = None  # required for an objection under consent
    resolved: bool = False  # an objection resolved (by amending the proposal) or withdrawn

    @field_validator("position", mode="before")
    @classmethod
    def _yes_no_unquoted(cls, value: object) -> object:
        # YAML reads an unquoted yes/no as true/false; a vote written that way means the word.
        return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


class Decision(AgreementPart):
    """A proposal and, once decided, its outcome; the list of them is the decision log."""

    id: Id
    title: Name
    proposal: Text | None = None
    proposed_by: Id
    opened: datetime.date
    closes: datetime.date | None = None
    rule: DecisionRule | None = None  # None: the partnership's rule
    votes: list[Vote] = Field(default_factory=list, max_length=50)
    outcome: Text | None = None  # the outcome statement, once decided
    review_date: datetime.date | None = None


# --- HOW: the clauses -------------------------------------------------------------------------


class Clause(AgreementPart):
    """A clause in words with its status (communication and branding, confidentiality ...)."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    text: Text | None = None


class Governance(AgreementPart):
    """The body that steers the partnership and how often it meets."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    body: Name | None = None
    members: list[Name] = Field(default_factory=list, max_length=100)
    meets: Frequency | None = None


class Decisions(AgreementPart):
    """The partnership's decision rule and its decision log."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    rule: DecisionRule = DecisionRule()
    log: list[Decision] = Field(default_factory=list, max_length=2000)


class Checkins(AgreementPart):
    """When the partners check in on how the partnership is going."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    frequency: Frequency = Frequency.MONTHLY
    first: datetime.date | None = None


class Review(AgreementPart):
    """When the agreement as a whole is next reviewed."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    date: datetime.date | None = None


class LadderStep(StrEnum):
    """The rungs of the dispute-resolution ladder, in order."""

    LEADS = "leads"
    SENIOR_LEADERS = "senior_leaders"
    MEDIATION = "mediation"  # facilitated dialogue or mediation
    ARBITRATION_OR_EXIT = "arbitration_or_exit"


class DisputeStep(AgreementPart):
    """One rung of the ladder and how long it may take before the next."""

    step: LadderStep
    days: Annotated[int, Field(ge=1, le=365)]
    who: Text | None = None


class DisputeResolution(AgreementPart):
    """How a disagreement climbs from the leads to arbitration or exit."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    ladder: list[DisputeStep] = Field(default_factory=list, max_length=10)


class Exit(AgreementPart):
    """How a partner leaves, and what happens to shared work when it does."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    notice_days: Annotated[int, Field(ge=0, le=3650)] | None = None
    transition: Text | None = None


class How(AgreementPart):
    """HOW: governance, decisions, check-ins, communication, confidentiality, review, disputes, exit."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    governance: Governance = Governance()
    decisions: Decisions = Decisions()
    checkins: Checkins = Checkins()
    communication: Clause = Clause()  # communication and branding rules
    confidentiality: Clause = Clause()
    review: Review = Review()
    dispute_resolution: DisputeResolution = DisputeResolution()
    exit: Exit = Exit()
