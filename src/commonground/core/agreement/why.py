"""WHY of an agreement: shared vision, joint mission, objectives and principles."""

from __future__ import annotations

from pydantic import Field

from commonground.core.agreement.parts import AgreementPart, Id, SectionStatus, Source, Text
from commonground.core.profiles import SdgNumber

# --- WHY --------------------------------------------------------------------------------------


class Objective(AgreementPart):
    """An objective the partners share."""

    id: Id | None = None
    text: Text
    sdgs: list[SdgNumber] = Field(default_factory=list, max_length=17)
    source: Source | None = None  # where a drafted item came from


class PartnerObjective(AgreementPart):
    """One partner's own objective in the partnership."""

    partner: Id
    text: Text
    source: Source | None = None


class Principle(AgreementPart):
    """A value or principle the partners agree to work by."""

    text: Text
    source: Source | None = None


class Why(AgreementPart):
    """WHY: shared vision, joint mission, objectives and principles."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    shared_vision: Text | None = None
    joint_mission: Text | None = None
    shared_objectives: list[Objective] = Field(default_factory=list, max_length=200)
    partner_objectives: list[PartnerObjective] = Field(default_factory=list, max_length=500)
    principles: list[Principle] = Field(default_factory=list, max_length=200)
