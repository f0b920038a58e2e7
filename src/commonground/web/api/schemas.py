"""The shapes the API answers with (besides the profile format's and the result's own pydantic models,
which it uses as they are: ``core.profiles.Profile``, ``core.results.AssessmentResult``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from ninja.params import functions as param

from commonground.web.api.errors import ErrorOut

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
