"""Partnership agreement, format version 1: what partners agree, as data every later stage reads.

The four sections follow the Partnering Agreement Scorecard (The Partnering Initiative and the
Partnership Brokers Association): WHO is partnering, WHY (vision, objectives, principles), WHAT
(workstreams, tasks with RACI roles, commitments, KPIs, social return) and HOW (governance, decision
rules and decisions, check-ins, communication, confidentiality, review, dispute resolution, exit).
Every section and every clause of HOW carries a status, so a half-written agreement says so.

Partners are referred to by their ``id`` everywhere else in the file; people in RACI roles by a
partner id (the organisation) or a representative's name. Cross-references (an unknown partner id,
a KPI linked to a KPI that does not exist, two tasks with one id) are checked by
:func:`commonground.core.agreement.references.reference_problems`, which names the field path of
each, rather than here, so that the loader can report every one of them at once with its line.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commonground.core.profiles import SdgNumber

FORMAT_VERSION = 1

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Source = Annotated[str, Field(min_length=1, max_length=500)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Money = Annotated[float, Field(ge=0.0, le=1e13)]
Number = Annotated[float, Field(ge=-1e15, le=1e15)]


class _Model(BaseModel):
    """Base for every agreement part: unknown fields are errors, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class SectionStatus(StrEnum):
    """How far a section or clause is settled (the Scorecard's four answers)."""

    NOT_RELEVANT = "not_relevant"
    NOT_IN_PLACE = "not_in_place"
    PARTIALLY = "partially"
    FULLY = "fully"


# --- WHO --------------------------------------------------------------------------------------


class Representative(_Model):
    """A person who speaks, votes and signs for a partner."""

    name: Name
    role: Name | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None


class Partner(_Model):
    """One partner organisation."""

    id: Id
    name: Name
    representatives: list[Representative] = Field(default_factory=list, max_length=50)
    # Recognition: what this partner brings, in its own words, shown on the page and in reports.
    contribution: Text | None = None


class Who(_Model):
    """WHO: the partners and the people who represent them."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    partners: list[Partner] = Field(min_length=2, max_length=50)


# --- WHY --------------------------------------------------------------------------------------


class Objective(_Model):
    """An objective the partners share."""

    id: Id | None = None
    text: Text
    sdgs: list[SdgNumber] = Field(default_factory=list, max_length=17)
    source: Source | None = None  # where a drafted item came from


class PartnerObjective(_Model):
    """One partner's own objective in the partnership."""

    partner: Id
    text: Text
    source: Source | None = None


class Principle(_Model):
    """A value or principle the partners agree to work by."""

    text: Text
    source: Source | None = None


class Why(_Model):
    """WHY: shared vision, joint mission, objectives and principles."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    shared_vision: Text | None = None
    joint_mission: Text | None = None
    shared_objectives: list[Objective] = Field(default_factory=list, max_length=200)
    partner_objectives: list[PartnerObjective] = Field(default_factory=list, max_length=500)
    principles: list[Principle] = Field(default_factory=list, max_length=200)


# --- WHAT: work and roles ---------------------------------------------------------------------


class Task(_Model):
    """A task or activity with its RACI roles; each role lists partner ids or representatives' names."""

    id: Id
    name: Name
    start: datetime.date | None = None
    due: datetime.date | None = None
    done: bool = False
    responsible: list[Name] = Field(default_factory=list, max_length=50)
    accountable: list[Name] = Field(default_factory=list, max_length=50)
    consulted: list[Name] = Field(default_factory=list, max_length=50)
    informed: list[Name] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Task:
        if self.start and self.due and self.due < self.start:
            raise ValueError(f"due ({self.due}) is before start ({self.start})")
        return self


class Workstream(_Model):
    """A strand of joint work and its tasks."""

    id: Id
    name: Name
    description: Text | None = None
    tasks: list[Task] = Field(default_factory=list, max_length=1000)


# --- WHAT: commitments ------------------------------------------------------------------------


class CommitmentKind(StrEnum):
    """What a partner commits."""

    MONEY = "money"
    IN_KIND = "in_kind"
    STAFF_TIME = "staff_time"
    DELIVERABLE = "deliverable"


class Fulfilment(_Model):
    """Part or all of a commitment delivered on a date."""

    date: datetime.date
    value: Money | None = None  # in the agreement's currency, where one can be given
    note: Text | None = None


