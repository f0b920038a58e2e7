"""A partnership's health: each part in its own words, and the stage of the partnering cycle.

There is no single health score. Each part (the pulse, the collaboration factors, KPIs,
commitments, conflicts) says how it stands from its own figures, with a status of ``good``,
``watch`` or ``concern`` (or ``none`` when there is nothing to judge yet). The overall line names the
parts that need attention, so a reader always sees why. The web's health page, the portfolio and the
health report (HTML and PDF) all read the same :class:`Health`.

The stage of the partnering cycle follows the Partnering Initiative's cycle (scoping, building,
managing, reviewing, sustaining or moving on; docs/methods.md); it is suggested from facts, and the
partners may set it themselves when they know better.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from enum import StrEnum


class Status(StrEnum):
    """How one part stands."""

    GOOD = "good"
    WATCH = "watch"
    CONCERN = "concern"
    NONE = "none"  # nothing to judge yet


_ORDER = {Status.CONCERN: 0, Status.WATCH: 1, Status.GOOD: 2, Status.NONE: 3}

STATUS_WORDS = {
    Status.GOOD: "going well",
    Status.WATCH: "worth watching",
    Status.CONCERN: "needs attention",
    Status.NONE: "nothing to judge yet",
}


class Stage(StrEnum):
    """The stages of the partnering cycle."""

    SCOPING = "scoping"
    BUILDING = "building"
    MANAGING = "managing"
    REVIEWING = "reviewing"
    SUSTAINING = "sustaining"
    MOVING_ON = "moving_on"


STAGE_WORDS = {
    Stage.SCOPING: "Scoping: finding out whether to partner, and with whom",
    Stage.BUILDING: "Building: agreeing the vision, roles and measures of success",
    Stage.MANAGING: "Managing: delivering together and checking in",
    Stage.REVIEWING: "Reviewing: looking back at the goals and deciding what to keep, adapt or drop",
    Stage.SUSTAINING: "Sustaining: the partnership runs well and is set to last",
    Stage.MOVING_ON: "Moving on: a planned exit or hand-over",
}


@dataclasses.dataclass(frozen=True)
class Part:
    """One part of the health view with the facts behind its status."""

    name: str  # "pulse", "factors", "kpis", "commitments", "conflicts"
    title: str
    status: Status
    headline: str  # one sentence
    facts: tuple[str, ...] = ()  # short lines, each a figure in words

    def as_json(self) -> dict[str, object]:
        """The part as plain data."""
        return {
            "name": self.name,
            "title": self.title,
            "status": self.status.value,
            "headline": self.headline,
            "facts": list(self.facts),
        }


def worst(parts: Sequence[Part]) -> Status:
    """The worst status among the parts that can be judged (NONE when none can)."""
    judged = [part.status for part in parts if part.status is not Status.NONE]
    return min(judged, key=_ORDER.__getitem__) if judged else Status.NONE


@dataclasses.dataclass(frozen=True)
class Health:
    """Every part, the overall line and the stage of the cycle."""

    parts: tuple[Part, ...]
    stage: Stage
    stage_reason: str

    @property
    def status(self) -> Status:
        """The worst status among the parts that can be judged (NONE when none can)."""
        return worst(self.parts)

    @property
    def headline(self) -> str:
        """The overall line, naming the parts that need attention or watching."""
        concern = [part.title for part in self.parts if part.status is Status.CONCERN]
        watch = [part.title for part in self.parts if part.status is Status.WATCH]
        if concern:
            return (
                "Needs attention: "
                + ", ".join(concern)
                + (f"; worth watching: {', '.join(watch)}." if watch else ".")
            )
        if watch:
            return "Worth watching: " + ", ".join(watch) + "."
        if self.status is Status.GOOD:
            return "Every part that can be judged is going well."
        return "Nothing to judge yet: no check-in has closed and no agreement records progress."

    def as_json(self) -> dict[str, object]:
        """The health view as plain data."""
        return {
            "status": self.status.value,
            "headline": self.headline,
            "stage": self.stage.value,
            "stage_reason": self.stage_reason,
            "parts": [part.as_json() for part in self.parts],
        }


@dataclasses.dataclass(frozen=True)
class PulseFacts:
    """What the latest closed check-ins say, from released figures only."""

    checkins_closed: int
    latest: str | None  # the latest closed check-in's label
    pooled_means: tuple[tuple[str, float], ...]  # (item label, mean) of the pooled cells released
    open_alerts: tuple[str, ...]  # drift alerts in words, not yet handled


@dataclasses.dataclass(frozen=True)
class FactorFacts:
    """The latest collaboration-factors result, from released figures only."""

    strengths: int
    borderline: int
    concerns: tuple[str, ...]  # factor labels below 3.0


@dataclasses.dataclass(frozen=True)
class AgreementFacts:
    """Where the agreement's KPIs and commitments stand."""

    signed: bool
    kpis: int
    kpis_off_track: int
    kpis_at_risk: int
    commitments: int
    commitments_overdue: int
    review_due: datetime.date | None = None


