"""Organisation profile, format version 1: the stable input of every assessment.

Only ``name``, ``kind`` and ``mission`` are required. Lists that people write by hand
(activities, red lines, values, goals) accept plain strings as well as mappings, so a
first profile can be a few lines long.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commonground.core.countries import code_problem, country_code

Score1to5 = Annotated[int, Field(ge=1, le=5)]
SdgNumber = Annotated[int, Field(ge=1, le=17)]
ShortText = Annotated[str, Field(min_length=1, max_length=2000)]
LongText = Annotated[str, Field(min_length=1, max_length=10000)]


class Kind(StrEnum):
    """What sort of organisation a profile describes."""

    NONPROFIT = "nonprofit"
    COMPANY = "company"
    SOCIAL_ENTERPRISE = "social_enterprise"
    PUBLIC_AGENCY = "public_agency"
    FUNDER = "funder"
    COMMUNITY_GROUP = "community_group"
    OTHER = "other"


class Priority(StrEnum):
    """How much a goal matters to its organisation."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> float:
        """Weight used when averaging over goals (high counts three times low)."""
        return {"high": 3.0, "medium": 2.0, "low": 1.0}[self.value]


class Severity(StrEnum):
    """How firmly a red line is held."""

    ABSOLUTE = "absolute"
    STRONG = "strong"


class Stance(StrEnum):
    """A stakeholder's attitude to the organisation or partnership."""

    SUPPORTIVE = "supportive"
    NEUTRAL = "neutral"
    OPPOSED = "opposed"


class _Model(BaseModel):
    """Base for every profile part: unknown fields are errors, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _from_plain_string(key: str) -> Any:
    """Build a ``mode='before'`` validator that turns ``"text"`` into ``{key: "text"}``."""

    def convert(cls: type, data: Any) -> Any:
        return {key: data} if isinstance(data, str) else data

    return model_validator(mode="before")(classmethod(convert))  # type: ignore[arg-type]


class Value(_Model):
    """One organisational value; list order is priority, first most important."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    weight: Score1to5 | None = None
    description: ShortText | None = None

    _plain = _from_plain_string("name")


class Goal(_Model):
    """Something the organisation wants to achieve."""

    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")] | None = None
    text: ShortText
    priority: Priority = Priority.MEDIUM
    sdgs: list[SdgNumber] | None = None

    _plain = _from_plain_string("text")


class Activity(_Model):
    """What the organisation does, sells, funds or promotes."""

    text: ShortText

    _plain = _from_plain_string("text")


class RedLine(_Model):
    """What the organisation will not do or be associated with."""

    text: ShortText
    severity: Severity = Severity.ABSOLUTE

    _plain = _from_plain_string("text")


