"""The shapes of the agreement's records over the API (agreement_record_routes.py,
agreement_decision_routes.py): KPI readings, deliveries on commitments, decisions, votes, objections
resolved and outcomes recorded. The bodies carry the fields of the pages' forms (``tracking_forms``,
``decision_forms``), which decide what is valid; the answers reuse the agreement format's own models
where it has them."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Schema
from ninja.params import functions as param
from pydantic import Field, WithJsonSchema

from commonground.core.agreement.decisions import Outcome
from commonground.core.agreement.how import DecisionRule, Position, RuleKind, Vote

# An id in the agreement format (a KPI's, a commitment's, a decision's, a partner's) in a path: one the
# agreement does not name is 404 whatever its length or characters (not 422), as docs/api.md says.
FormatId = Annotated[
    str,
    WithJsonSchema({"type": "string", "maxLength": 64, "pattern": r"^[A-Za-z0-9_.-]+$"}),
    param.Path(),
]


class ReadingOut(Schema):
    """One reading of a KPI as stored beside the terms (``entered_by``: the name it was entered under)."""

    id: int
    kpi: str
    date: datetime.date
    value: float
    note: str
    evidence: str
    entered_by: str
    created_at: datetime.datetime


class ReadingList(Schema):
    """A page of a KPI's stored readings, oldest first."""

    items: list[ReadingOut]
    count: int
    limit: int
    offset: int


class ReadingIn(Schema):
    """A reading, as the KPI page's form takes it (its checks decide: a date not in the future nor
    before the KPI's baseline, a value within ±10^15)."""

    date: datetime.date
    value: float
    note: str = Field("", max_length=4000)
    evidence: str = Field("", max_length=2000)


class DeliveryOut(Schema):
    """Part or all of a commitment delivered, as stored (``value`` in the agreement's currency)."""

    id: int
    commitment: str
    date: datetime.date
    value: float | None
    note: str
    met_in_full: bool
    entered_by: str
    created_at: datetime.datetime


class DeliveryList(Schema):
    """A page of a commitment's stored deliveries, oldest first."""

    items: list[DeliveryOut]
    count: int
    limit: int
    offset: int


class DeliveryIn(Schema):
    """A delivery, as the commitment's Record form takes it: a value, a note or ``met_in_full``."""

    date: datetime.date
    value: float | None = None
    note: str = Field("", max_length=4000)
    met_in_full: bool = False


class DecisionOut(Schema):
    """A decision with the votes given (each partner's latest), where it stands under its rule
    (``status``; ``rule``: the one in use, ``rule_is_own`` when the decision states it), and whether
    partners may still vote (``voting_open``)."""

    id: str
    title: str
    proposal: str | None
    proposed_by: str  # the partner id it is proposed for
    proposer: str  # the partner's name, and the facilitator's when one raised it
    opened: datetime.date
    closes: datetime.date | None
    rule: DecisionRule
    rule_is_own: bool
    votes: list[Vote]
    status: Outcome
    voting_open: bool
    outcome: str | None
    review_date: datetime.date | None


class DecisionDetailOut(DecisionOut):
    """One decision, with what the token's user may do on it now: the partner ids they may vote for
    (``can_vote_for``) and whose open objection or block they may resolve (``can_resolve_for``), and
    whether they may record its outcome (``can_record_outcome``)."""

    can_vote_for: list[str]
    can_resolve_for: list[str]
    can_record_outcome: bool


class DecisionList(Schema):
    """A page of the decisions: open proposals first, then the decision log, as the decisions tab."""

    items: list[DecisionOut]
    count: int
    limit: int
    offset: int


class DecisionIn(Schema):
    """A proposal, as the decisions tab's form takes it: for which partner (its id), closing within a
    year; optionally a rule of its own (``rule_kind``; ``share`` and ``quota`` in per cent, ``quorum``
    partners, ``weights`` per partner id), else the partnership's."""

    partner: str = Field(max_length=64)
    title: str = Field(max_length=200)
    proposal: str = Field("", max_length=4000)
    closes: datetime.date
    rule_kind: RuleKind | None = None
    share: float | None = None
    quota: float | None = None
    quorum: int | None = None
    weights: dict[str, float] | None = Field(None, max_length=50)


class VoteIn(Schema):
    """One partner's position (by its id in the agreement), with a reason for an objection or block; a
    second vote for the same partner replaces the first."""

    partner: str = Field(max_length=64)
    position: Position
    reason: str = Field("", max_length=4000)


class ResolveIn(Schema):
    """The partner (by its id in the agreement) whose open objection or block is resolved or withdrawn."""

    partner: str = Field(max_length=64)


class OutcomeIn(Schema):
    """The outcome statement of a decided proposal, as the decision page's form takes it, and optionally
    the day to review it (after today)."""

    outcome: str = Field(max_length=4000)
    review_date: datetime.date | None = None
