"""The shapes of the agreement's sign-off over the API: who signed which version, comments on its parts,
and a partner's contribution in its own words (agreement_signing_routes.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

# The agreement's parts, as their pages and /agreement/sections/{part} name them (sections.PARTS).
PartName = Literal["who", "why", "what", "how", "open-items"]


class SignatureOut(Schema):
    """One partner organisation's signature of one version (names as they were when it signed;
    ``organisation`` is its slug, null once the organisation is deleted)."""

    organisation: str | None
    organisation_name: str
    signer: str
    version: int
    signed_at: datetime


class PartnerSigningOut(Schema):
    """Where one active partner stands on the version in force: ``signed`` that version, or not yet
    (``earlier``: its latest signature of an earlier version); ``can_sign``: the token's user may sign
    for it now; ``partner``: its id in the agreement (null if it joined after the agreement started)."""

    organisation: str
    name: str
    partner: str | None
    signed: SignatureOut | None
    earlier: SignatureOut | None
    can_sign: bool


class SignoffOut(Schema):
    """The agreement's sign-off: the version in force, whether every active partner signed it
    (``agreed``), each partner's place, and every signature of any version, newest version first (the
    latest 500)."""

    version: int
    agreed: bool
    partners: list[PartnerSigningOut]
    signatures: list[SignatureOut]


class SignIn(Schema):
    """Sign for one partner organisation (its slug) the version you read (``version``: the version in
    force that a read of the agreement's sign-off or parts gave)."""

    organisation: str = Field(max_length=80, pattern=r"^[-\w]+$")
    version: int = Field(ge=1, le=2**31 - 1)


class CommentOut(Schema):
    """A remark on one part of the agreement (``section``), on the version it was written on."""

    id: int
    section: str
    author: str
    as_facilitator: bool
    text: str
    version: int
    created_at: datetime


class CommentList(Schema):
    """A page of the agreement's comments, oldest first."""

    items: list[CommentOut]
    count: int
    limit: int
    offset: int


class CommentIn(Schema):
    """A remark on one part of the agreement."""

    section: PartName
    text: str = Field(min_length=1, max_length=4000)


class ContributionOut(Schema):
    """What one partner brings, in its own words (null when it has not said), as the agreement's WHO
    holds it; ``version`` is the agreement's version in force."""

    partner: str
    name: str
    contribution: str | None
    version: int


class ContributionIn(Schema):
    """A partner's contribution in its own words (empty: it no longer states one)."""

    contribution: str = Field("", max_length=4000)
