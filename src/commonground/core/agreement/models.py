"""Partnership agreement, format version 1: what partners agree, as data every later stage reads.

The four sections follow the Partnering Agreement Scorecard (The Partnering Initiative and the
Partnership Brokers Association): WHO is partnering, WHY (vision, objectives, principles), WHAT
(workstreams, tasks with RACI roles, commitments, KPIs, social return) and HOW (governance, decision
rules and decisions, check-ins, communication, confidentiality, review, dispute resolution, exit).
Every section and every clause of HOW carries a status, so a half-written agreement says so.

Partners are referred to by their ``id`` everywhere else in the file; people in RACI roles by a
partner id (the organisation) or a representative's name. Cross-references (an unknown partner id,
a KPI linked to a KPI that does not exist, two tasks with one id) are checked by
:func:`commonground.core.agreement.references.reference_problems`, which names the field path of
each, rather than here, so that the loader can report every one of them at once with its line.

The sections' models are in ``who.py``, ``why.py``, ``what.py`` and ``how.py``, the base and field
types they share in ``parts.py``; this module holds the agreement as a whole and its open items.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from commonground.core.agreement.how import How
from commonground.core.agreement.parts import AgreementPart, Id, Name, Source, Text
from commonground.core.agreement.what import What
from commonground.core.agreement.who import Who
from commonground.core.agreement.why import Why

FORMAT_VERSION = 1


# --- the agreement ----------------------------------------------------------------------------


class OpenItemKind(StrEnum):
    """Why an item is open."""

    QUESTION = "question"  # a question to settle first, from the assessment
    RED_LINE = "red_line"  # a partner's red line the agreement must reflect
    OTHER = "other"


class OpenItem(AgreementPart):
    """Something the partners still have to decide or write into a clause."""

    text: Text
    kind: OpenItemKind = OpenItemKind.OTHER
    partner: Id | None = None  # whose red line or question it is, where it is one partner's
    source: Source | None = None
    resolved: bool = False
    where: Text | None = None  # where the agreement settles it (a clause, a principle ...)


class Agreement(AgreementPart):
    """A partnership agreement, format version 1."""

    kind: Literal["agreement"] = "agreement"
    version: Literal[1] = 1
    title: Name
    state: Literal["draft", "agreed"] = "draft"  # "agreed" only once every partner has signed
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    who: Who
    why: Why = Why()
    what: What = What()
    how: How = How()
    # Each partner's benefit as it rates it (any non-negative scale; shares are what count).
    benefits: dict[Id, Annotated[float, Field(ge=0.0, le=1e12)]] = Field(default_factory=dict)
    open_items: list[OpenItem] = Field(default_factory=list, max_length=500)

    def partner_ids(self) -> list[str]:
        """The partners' ids in file order."""
        return [partner.id for partner in self.who.partners]

    def assignee_partner(self, assignee: str) -> str | None:
        """The partner id behind a RACI assignee (a partner id or a representative's name)."""
        for partner in self.who.partners:
            if assignee == partner.id or any(rep.name == assignee for rep in partner.representatives):
                return partner.id
        return None

    def partner_name(self, partner_id: str) -> str:
        """A partner's name from its id (the id itself if unknown)."""
        return next((p.name for p in self.who.partners if p.id == partner_id), partner_id)