class Commitment(_Model):
    """Who owes what to whom by when."""

    id: Id
    by: Id  # the partner who commits
    to: Id = "partnership"  # a partner id, or the partnership as a whole
    kind: CommitmentKind
    description: Text
    value: Money | None = None  # worth in the agreement's currency, where one can be given
    due: datetime.date
    met: bool = False  # set when delivered in full, whatever the recorded values add up to
    fulfilment: list[Fulfilment] = Field(default_factory=list, max_length=1000)


# --- WHAT: KPIs -------------------------------------------------------------------------------


class KpiCategory(StrEnum):
    """The four families of measures a partnership reports."""

    FINANCIAL = "financial"
    SOCIAL = "social"
    ENVIRONMENTAL = "environmental"
    RELATIONSHIP = "relationship"


class Direction(StrEnum):
    """Which way is better."""

    INCREASE = "increase"
    DECREASE = "decrease"


class Frequency(StrEnum):
    """How often something happens: measurement, meetings, check-ins."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TWICE_A_YEAR = "twice_a_year"
    ANNUALLY = "annually"


class Point(_Model):
    """A value on a date: a baseline or a target."""

    value: Number
    date: datetime.date


class Measurement(_Model):
    """One reading of a KPI."""

    date: datetime.date
    value: Number
    note: Text | None = None
    evidence: Annotated[str, Field(max_length=2000)] | None = None  # a link or a document name


class Kpi(_Model):
    """A key performance indicator, with the fields of USAID's Performance Indicator Reference Sheet."""

    id: Id
    name: Name
    category: KpiCategory
    definition: Text | None = None
    unit: Name
    calculation: Text | None = None
    disaggregation: Text | None = None
    data_source: Text | None = None
    owner: Id | None = None  # the partner who reports it
    frequency: Frequency = Frequency.QUARTERLY
    direction: Direction = Direction.INCREASE
    baseline: Point
    targets: list[Point] = Field(min_length=1, max_length=100)
    # Our bands (adjustable per KPI): on track at >= 90% of the progress the straight line from
    # baseline to target expects by now, at risk from 75%, off track below.
    on_track_at: Share = 0.9
    at_risk_at: Share = 0.75
    partner: Id | None = None  # set for one partner's own KPI; None for a joint KPI
    linked_to: Id | None = None  # the joint KPI a partner's own KPI feeds
    measurements: list[Measurement] = Field(default_factory=list, max_length=10000)

    @model_validator(mode="after")
    def _consistent(self) -> Kpi:
        if self.at_risk_at > self.on_track_at:
            raise ValueError(
                f"at_risk_at ({self.at_risk_at:g}) must not be above on_track_at ({self.on_track_at:g})"
            )
        for target in self.targets:
            if target.date <= self.baseline.date:
                raise ValueError(
                    f"target dated {target.date} is not after the baseline date {self.baseline.date}"
                )
        return self


# --- WHAT: social return on investment ---------------------------------------------------------


class SroiInput(_Model):
    """What a partner puts in, valued in money (the SROI denominator)."""

    partner: Id
    value: Money
    note: Text | None = None


class SroiOutcome(_Model):
    """One outcome valued by the Social Value UK method; the proxy is the partners' own, with its source."""

    name: Name
    stakeholder: Name | None = None
    quantity: Annotated[float, Field(ge=0.0, le=1e12)]
    proxy: Money  # value of one unit of the outcome, in the agreement's currency
    proxy_source: Text
    deadweight: Share = 0.0
    displacement: Share = 0.0
    attribution: Share = 0.0
    drop_off: Share = 0.0  # share lost each year after the first
    years: Annotated[int, Field(ge=1, le=50)] = 1


class Sroi(_Model):
    """The inputs and outcomes of a social return on investment forecast or evaluation."""

    discount_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.035
    inputs: list[SroiInput] = Field(min_length=1, max_length=200)
    outcomes: list[SroiOutcome] = Field(min_length=1, max_length=200)


# --- HOW: decisions ---------------------------------------------------------------------------


