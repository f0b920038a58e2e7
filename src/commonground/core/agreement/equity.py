"""Equity: each partner's share of what it brings, of the say it has and of what it gets.

Three shares per partner, each summing to 1 over the partners:

- **contribution**: its delivered value in money (commitments met or fulfilled in part) over all
  partners' delivered value; unknown while nothing with a value has been delivered;
- **power**: its normalised Banzhaf index under the partnership's decision rule
  (:mod:`commonground.core.agreement.power`). For rules other than weighted voting this is equal
  shares: each partner can tip the same coalitions. How often each partner proposed or blocked in
  the log is shown next to it, as a fact to read, not folded into the share;
- **benefit**: the partners' own ratings in ``benefits`` normalised (a partner without a rating
  counts 0 and is named), or else, when nobody rated, its KPIs' results: each KPI of a partner
  (``kpi.partner``, else ``kpi.owner``) scores 1 on track, 0.5 at risk, 0 off track or without data.

The distance between two sets of shares is the total variation distance, half the sum of the
absolute differences: 0 when they agree, 1 when they have nothing in common, and it reads as "the
share that would have to move". Each dimension is compared with the others and with equal shares;
above :data:`EQUITY_FLAG` (our choice) we raise a warning phrased as a question for the partners:
an imbalance can be fair (a funder brings money, a community group brings trust), so the check
makes it visible and leaves the judgement to them.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

from commonground.core.agreement.commitments import commitment_results
from commonground.core.agreement.findings import CheckPart, Finding, Level, Table
from commonground.core.agreement.how import Position
from commonground.core.agreement.kpis import KpiStatus, kpi_results
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.power import rule_power
from commonground.core.agreement.wording import MISSING, share_text

EQUITY_FLAG = 0.2  # distance between two sets of shares above which we ask the partners about it

KPI_POINTS = {
    KpiStatus.ON_TRACK: 1.0,
    KpiStatus.AT_RISK: 0.5,
    KpiStatus.OFF_TRACK: 0.0,
    KpiStatus.NO_DATA: 0.0,
}

DIMENSION_WORDS = {
    "contribution": "contribution",
    "power": "decision power",
    "benefit": "benefit",
    "equal": "equal shares",
}
DIMENSION_PATHS = {
    "contribution": "what.commitments",
    "power": "how.decisions.rule",
    "benefit": "benefits",
    "equal": "who.partners",
}


def total_variation(p: Sequence[float], q: Sequence[float]) -> float:
    """Half the sum of absolute differences between two sets of shares (0 = same, 1 = disjoint)."""
    if len(p) != len(q):
        raise ValueError("both sets of shares must cover the same partners")
    return sum(abs(a - b) for a, b in zip(p, q, strict=True)) / 2


def normalised(values: Sequence[float]) -> tuple[float, ...] | None:
    """Values as shares of their sum; None when they add up to nothing."""
    total = sum(values)
    return tuple(v / total for v in values) if total > 0 else None


@dataclasses.dataclass(frozen=True)
class Shares:
    """The three shares of each partner (partner order), None where a dimension cannot be known."""

    partners: tuple[str, ...]
    contribution: tuple[float, ...] | None
    power: tuple[float, ...] | None
    benefit: tuple[float, ...] | None
    benefit_source: str  # "ratings", "kpis" or "none"
    unrated: tuple[str, ...]  # partners without a benefit rating when some partners rated
    proposed: tuple[int, ...]  # decisions each partner proposed in the log
    blocked: tuple[int, ...]  # decisions each partner blocked or objected to

    def dimension(self, name: str) -> tuple[float, ...] | None:
        """One dimension by name, or equal shares for ``"equal"``."""
        if name == "equal":
            return tuple(1 / len(self.partners) for _ in self.partners)
        value: tuple[float, ...] | None = getattr(self, name)
        return value


@dataclasses.dataclass(frozen=True)
class Gap:
    """The distance between two dimensions and the partner where they differ most."""

    first: str
    second: str
    distance: float
    partner: str  # the partner with the largest absolute difference
    first_share: float
    second_share: float


def _benefit(
    agreement: Agreement, partners: Sequence[str]
) -> tuple[tuple[float, ...] | None, str, tuple[str, ...]]:
    ratings: Mapping[str, float] = agreement.benefits
    if ratings:
        unrated = tuple(p for p in partners if p not in ratings)
        return normalised([ratings.get(p, 0.0) for p in partners]), "ratings", unrated
    points = dict.fromkeys(partners, 0.0)
    for r in kpi_results(agreement):
        holder = r.kpi.partner or r.kpi.owner
        if holder in points:
            points[holder] += KPI_POINTS[r.status]
    shares = normalised([points[p] for p in partners])
    return shares, ("kpis" if shares is not None else "none"), ()


def equity_shares(agreement: Agreement, *, today: datetime.date) -> Shares:
    """Each partner's shares of contribution, power and benefit on ``today``."""
    partners = tuple(agreement.partner_ids())
    delivered = dict.fromkeys(partners, 0.0)
    for r in commitment_results(agreement, today=today):
        if r.commitment.by in delivered:
            delivered[r.commitment.by] += r.delivered
    try:
        power: tuple[float, ...] | None = rule_power(agreement.how.decisions.rule, partners)
    except ValueError:
        power = None  # too many partners or no weight at all; the decisions part says which
    benefit, source, unrated = _benefit(agreement, partners)
    log = agreement.how.decisions.log
    return Shares(
        partners=partners,
        contribution=normalised([delivered[p] for p in partners]),
        power=power,
        benefit=benefit,
        benefit_source=source,
        unrated=unrated,
        proposed=tuple(sum(1 for d in log if d.proposed_by == p) for p in partners),
        blocked=tuple(
            sum(
                1
                for d in log
                if any(v.partner == p and v.position in (Position.BLOCK, Position.OBJECT) for v in d.votes)
            )
            for p in partners
        ),
    )


