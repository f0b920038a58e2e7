"""The shapes the API answers with (besides the profile format's and the result's own pydantic models,
which it uses as they are: ``core.profiles.Profile``, ``core.results.AssessmentResult``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from ninja.params import functions as param
from pydantic import BeforeValidator, Field

from commonground.core.agreement.parts import Frequency
from commonground.core.agreement.what import Commitment, Kpi
from commonground.core.profiles import Stance  # the register's stances are the profile format's
from commonground.web.api.errors import ErrorOut
from commonground.web.partnerships.models import InitiativeLevel

# Lists are read a page at a time: ``?limit=`` (at most MAX_LIMIT) and ``?offset=``.
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
# Ids beyond a 64-bit integer cannot exist, and the database would refuse to look them up.
MAX_ID = 2**63 - 1

# Parameters: ids in the path, a page of a list in the query (out of range: 422 naming the parameter).
Id = Annotated[int, param.Path(ge=1, le=MAX_ID)]
# The characters of an organisation's slug (``organisations.naming.OrganisationSlugConverter``).
Slug = Annotated[str, param.Path(max_length=80, pattern=r"^[-\w]+$")]
Limit = Annotated[int, param.Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, param.Query(ge=0, le=MAX_OFFSET)]


class OrganisationOut(Schema):
    """An organisation the token reaches, with the user's role in it."""

    slug: str
    name: str
    kind: str
    location: str
    role: str
    version: int
    updated_at: datetime


class OrganisationList(Schema):
    """The organisations the token reaches, by name."""

    items: list[OrganisationOut]
    count: int


class PartnershipSummary(Schema):
    """A partnership the token reaches, with its active partners; ``facilitator`` when reached as one."""

    id: int
    name: str
    status: str
    partners: list[str]
    facilitator: bool


class PartnershipOut(PartnershipSummary):
    """A partnership with the token user's role in it (``viewer`` in a closed one: it is kept read only)."""

    role: str


class PartnershipList(Schema):
    """A page of the partnerships the token reaches, by name."""

    items: list[PartnershipSummary]
    count: int
    limit: int
    offset: int


class ProfileVersionOut(Schema):
    """Which version of a partner's profile an assessment used."""

    organisation_id: int
    name: str
    version: int
    fingerprint: str | None = None


class AssessmentOut(Schema):
    """A stored assessment: when, by whom, the headline numbers and the profile versions it used."""

    id: int
    partnership_id: int
    created_at: datetime
    created_by: str | None
    score: float
    verdict: str
    open_conflicts: int
    profile_versions: list[ProfileVersionOut]


class AssessmentList(Schema):
    """A page of a partnership's assessments, newest first."""

    items: list[AssessmentOut]
    count: int
    limit: int
    offset: int


def errors(*codes: int) -> dict[int, Any]:
    """Response declarations for the error answers an operation can give (all ``ErrorOut``)."""
    return dict.fromkeys((401, 404, 422, 429, *codes), ErrorOut)


# A register rating is a whole number from 1 to 5 (``stakeholders.models.SCORE``, the profile format's).
Score = Annotated[int, Field(ge=1, le=5)]


def _empty_is_none(value: object) -> object:
    return None if value == "" else value


# A stance or a level that is not stated: null, omitted, or "" (as a read gives it back).
StanceIn = Annotated[Stance | None, BeforeValidator(_empty_is_none)]
LevelIn = Annotated[InitiativeLevel | None, BeforeValidator(_empty_is_none)]


class StakeholderIn(Schema):
    """A register row's values: ratings, stance and notes (``name`` for an added stakeholder only: a
    re-rated one keeps the name the partners give it)."""

    name: str = Field("", max_length=200)
    power: Score
    interest: Score
    legitimacy: bool = False
    urgency: bool = False
    stance: StanceIn = None
    notes: str = Field("", max_length=2000)