class RuleKind(StrEnum):
    """How a proposal is decided."""

    SIMPLE_MAJORITY = "simple_majority"
    SUPERMAJORITY = "supermajority"
    UNANIMITY = "unanimity"
    CONSENSUS = "consensus"  # passes unless a partner blocks
    CONSENT = "consent"  # passes when every reasoned objection is resolved or withdrawn
    WEIGHTED = "weighted"


class DecisionRule(_Model):
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


class Vote(_Model):
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


class Decision(_Model):
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


class Clause(_Model):
    """A clause in words with its status (communication and branding, confidentiality ...)."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    text: Text | None = None


class Governance(_Model):
    """The body that steers the partnership and how often it meets."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    body: Name | None = None
    members: list[Name] = Field(default_factory=list, max_length=100)
    meets: Frequency | None = None


class Decisions(_Model):
    """The partnership's decision rule and its decision log."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    rule: DecisionRule = DecisionRule()
    log: list[Decision] = Field(default_factory=list, max_length=2000)


class Checkins(_Model):
    """When the partners check in on how the partnership is going."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    frequency: Frequency = Frequency.MONTHLY
    first: datetime.date | None = None


class Review(_Model):
    """When the agreement as a whole is next reviewed."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    date: datetime.date | None = None


class LadderStep(StrEnum):
    """The rungs of the dispute-resolution ladder, in order."""

    LEADS = "leads"
    SENIOR_LEADERS = "senior_leaders"
    MEDIATION = "mediation"  # facilitated dialogue or mediation
    ARBITRATION_OR_EXIT = "arbitration_or_exit"


class DisputeStep(_Model):
    """One rung of the ladder and how long it may take before the next."""

    step: LadderStep
    days: Annotated[int, Field(ge=1, le=365)]
    who: Text | None = None


class DisputeResolution(_Model):
    """How a disagreement climbs from the leads to arbitration or exit."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    ladder: list[DisputeStep] = Field(default_factory=list, max_length=10)


class Exit(_Model):
    """How a partner leaves, and what happens to shared work when it does."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    notice_days: Annotated[int, Field(ge=0, le=3650)] | None = None
    transition: Text | None = None


class How(_Model):
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


class What(_Model):
    """WHAT: workstreams and tasks with roles, commitments, KPIs and the social return."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    workstreams: list[Workstream] = Field(default_factory=list, max_length=200)
    commitments: list[Commitment] = Field(default_factory=list, max_length=2000)
    kpis: list[Kpi] = Field(default_factory=list, max_length=500)
    sroi: Sroi | None = None


# --- the agreement ----------------------------------------------------------------------------


class OpenItemKind(StrEnum):
    """Why an item is open."""

    QUESTION = "question"  # a question to settle first, from the assessment
    RED_LINE = "red_line"  # a partner's red line the agreement must reflect
    OTHER = "other"


class OpenItem(_Model):
    """Something the partners still have to decide or write into a clause."""

    text: Text
    kind: OpenItemKind = OpenItemKind.OTHER
    partner: Id | None = None  # whose red line or question it is, where it is one partner's
    source: Source | None = None
    resolved: bool = False
    where: Text | None = None  # where the agreement settles it (a clause, a principle ...)


class Agreement(_Model):
    """A partnership agreement, format version 1."""

    kind: Literal["agreement"] = "agreement"
    version: Literal[1] = 1
    title: Name
    state: Literal["draft", "agreed"] = "draft"  # "agreed" only once every partner has signed
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    who: Who
    why: Why = Why()
    what: What = What()
    how: How = How()
    # Each partner's benefit as it rates it (any non-negative scale; shares are what count).
    benefits: dict[Id, Annotated[float, Field(ge=0.0, le=1e12)]] = Field(default_factory=dict)
    open_items: list[OpenItem] = Field(default_factory=list, max_length=500)

    def partner_ids(self) -> list[str]:
        """The partners' ids in file order."""
        return [partner.id for partner in self.who.partners]

    def assignee_partner(self, assignee: str) -> str | None:
        """The partner id behind a RACI assignee (a partner id or a representative's name)."""
        for partner in self.who.partners:
            if assignee == partner.id or any(rep.name == assignee for rep in partner.representatives):
                return partner.id
        return None

    def partner_name(self, partner_id: str) -> str:
        """A partner's name from its id (the id itself if unknown)."""
        return next((p.name for p in self.who.partners if p.id == partner_id), partner_id)
