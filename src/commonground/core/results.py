"""The assessment result: the stable output contract printed by ``commonground assess --format json``.

Every renderer (text, JSON, HTML) and the web workspace read these models; nothing else
about an assessment is shared between them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

RESULT_SCHEMA_VERSION = 1


class Verdict(StrEnum):
    """Overall judgement, best first."""

    ALIGNED = "aligned"
    WORKABLE = "workable"
    AT_RISK = "at_risk"
    BLOCKED = "blocked"

    @property
    def words(self) -> str:
        """The verdict in lower-case words for a sentence, e.g. "at risk"."""
        return self.value.replace("_", " ")


class ConflictKind(StrEnum):
    """Where a conflict comes from."""

    RED_LINE = "red_line"
    SENSITIVE_SECTOR = "sensitive_sector"
    GOAL_TENSION = "goal_tension"
    VALUE_GAP = "value_gap"
    CULTURE_GAP = "culture_gap"
    STAKEHOLDER = "stakeholder"
    ORIENTATION = "orientation"

    @property
    def words(self) -> str:
        """The kind in lower-case words for a sentence, e.g. "red line", "profit–purpose gap"."""
        return "profit–purpose gap" if self is ConflictKind.ORIENTATION else self.value.replace("_", " ")


class ConflictSeverity(StrEnum):
    """How serious a conflict is, worst first."""

    BLOCKER = "blocker"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the worst severity, 3 for the mildest (for sorting)."""
        return ["blocker", "high", "medium", "low"].index(self.value)


class SynergyKind(StrEnum):
    """What the partners have in common."""

    MISSION = "mission"
    GOAL = "goal"
    SDG = "sdg"
    VALUE = "value"
    STAKEHOLDER = "stakeholder"
    CULTURE = "culture"
    INITIATIVE = "initiative"


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceText(_Result):
    """One text that a finding rests on, with where it came from."""

    party: str
    field: str  # e.g. "goals[2]", "red_lines[0]", "activities[1]", "mission"
    text: str


class Evidence(_Result):
    """Everything a person needs to check a finding by hand."""

    texts: list[EvidenceText] = Field(default_factory=list)
    rule: str  # stable rule id, e.g. "red_line.semantic", "sector_map", "goal_interaction"
    data_row: str | None = None  # id of the curated data row used, e.g. "tobacco->health"
    source: str | None = None  # public source of that row
    similarity: float | None = None  # cosine similarity the rule relied on, when it used one
    detail: str | None = None  # anything else, in words


class Conflict(_Result):
    """Something that works against the partnership, with its evidence."""

    kind: ConflictKind
    severity: ConflictSeverity
    parties: list[str]
    summary: str
    evidence: Evidence


class Synergy(_Result):
    """Something the partners share or that helps both, with its evidence."""

    kind: SynergyKind
    parties: list[str]
    summary: str
    evidence: Evidence


# Nilsson, Griggs & Visbeck (2016) seven-point scale of interactions between goals.
INTERACTION_LABELS: dict[int, str] = {
    3: "indivisible",
    2: "reinforcing",
    1: "enabling",
    0: "consistent",
    -1: "constraining",
    -2: "counteracting",
    -3: "cancelling",
}


class GoalRef(_Result):
    """A goal as it appears on one axis of the goal matrix."""

    party: str
    id: str
    text: str
    priority: str


class GoalCell(_Result):
    """How one goal interacts with another on the −3…+3 scale."""

    score: Annotated[int, Field(ge=-3, le=3)]
    label: str  # one of INTERACTION_LABELS' values
    relation: Literal["synergy", "neutral", "tension"]
    similarity: float
    reason: str


class GoalMatrix(_Result):
    """Goals × goals. Two partners: rows are the first's goals, columns the second's.

    Three or more: rows and columns are every partner's goals; a cell between two goals of
    the same partner is null.
    """

    rows: list[GoalRef]
    columns: list[GoalRef]
    cells: list[list[GoalCell | None]]