class StakeholderOut(Schema):
    """One stakeholder of a partnership's register, as its page shows it.

    ``source``: ``partners`` (merged from the partners' profiles), ``re-rated`` (the partnership's own
    ratings of such a stakeholder) or ``added`` (no partner names it). ``id`` and ``version`` belong to
    the register entry of a re-rated or added stakeholder and are null for the partners' own.
    """

    id: int | None
    version: int | None
    name: str
    source: Literal["partners", "re-rated", "added"]
    named_by: list[str]
    power: float
    interest: float
    legitimacy: bool
    urgency: bool
    stance: str
    notes: str
    quadrant: str
    strategy: str
    salience_class: str
    salience: int


class StakeholderList(Schema):
    """A partnership's whole register, most salient first, and its active partners."""

    items: list[StakeholderOut]
    partners: list[str]
    count: int


class InitiativeIn(Schema):
    """A joint initiative's values (``level``: one of Porter and Kramer's three, or empty)."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    level: LevelIn = None
    social_value: Score


class InitiativeScoreOut(Schema):
    """One partner's economic value of an initiative to it."""

    organisation: str
    name: str
    economic_value: int


class InitiativeOut(Schema):
    """A proposed joint initiative with each partner's economic value of it."""

    id: int
    version: int
    name: str
    description: str
    level: str
    social_value: int
    scores: list[InitiativeScoreOut]
    updated_at: datetime


class InitiativeList(Schema):
    """A partnership's initiatives, by name."""

    items: list[InitiativeOut]
    count: int


class ScoreIn(Schema):
    """One partner's economic value of an initiative: the partner's slug and a whole number 1–5."""

    organisation: str = Field(max_length=80, pattern=r"^[-\w]+$")
    economic_value: Score


class CommitmentList(Schema):
    """The agreement's commitments, each with its deliveries (``fulfilment``) and whether it is met."""

    items: list[Commitment]
    count: int


class KpiList(Schema):
    """The agreement's KPIs, each with its readings (``measurements``)."""

    items: list[Kpi]
    count: int


class CheckinCellOut(Schema):
    """One released figure of a closed check-in's frozen results, as its CSV export has it: a partner (or a
    role) with fewer than 5 answers is never among them, and no one's own answer is."""

    checkin: str  # the opening date of the check-in it is of (the results cover the series so far)
    partner: str  # "All partners", or a partner's name
    role: str
    item: str
    item_label: str
    n: int | None
    mean: float


class CheckinSummary(Schema):
    """A check-in: what it asks, when, whether it is open, and once closed how many answered."""

    id: int
    item_set: str
    opens_on: date
    closes_on: date
    state: Literal["open", "closed"]
    scheduled: bool
    respondents: int | None  # None while open, as the page shows it only once closed


class CheckinOut(CheckinSummary):
    """A check-in with, once closed, its released figures."""

    results: list[CheckinCellOut]  # empty while open


class CheckinList(Schema):
    """A page of a partnership's check-ins, newest first."""

    items: list[CheckinSummary]
    count: int
    limit: int
    offset: int


# A check-in's item ids are short names (``core.alignment.items``); a body names at most this many.
ItemId = Annotated[str, Field(max_length=32, pattern=r"^[a-z_]+$")]
MAX_ITEMS = 64


class ScheduleIn(Schema):
    """How often check-ins open, as the schedule page sets it: ``follow_agreement`` takes the frequency
    and first date from the signed agreement's check-in clause when it has one; ``frequency`` applies
    otherwise; each check-in stays open ``window_days``; every ``factors_every``-th scheduled one also
    asks the collaboration factors (0: only when opened by hand)."""

    follow_agreement: bool = True
    frequency: Frequency
    starts_on: date
    window_days: int = Field(10, ge=1, le=60)
    factors_every: int = Field(6, ge=0, le=24)


