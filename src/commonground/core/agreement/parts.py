"""What every part of an agreement shares: the base model, the field types, statuses and frequencies."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Source = Annotated[str, Field(min_length=1, max_length=500)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Money = Annotated[float, Field(ge=0.0, le=1e13)]
Number = Annotated[float, Field(ge=-1e15, le=1e15)]


class AgreementPart(BaseModel):
    """Base for every agreement part: unknown fields are errors, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class SectionStatus(StrEnum):
    """How far a section or clause is settled (the Scorecard's four answers)."""

    NOT_RELEVANT = "not_relevant"
    NOT_IN_PLACE = "not_in_place"
    PARTIALLY = "partially"
    FULLY = "fully"


class Frequency(StrEnum):
    """How often something happens: measurement, meetings, check-ins."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TWICE_A_YEAR = "twice_a_year"
    ANNUALLY = "annually"