@dataclasses.dataclass(frozen=True)
class ConflictFacts:
    """The open entries of the conflict log."""

    open: int
    high: int  # open entries of high severity
    escalated: int  # open entries above the first rung
    highest_level: int | None  # Glasl level (1-3) of the most escalated open entry
    median_days_to_resolve: float | None = None
    overdue: int = 0  # open entries not acknowledged by their deadline
    total: int | None = None  # every entry ever raised (None: not known)
    median_days_to_acknowledge: float | None = None


# A pooled pulse mean below WATCH_BELOW is worth watching, below CONCERN_BELOW needs attention (the
# same bands as the collaboration factors: 3.0 is the middle of the 1-5 scale).
CONCERN_BELOW = 3.0
WATCH_BELOW = 3.5


def pulse_part(facts: PulseFacts | None) -> Part:
    """The pulse part: low pooled items and open drift alerts."""
    title = "Pulse check-ins"
    if facts is None or facts.checkins_closed == 0:
        return Part("pulse", title, Status.NONE, "No check-in has closed yet.")
    if not facts.pooled_means and not facts.open_alerts:
        return Part(
            "pulse",
            title,
            Status.NONE,
            f"{facts.checkins_closed} check-ins closed, but too few people answered to show any figure.",
        )
    low = [(label, mean) for label, mean in facts.pooled_means if mean < CONCERN_BELOW]
    middling = [(label, mean) for label, mean in facts.pooled_means if CONCERN_BELOW <= mean < WATCH_BELOW]
    lines = [f"{label}: {mean:.1f} of 5" for label, mean in facts.pooled_means]
    lines += [f"Drift: {alert}" for alert in facts.open_alerts]
    if low or facts.open_alerts:
        status, headline = Status.CONCERN, _pulse_headline(low, facts.open_alerts)
    elif middling:
        status = Status.WATCH
        headline = "Middling on " + ", ".join(label for label, _ in middling) + f" at {facts.latest}."
    else:
        status, headline = Status.GOOD, f"Every item shown is {WATCH_BELOW:.1f} or above at {facts.latest}."
    return Part("pulse", title, status, headline, tuple(lines))


def _pulse_headline(low: Sequence[tuple[str, float]], alerts: Sequence[str]) -> str:
    parts = []
    if low:
        parts.append("low on " + ", ".join(label for label, _ in low))
    if alerts:
        parts.append(f"{len(alerts)} drift alert{'s' if len(alerts) != 1 else ''} open")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def factors_part(facts: FactorFacts | None) -> Part:
    """The collaboration-factors part: concerns and borderline factors."""
    title = "Collaboration factors"
    if facts is None or facts.strengths + facts.borderline + len(facts.concerns) == 0:
        return Part("factors", title, Status.NONE, "No collaboration-factors check-in has results yet.")
    lines = (
        f"{facts.strengths} strengths (4.0 and above)",
        f"{facts.borderline} borderline (3.0 to 3.9)",
        f"{len(facts.concerns)} concerns (below 3.0)"
        + (": " + ", ".join(facts.concerns) if facts.concerns else ""),
    )
    if facts.concerns:
        return Part("factors", title, Status.CONCERN, "Concerns: " + ", ".join(facts.concerns) + ".", lines)
    if facts.borderline > facts.strengths:
        return Part("factors", title, Status.WATCH, "More factors are borderline than strong.", lines)
    return Part("factors", title, Status.GOOD, "No factor is a concern.", lines)


def kpis_part(facts: AgreementFacts | None) -> Part:
    """The KPIs of the agreement in force."""
    title = "KPIs"
    if facts is None or facts.kpis == 0:
        return Part("kpis", title, Status.NONE, "The agreement has no KPIs yet.")
    on_track = facts.kpis - facts.kpis_off_track - facts.kpis_at_risk
    lines = (
        f"{on_track} on track or not yet due",
        f"{facts.kpis_at_risk} at risk",
        f"{facts.kpis_off_track} off track",
    )
    if facts.kpis_off_track:
        return Part(
            "kpis", title, Status.CONCERN, f"{facts.kpis_off_track} of {facts.kpis} KPIs off track.", lines
        )
    if facts.kpis_at_risk:
        return Part("kpis", title, Status.WATCH, f"{facts.kpis_at_risk} of {facts.kpis} KPIs at risk.", lines)
    return Part("kpis", title, Status.GOOD, f"None of {facts.kpis} KPIs is off track or at risk.", lines)