class SdgScore(_Result):
    """One Sustainable Development Goal with a calibrated confidence in 0–1."""

    sdg: Annotated[int, Field(ge=1, le=17)]
    confidence: Annotated[float, Field(ge=0, le=1)]


class SdgOverlap(_Result):
    """Each partner's SDGs (most confident first) and the ones every partner shares."""

    partners: dict[str, list[SdgScore]]
    shared: list[int]


class Components(_Result):
    """Component scores 0–100; null when the inputs for that component are missing."""

    mission: float | None
    values: float | None
    culture: float | None
    stakeholders: float | None
    orientation: float | None


class Question(_Result):
    """Something the partners should settle before they sign."""

    text: str
    reason: str
    priority: Annotated[int, Field(ge=1)]  # 1 is the most important
    about: ConflictKind | Literal["general"]


class ValueComparison(_Result):
    """One value and how strongly each partner holds it (0 when a partner lacks it)."""

    value: str
    weights: dict[str, float]  # partner -> effective weight 0–5
    closest: dict[str, str | None]  # partner -> its own nearest value name, when one is close


# Mendelow's power–interest quadrants (core/stakeholders.py decides them).
Quadrant = Literal["manage_closely", "keep_satisfied", "keep_informed", "monitor"]
# Mitchell, Agle & Wood's salience classes (core/stakeholders.py decides them).
SalienceClass = Literal[
    "non_stakeholder",
    "dormant",
    "discretionary",
    "demanding",
    "dominant",
    "dangerous",
    "dependent",
    "definitive",
]
# Porter & Kramer shared-value placement of an initiative for one partner (core/shared_value.py).
SharedValueQuadrant = Literal["shared_value", "social_only", "economic_only", "low_value"]


class StakeholderView(_Result):
    """A stakeholder placed on the Mendelow grid and in Mitchell, Agle & Wood's classes."""

    name: str
    parties: list[str]  # partners that named this stakeholder
    power: float
    interest: float
    quadrant: Quadrant
    strategy: str
    salience_class: SalienceClass
    salience: Annotated[int, Field(ge=0, le=3)]
    stances: dict[str, str]  # partner -> stance, where given


class InitiativeView(_Result):
    """A proposed joint initiative on social × economic value for each partner."""

    name: str
    level: str | None
    social_value: int
    economic_value: dict[str, int]
    quadrant: dict[str, SharedValueQuadrant]
    one_sided: bool
    note: str


class CultureView(_Result):
    """Each partner's Competing Values profile and the gaps of 10 points or more."""

    profiles: dict[str, dict[str, float]]
    gaps: dict[str, float]  # culture type -> largest gap between partners


class PairResult(_Result):
    """The full assessment of two partners."""

    parties: Annotated[list[str], Field(min_length=2, max_length=2)]
    score: Annotated[float, Field(ge=0, le=100)]
    verdict: Verdict
    components: Components
    conflicts: list[Conflict]
    synergies: list[Synergy]
    goal_matrix: GoalMatrix
    sdgs: SdgOverlap
    questions: list[Question]
    values: list[ValueComparison]
    culture: CultureView | None
    stakeholders: list[StakeholderView]
    initiatives: list[InitiativeView]
    reasons: list[str]  # why the score is what it is, in words, most influential first


class PairSummary(_Result):
    """One pair of a coalition above twenty partners, kept short: score, verdict, worst findings, reasons.

    The pair's full :class:`PairResult` is what assessing the two partners alone gives
    (``commonground assess ... --explain A B``); ``--pairs FILE`` writes every pair's in full.
    """

    parties: Annotated[list[str], Field(min_length=2, max_length=2)]
    score: Annotated[float, Field(ge=0, le=100)]
    verdict: Verdict
    components: Components
    conflict_counts: dict[str, int]  # severity -> how many conflicts the pair has, worst first
    conflicts: list[Conflict]  # the pair's worst conflicts (at most three), with their evidence
    goal_pairs: int  # goals × goals the pair's matrix covers (0: a partner lists no goals)
    reasons: list[str]  # the pair's most influential reasons (at most three)


