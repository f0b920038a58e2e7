"""Checking an agreement: every registered part run in order over one agreement, as of one date.

The parts are a plain ordered tuple, :data:`PARTS`; each is a pure function
``(agreement, *, today) -> CheckPart``. The report shows them in this order.

How to add a part:
    1. Write it in its own module under ``core/agreement/`` as ``<name>_part(agreement: Agreement, *,
       today: datetime.date) -> CheckPart``: findings with field paths and stable dotted codes
       (``"<name>.<what>"``), tables with cells already in words, and the same results as JSON-ready
       ``figures``. Depend on nothing but ``core``; same agreement and date, same result.
    2. Add it to :data:`PARTS` below, where it belongs in the report.
    3. Test it in ``tests/core/agreement/``; the renderers in ``commonground.reports.agreement``
       draw every part alike, so it needs no rendering code.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from typing import Any, Protocol

from commonground.core.agreement.commitments import commitments_part
from commonground.core.agreement.decisions import decisions_part
from commonground.core.agreement.equity import equity_part
from commonground.core.agreement.findings import CheckPart, Finding, Level
from commonground.core.agreement.kpis import kpis_part
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.roles import roles_part
from commonground.core.agreement.sroi import sroi_part
from commonground.core.agreement.structure import structure_part


class PartFunction(Protocol):
    """One method of the check: the agreement in, one part of the report out."""

    def __call__(self, agreement: Agreement, *, today: datetime.date) -> CheckPart: ...


PARTS: tuple[PartFunction, ...] = (
    structure_part,
    roles_part,
    commitments_part,
    kpis_part,
    sroi_part,
    decisions_part,
    equity_part,
)


@dataclasses.dataclass(frozen=True)
class AgreementCheck:
    """What a check of one agreement found, part by part, as of a date."""

    title: str
    state: str  # the agreement's own state: "draft" or "agreed"
    as_of: datetime.date
    parts: tuple[CheckPart, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every part, in report order."""
        return tuple(finding for part in self.parts for finding in part.findings)

    def counts(self) -> dict[Level, int]:
        """How many findings there are of each level (every level present, worst first)."""
        found = Counter(finding.level for finding in self.findings)
        return {level: found.get(level, 0) for level in Level}

    def as_json(self) -> dict[str, Any]:
        """The check as plain JSON-ready data (the ``--format json`` contract)."""
        return {
            "title": self.title,
            "state": self.state,
            "as_of": self.as_of.isoformat(),
            "counts": {level.value: count for level, count in self.counts().items()},
            "parts": [
                {
                    "name": part.name,
                    "title": part.title,
                    "findings": [finding.as_json() for finding in part.findings],
                    "figures": dict(part.figures),
                }
                for part in self.parts
            ],
        }


def check_agreement(
    agreement: Agreement, *, today: datetime.date, parts: tuple[PartFunction, ...] = PARTS
) -> AgreementCheck:
    """Run every part over ``agreement`` as of ``today`` (pure: the date is an argument)."""
    return AgreementCheck(
        title=agreement.title,
        state=agreement.state,
        as_of=today,
        parts=tuple(part(agreement, today=today) for part in parts),
    )