def commitments_part(facts: AgreementFacts | None) -> Part:
    """The commitments of the agreement in force."""
    title = "Commitments"
    if facts is None or facts.commitments == 0:
        return Part("commitments", title, Status.NONE, "The agreement has no commitments yet.")
    lines = (f"{facts.commitments} commitments", f"{facts.commitments_overdue} overdue")
    if facts.commitments_overdue * 4 >= facts.commitments:  # a quarter or more overdue
        status = Status.CONCERN
    elif facts.commitments_overdue:
        status = Status.WATCH
    else:
        status = Status.GOOD
    headline = (
        f"{facts.commitments_overdue} of {facts.commitments} commitments overdue."
        if facts.commitments_overdue
        else f"None of {facts.commitments} commitments is overdue."
    )
    return Part("commitments", title, status, headline, lines)


def conflicts_part(facts: ConflictFacts | None) -> Part:
    """The open entries of the conflict log."""
    title = "Conflicts"
    if facts is None:
        return Part("conflicts", title, Status.NONE, "No conflict log yet.")
    if facts.total == 0:
        return Part("conflicts", title, Status.NONE, "No issue raised in the conflict log yet.")
    lines = [
        f"{facts.open} open",
        f"{facts.high} of high severity",
        f"{facts.escalated} escalated past the leads",
    ]
    if facts.overdue:
        lines.append(f"{facts.overdue} not acknowledged in time")
    if facts.highest_level is not None:
        lines.append(f"most escalated: Glasl level {facts.highest_level} of 3")
    if facts.median_days_to_acknowledge is not None:
        lines.append(f"median {facts.median_days_to_acknowledge:.1f} days to acknowledge")
    if facts.median_days_to_resolve is not None:
        lines.append(f"median {facts.median_days_to_resolve:.0f} days to resolve")
    if facts.open == 0:
        return Part("conflicts", title, Status.GOOD, "No open conflict.", tuple(lines))
    if facts.high or facts.escalated or facts.overdue or (facts.highest_level or 1) >= 2:
        headline = f"{facts.open} open, {facts.escalated} escalated, {facts.high} of high severity" + (
            f", {facts.overdue} not acknowledged in time." if facts.overdue else "."
        )
        return Part("conflicts", title, Status.CONCERN, headline, tuple(lines))
    return Part("conflicts", title, Status.WATCH, f"{facts.open} open, none escalated.", tuple(lines))


def suggest_stage(
    *,
    has_assessment: bool,
    agreement_signed: bool,
    review_due: bool,
    review_open: bool,
    exit_planned: bool,
    months_signed: int,
    health: Status,
) -> tuple[Stage, str]:
    """The stage of the partnering cycle the facts point to, with the reason in words."""
    if exit_planned:
        return Stage.MOVING_ON, "the partners have planned an exit or hand-over"
    if review_open or (agreement_signed and review_due):
        return Stage.REVIEWING, "a review of the agreement is open or due"
    if agreement_signed:
        if months_signed >= 12 and health is Status.GOOD:
            return (
                Stage.SUSTAINING,
                "signed for a year or more, and every part that can be judged is going well",
            )
        return Stage.MANAGING, "the agreement is signed and the partners are delivering"
    if has_assessment:
        return Stage.BUILDING, "the partners have assessed their fit or started an agreement, not yet signed"
    return Stage.SCOPING, "no assessment of fit yet"


def health_view(
    *,
    pulse: PulseFacts | None,
    factors: FactorFacts | None,
    agreement: AgreementFacts | None,
    conflicts: ConflictFacts | None,
    has_assessment: bool,
    review_open: bool,
    exit_planned: bool,
    months_signed: int,
    today: datetime.date,
    stage: Stage | None = None,
) -> Health:
    """Combine the parts; ``stage`` is the partners' own choice when they made one."""
    parts = (
        pulse_part(pulse),
        factors_part(factors),
        kpis_part(agreement),
        commitments_part(agreement),
        conflicts_part(conflicts),
    )
    overall = worst(parts)
    review_due = bool(agreement and agreement.review_due and agreement.review_due <= today)
    suggested, reason = suggest_stage(
        has_assessment=has_assessment or agreement is not None,
        agreement_signed=bool(agreement and agreement.signed),
        review_due=review_due,
        review_open=review_open,
        exit_planned=exit_planned,
        months_signed=months_signed,
        health=overall,
    )
    if stage is not None and stage is not suggested:
        return Health(
            parts, stage, f"set by the partners (the facts suggest {suggested.value.replace('_', ' ')})"
        )
    return Health(parts, suggested, reason)