class Stakeholder(_Model):
    """A person or group that affects or is affected by the organisation."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    power: Score1to5
    interest: Score1to5
    legitimacy: bool | None = None
    urgency: bool | None = None
    stance: Stance | None = None


class Orientation(_Model):
    """Where the organisation sits between pure purpose (0) and pure profit (1)."""

    profit_purpose: Annotated[float, Field(ge=0.0, le=1.0)]


class Culture(_Model):
    """Competing Values Framework profile: 100 points over four culture types."""

    clan: Annotated[float, Field(ge=0, le=100)]
    adhocracy: Annotated[float, Field(ge=0, le=100)]
    market: Annotated[float, Field(ge=0, le=100)]
    hierarchy: Annotated[float, Field(ge=0, le=100)]

    @model_validator(mode="after")
    def _sums_to_100(self) -> Culture:
        total = self.clan + self.adhocracy + self.market + self.hierarchy
        # A point either way is allowed for people who round each type.
        if abs(total - 100) > 1:
            raise ValueError(f"the four culture types must add up to 100 points (they add up to {total:g})")
        return self

    def as_dict(self) -> dict[str, float]:
        """The four types in their canonical order."""
        return {
            "clan": self.clan,
            "adhocracy": self.adhocracy,
            "market": self.market,
            "hierarchy": self.hierarchy,
        }


class Profile(_Model):
    """An organisation profile, format version 1."""

    version: Literal[1] = 1
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Kind
    mission: LongText
    sector: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    # Where it is: an ISO 3166-1 alpha-2 code ("gb" is stored as GB), which directory filters read.
    country: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    values: list[Value] = Field(default_factory=list, max_length=50)
    goals: list[Goal] = Field(default_factory=list, max_length=100)
    activities: list[Activity] = Field(default_factory=list, max_length=200)
    red_lines: list[RedLine] = Field(default_factory=list, max_length=100)
    stakeholders: list[Stakeholder] = Field(default_factory=list, max_length=200)
    orientation: Orientation | None = None
    culture: Culture | None = None

    @field_validator("country")
    @classmethod
    def _country_code(cls, country: str | None) -> str | None:
        if country is None:
            return None
        code = country_code(country)
        if code is None:
            raise ValueError(code_problem(country))
        return code

    @field_validator("goals")
    @classmethod
    def _unique_goal_ids(cls, goals: list[Goal]) -> list[Goal]:
        seen: set[str] = set()
        for goal in goals:
            if goal.id is None:
                continue
            if goal.id in seen:
                raise ValueError(f"goal id {goal.id!r} is used more than once; each goal id must be unique")
            seen.add(goal.id)
        return goals

    def goal_ids(self) -> list[str]:
        """Stable ids for every goal: the declared id, else ``g1``, ``g2`` ... by position."""
        return [goal.id or f"g{index}" for index, goal in enumerate(self.goals, start=1)]

    def fingerprint(self) -> str:
        """Short content hash, so a stored assessment can name the profile versions it used."""
        canonical = json.dumps(self.model_dump(mode="json", exclude_none=True), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def to_document(self) -> dict[str, Any]:
        """The profile as a plain mapping in file form (defaults and empty parts left out)."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {
            "name": self.name,
            "kind": self.kind.value,
            "mission": self.mission,
        }


class Initiative(_Model):
    """A proposed joint initiative, placed on social × economic value (Porter & Kramer)."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: ShortText | None = None
    level: Literal["products_and_markets", "value_chain", "local_clusters"] | None = None
    social_value: Score1to5
    # Partner name -> economic value of the initiative for that partner, 1–5.
    economic_value: dict[str, Score1to5] = Field(default_factory=dict)


# The most partners one assessment takes: a coalition of 200 is 19,900 pairs, a few minutes on two
# cores with the CLI's process pool (bench/coalition.py); collective-impact networks run 20 to 200.
MAX_PARTNERS = 200


class Partnership(_Model):
    """Two or more partner profiles (at most :data:`MAX_PARTNERS`) and the initiatives they propose."""

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    partners: list[Profile] = Field(min_length=2)
    initiatives: list[Initiative] = Field(default_factory=list, max_length=100)

    @field_validator("partners")
    @classmethod
    def _merge_duplicates(cls, partners: list[Profile]) -> list[Profile]:
        # The same profile listed twice (a file given twice, a copy) is one partner, assessed once;
        # two different profiles under one name are refused by the check below.
        unique = list({p.fingerprint(): p for p in partners}.values())
        if len(unique) < 2 <= len(partners):
            raise ValueError(
                f"partner names must be unique; {partners[0].name!r} is the same profile given twice, "
                "and at least two different partners are needed"
            )
        return unique

    @model_validator(mode="after")
    def _names_are_consistent(self) -> Partnership:
        if len(self.partners) > MAX_PARTNERS:
            raise ValueError(
                f"a partnership takes at most {MAX_PARTNERS} partners, got {len(self.partners)}; "
                "assess a smaller coalition, or split it into groups that work together"
            )
        names = [p.name for p in self.partners]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"partner names must be unique; repeated: {', '.join(duplicates)}")
        for initiative in self.initiatives:
            unknown = sorted(set(initiative.economic_value) - set(names))
            if unknown:
                raise ValueError(
                    f"initiative {initiative.name!r} gives economic value for "
                    f"{', '.join(unknown)}, which is not a partner (partners: {', '.join(names)})"
                )
        return self

    @property
    def title(self) -> str:
        """The partnership's name, or its partners joined with '×'."""
        return self.name or " × ".join(p.name for p in self.partners)
