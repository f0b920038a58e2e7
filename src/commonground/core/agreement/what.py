"""WHAT of an agreement: workstreams and tasks with RACI roles, commitments, KPIs and the social return."""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from commonground.core.agreement.parts import (
    AgreementPart,
    Frequency,
    Id,
    Money,
    Name,
    Number,
    SectionStatus,
    Share,
    Text,
)

# --- WHAT: work and roles ---------------------------------------------------------------------


class Task(AgreementPart):
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


class Workstream(AgreementPart):
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


class Fulfilment(AgreementPart):
    """Part or all of a commitment delivered on a date."""

    date: datetime.date
    value: Money | None = None  # in the agreement's currency, where one can be given
    note: Text | None = None


class Commitment(AgreementPart):
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


class Point(AgreementPart):
    """A value on a date: a baseline or a target."""

    value: Number
    date: datetime.date


class Measurement(AgreementPart):
    """One reading of a KPI."""

    date: datetime.date
    value: Number
    note: Text | None = None
    evidence: Annotated[str, Field(max_length=2000)] | None = None  # a link or a document name


class Kpi(AgreementPart):
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


class SroiInput(AgreementPart):
    """What a partner puts in, valued in money (the SROI denominator)."""

    partner: Id
    value: Money
    note: Text | None = None


class SroiOutcome(AgreementPart):
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


class Sroi(AgreementPart):
    """The inputs and outcomes of a social return on investment forecast or evaluation."""

    discount_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.035
    inputs: list[SroiInput] = Field(min_length=1, max_length=200)
    outcomes: list[SroiOutcome] = Field(min_length=1, max_length=200)


# --- WHAT -----------------------------------------------------------------------------------------------


class What(AgreementPart):
    """WHAT: workstreams and tasks with roles, commitments, KPIs and the social return."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    workstreams: list[Workstream] = Field(default_factory=list, max_length=200)
    commitments: list[Commitment] = Field(default_factory=list, max_length=2000)
    kpis: list[Kpi] = Field(default_factory=list, max_length=500)
    sroi: Sroi | None = None