class ScheduleTermsOut(Schema):
    """The schedule in force: the signed agreement's clause when followed (``from_agreement``), else the
    saved one; ``window_days`` shortened so that a check-in closes before the next one opens."""

    frequency: Frequency
    first: date
    window_days: int
    factors_every: int
    from_agreement: bool


class ScheduleOut(ScheduleIn):
    """The check-in schedule as saved (``started``: someone started check-ins; ``version`` 0 before, with
    the schedule page's defaults), the terms in force and the day the next scheduled check-in opens."""

    started: bool
    version: int
    in_force: ScheduleTermsOut
    next_opening: date


class CheckinOpenIn(Schema):
    """Open a check-in now: which item set (``pulse``, ``factors``) and for how many days (1–60)."""

    item_set: str = Field(max_length=32)
    window_days: int = Field(10, ge=1, le=60)


class ResponseIn(Schema):
    """One person's answer to an open check-in: a score 1–5 for every item of its set, a guess 1–5 of the
    other partners' answer where the item asks one (optional), an optional comment, and the partner
    organisation answered for (its slug; needed only by someone in two partner organisations)."""

    organisation: str | None = Field(None, max_length=80, pattern=r"^[-\w]+$")
    scores: dict[ItemId, Score] = Field(max_length=MAX_ITEMS)
    predictions: dict[ItemId, Score] = Field(default_factory=dict, max_length=MAX_ITEMS)
    comment: str = Field("", max_length=2000)


class ResponseOut(Schema):
    """That an answer was saved: which check-in, for which partner (never what was answered)."""

    checkin: int
    organisation: str
    submitted_at: datetime


class ActionItemIn(Schema):
    """An action item added by hand: what is to be done."""

    text: str = Field(min_length=1, max_length=2000)


class ActionStatusIn(Schema):
    """An action item's status: ``open`` or ``done``."""

    status: Literal["open", "done"]


class ActionItemOut(Schema):
    """Something the partners agreed to look at (``source``: a drift alert, a factor concern, or added by
    hand), reviewed at each check-in until it is done; ``checkin``: the check-in that raised it."""

    id: int
    version: int
    text: str
    status: Literal["open", "done"]
    source: str
    item: str
    checkin: int | None
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None


class ActionItemList(Schema):
    """A partnership's action items, open ones first, each newest first."""

    items: list[ActionItemOut]
    count: int


class SectionOut(Schema):
    """One part of the agreement as its edit page holds it (``key``: who, why, what, how, open-items):
    ``content`` is that part of the agreement format without its records (readings, deliveries and the
    decision log are kept on their own pages); ``version`` is the agreement's version in force."""

    key: str
    title: str
    version: int
    content: dict[str, Any]


class SectionList(Schema):
    """Every part of the agreement, in the order of its page."""

    items: list[SectionOut]
    count: int


class SectionIn(Schema):
    """A part's new content, whole: as a read of the part gives it (the agreement format's fields of that
    part, e.g. ``status``, ``shared_vision`` and ``principles`` for ``why``), without records."""

    content: dict[str, Any]


class NetworkRoundOut(Schema):
    """A network survey round as the Network tab lists it: open while the partners answer, closed once its
    results are frozen; while open, how many of the organisations asked have answered (counts only,
    never what they answered: the round page shows everyone the same)."""

    id: int
    label: str
    date: date
    state: Literal["open", "closed"]
    organisations: int  # asked when the round opened
    answered: int | None  # with at least one answer, while open (None once closed)
    complete: int | None  # that answered about every other organisation, while open
    few_answered: bool  # fewer than half have answered: closing needs "confirm": true
    closed_at: datetime | None


class NetworkRoundList(Schema):
    """A page of a partnership's network survey rounds, newest first."""

    items: list[NetworkRoundOut]
    count: int
    limit: int
    offset: int


class NetworkRoundCloseIn(Schema):
    """Close an open round; ``confirm`` closes one that fewer than half the organisations have answered,
    as the box beside the page's button does."""

    confirm: bool = False
