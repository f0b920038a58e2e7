"""WHO of an agreement: the partners and the people who represent them."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from commonground.core.agreement.parts import AgreementPart, Id, Name, SectionStatus, Text

# --- WHO --------------------------------------------------------------------------------------


class Representative(AgreementPart):
    """A person who speaks, votes and signs for a partner."""

    name: Name
    role: Name | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None


class Partner(AgreementPart):
    """One partner organisation."""

    id: Id
    name: Name
    representatives: list[Representative] = Field(default_factory=list, max_length=50)
    # Recognition: what this partner brings, in its own words, shown on the page and in reports.
    contribution: Text | None = None


class Who(AgreementPart):
    """WHO: the partners and the people who represent them."""

    status: SectionStatus = SectionStatus.NOT_IN_PLACE
    partners: list[Partner] = Field(min_length=2, max_length=50)