def equity_gaps(shares: Shares) -> tuple[Gap, ...]:
    """Distances between every two known dimensions and between each and equal shares."""
    names = [n for n in ("contribution", "power", "benefit") if shares.dimension(n) is not None] + ["equal"]
    gaps = []
    for first, second in combinations(names, 2):
        a, b = shares.dimension(first), shares.dimension(second)
        if a is None or b is None:  # only known dimensions were listed
            continue
        widest = max(range(len(a)), key=lambda i: (abs(a[i] - b[i]), -i))
        gaps.append(Gap(first, second, total_variation(a, b), shares.partners[widest], a[widest], b[widest]))
    return tuple(gaps)


def _gap_finding(agreement: Agreement, gap: Gap) -> Finding:
    name = agreement.partner_name(gap.partner)
    first, second = DIMENSION_WORDS[gap.first], DIMENSION_WORDS[gap.second]
    if gap.second == "equal":
        message = (
            f"Shares of {first} are uneven (distance {gap.distance:.2f} from equal shares): {name} has "
            f"{share_text(gap.first_share)} where an equal share is {share_text(gap.second_share)}. "
            "Is that the balance the partners intend?"
        )
    else:
        message = (
            f"{first.capitalize()} and {second} differ (distance {gap.distance:.2f}): {name} has "
            f"{share_text(gap.first_share)} of the {first} and {share_text(gap.second_share)} of the "
            f"{second}. Is that the balance the partners intend?"
        )
    return Finding(DIMENSION_PATHS[gap.first], Level.WARNING, f"equity.{gap.first}_vs_{gap.second}", message)


def equity_part(agreement: Agreement, *, today: datetime.date) -> CheckPart:
    """Shares of contribution, power and benefit with their gaps as a check part."""
    shares = equity_shares(agreement, today=today)
    gaps = equity_gaps(shares)
    findings = [_gap_finding(agreement, g) for g in gaps if g.distance > EQUITY_FLAG]
    if shares.contribution is None:
        findings.append(
            Finding(
                "what.commitments",
                Level.INFO,
                "equity.no_contribution_yet",
                "Nothing with a value has been delivered yet, so shares of contribution are not known.",
            )
        )
    if shares.unrated:
        findings.append(
            Finding(
                "benefits",
                Level.WARNING,
                "equity.benefit_unrated",
                "Benefit ratings are missing for "
                + ", ".join(agreement.partner_name(p) for p in shares.unrated)
                + "; they count as no benefit.",
            )
        )

    def cell(values: tuple[float, ...] | None, i: int) -> str:
        return MISSING if values is None else share_text(values[i])

    table = Table(
        title="Shares per partner",
        columns=(
            "Partner",
            "Contribution",
            "Decision power",
            "Benefit",
            "Equal share",
            "Proposed",
            "Blocked or objected",
        ),
        rows=tuple(
            (
                agreement.partner_name(p),
                cell(shares.contribution, i),
                cell(shares.power, i),
                cell(shares.benefit, i),
                share_text(1 / len(shares.partners)),
                str(shares.proposed[i]),
                str(shares.blocked[i]),
            )
            for i, p in enumerate(shares.partners)
        ),
    )
    gap_table = Table(
        title=f"Distances between shares (flagged above {EQUITY_FLAG:.2f})",
        columns=("Between", "And", "Distance", "Widest at"),
        rows=tuple(
            (
                DIMENSION_WORDS[g.first],
                DIMENSION_WORDS[g.second],
                f"{g.distance:.2f}",
                agreement.partner_name(g.partner),
            )
            for g in gaps
        ),
    )
    figures: dict[str, Any] = {
        "flag_above": EQUITY_FLAG,
        "benefit_source": shares.benefit_source,
        "partners": [
            {
                "partner": p,
                "name": agreement.partner_name(p),
                "contribution": None if shares.contribution is None else shares.contribution[i],
                "power": None if shares.power is None else shares.power[i],
                "benefit": None if shares.benefit is None else shares.benefit[i],
                "equal": 1 / len(shares.partners),
                "proposed": shares.proposed[i],
                "blocked": shares.blocked[i],
            }
            for i, p in enumerate(shares.partners)
        ],
        "distances": [
            {"between": g.first, "and": g.second, "distance": g.distance, "widest_at": g.partner}
            for g in gaps
        ],
        "recognition": [
            {"partner": partner.id, "name": partner.name, "contribution": partner.contribution}
            for partner in agreement.who.partners
        ],
    }
    return CheckPart(
        name="equity", title="Equity", findings=tuple(findings), tables=(table, gap_table), figures=figures
    )