class SharedByAll(_Result):
    """What every partner of a coalition has in common."""

    sdgs: list[int]
    values: list[str]
    stakeholders: list[str]


class CommonSdg(_Result):
    """An SDG and how many partners of a coalition work towards it."""

    sdg: Annotated[int, Field(ge=1, le=17)]
    partners: int


class CommonValue(_Result):
    """A value and how many partners of a coalition hold it."""

    value: str
    partners: int


class CommonGoal(_Result):
    """A partner's goal and how many other partners have a goal that supports it (score ≥ +2)."""

    party: str
    id: str
    text: str
    partners: int


class CommonGround(_Result):
    """What most partners (at least half) share: SDGs, values, and the goals most others support."""

    sdgs: list[CommonSdg]
    values: list[CommonValue]
    goals: list[CommonGoal]


class ClashCluster(_Result):
    """Partners joined by pairs with a high or blocker conflict (a connected group of such pairs)."""

    parties: list[str]  # in input order
    pairs: int  # how many pairs inside the group clash
    worst: ConflictSeverity
    hub: str  # the partner in the most clashing pairs of the group


class AttentionPair(_Result):
    """A pair to look at first, and why."""

    parties: Annotated[list[str], Field(min_length=2, max_length=2)]
    score: float
    verdict: Verdict
    why: list[str]  # the worst findings of the pair, in words


class Tie(_Result):
    """One partner's pair with another partner."""

    party: str
    score: float
    verdict: Verdict


class PartnerTies(_Result):
    """A partner's strongest and weakest ties across the coalition."""

    party: str
    mean_score: float
    strongest: Tie
    weakest: Tie
    clashes: int  # pairs with a high or blocker conflict


class CoalitionSummary(_Result):
    """A coalition read as a whole, for three or more partners (``commonground.core.coalition``)."""

    partners: int
    pairs: int
    verdicts: dict[str, int]  # verdict -> how many pairs have it, best first
    common_ground: CommonGround
    clusters: list[ClashCluster]  # largest first
    attention: list[AttentionPair]  # most urgent first
    ties: list[PartnerTies]  # in input order


class EngineInfo(_Result):
    """Which engine and model produced the result, so it can be reproduced."""

    version: str
    embedding_model: str
    sector_map_version: str
    # The trained stance classifier's version (None: the similarity rules decided sectors alone).
    stance_model_version: str | None = None
    # The screens classifier's version (red lines about more industries and kinds of conduct;
    # None: none shipped, so such red lines were read by similarity alone).
    screen_model_version: str | None = None
    # The trained goal-interaction model's version (None: the goal matrix used its rules alone).
    interaction_model_version: str | None = None
    # The version of the word lexicons (data/lexicon.yaml) the stance rules read.
    rules_version: str | None = None
    # The version of the multilingual reader's SDG calibration (data/sdg_calibration_reader.json),
    # set when a profile in another language had its SDGs mapped by the reader; None: English path only.
    sdg_reader_version: str | None = None


class AssessmentResult(PairResult):
    """The whole result. Two partners: the pair's fields. More: an overall view plus ``pairs``.

    For three or more partners the top-level score is the mean of the pair scores, the verdict
    the worst pair verdict, conflicts and synergies the union over pairs, and ``shared`` lists
    what all partners share.
    """

    parties: list[str]  # every partner, in input order
    schema_version: int = RESULT_SCHEMA_VERSION
    title: str
    # Every pair in ``combinations`` order: in full up to twenty partners, above that each a PairSummary.
    pairs: list[PairResult | PairSummary]
    shared: SharedByAll
    engine: EngineInfo
    # What the engine could not read, in words: e.g. a profile in a language whose goals and SDGs the
    # embedding model reads poorly. Empty when nothing was left out.
    limitations: list[str] = Field(default_factory=list)
    # Three or more partners: the coalition read as a whole (null for two). Added after schema 1's
    # first release; every other key is unchanged by it.
    coalition: CoalitionSummary | None = None
