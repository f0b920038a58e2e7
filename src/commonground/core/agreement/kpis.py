"""KPIs: status against a straight line from the baseline to the targets, and the scorecard.

The expected value on a date lies on the line through the baseline and the targets in date order
(baseline → first target → second target ...); after the last target it stays at the last target.
At the latest measurement (on or after the baseline date) the **progress ratio** is

    (latest value − baseline value) / (expected value − baseline value),

which works the same for "higher is better" and "lower is better" because both changes carry their
sign. The KPI is **on track** at a ratio of at least ``kpi.on_track_at`` (0.9 unless the KPI says
otherwise), **at risk** from ``kpi.at_risk_at`` (0.75), **off track** below; these bands are our
choice. Special cases:

- no measurement on or after the baseline date: **no data** (a reading before the baseline is
  reported, and not used);
- the expected change is zero (the target equals the baseline, or the reading is on the baseline
  date): on track when the value is at or better than the line in the KPI's direction, else off
  track;
- targets whose date has passed are judged on their own: reached or not, by the first reading on
  or after their date; the status itself is then measured along the line towards the next target.

The scorecard groups the joint KPIs by category (financial, social, environmental, relationship)
under the shared vision; a partner's own KPI linked to a joint one is listed under it.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from enum import StrEnum
from typing import Any

from commonground.core.agreement.findings import CheckPart, Finding, Level, Table
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.what import Direction, Kpi, KpiCategory, Measurement, Point
from commonground.core.agreement.wording import MISSING, number_text, share_text


class KpiStatus(StrEnum):
    """Where a KPI stands against its line."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


STATUS_WORDS = {
    KpiStatus.ON_TRACK: "on track",
    KpiStatus.AT_RISK: "at risk",
    KpiStatus.OFF_TRACK: "off track",
    KpiStatus.NO_DATA: "no data",
}


@dataclasses.dataclass(frozen=True)
class PassedTarget:
    """A target whose date has passed, and whether it was reached."""

    target: Point
    reached: bool | None  # None: no reading on or after its date
    reading: Measurement | None


@dataclasses.dataclass(frozen=True)
class KpiResult:
    """One KPI's status on its latest reading."""

    index: int  # position in what.kpis
    kpi: Kpi
    status: KpiStatus
    latest: Measurement | None
    expected: float | None  # the line's value at the latest reading
    progress: float | None  # progress ratio; None when the expected change is zero or no data
    next_target: Point | None  # the first target after the latest reading, None once all have passed
    passed_targets: tuple[PassedTarget, ...]
    early_readings: tuple[int, ...]  # indexes of measurements dated before the baseline


def _better_or_equal(value: float, than: float, direction: Direction) -> bool:
    return value >= than if direction is Direction.INCREASE else value <= than


def expected_value(kpi: Kpi, on: datetime.date) -> float:
    """The value the straight line from the baseline through the targets expects on a date."""
    points = [kpi.baseline, *sorted(kpi.targets, key=lambda p: p.date)]
    if on <= points[0].date:
        return points[0].value
    for start, end in itertools.pairwise(points):
        if on <= end.date:
            span = (end.date - start.date).days
            return start.value + (end.value - start.value) * (on - start.date).days / span
    return points[-1].value


def _band(kpi: Kpi, progress: float) -> KpiStatus:
    if progress >= kpi.on_track_at:
        return KpiStatus.ON_TRACK
    return KpiStatus.AT_RISK if progress >= kpi.at_risk_at else KpiStatus.OFF_TRACK


def kpi_status(kpi: Kpi, *, index: int = 0) -> KpiResult:
    """The KPI's status at its latest reading on or after the baseline date."""
    early = tuple(i for i, m in enumerate(kpi.measurements) if m.date < kpi.baseline.date)
    usable = sorted((m for m in kpi.measurements if m.date >= kpi.baseline.date), key=lambda m: m.date)
    targets = sorted(kpi.targets, key=lambda p: p.date)
    if not usable:
        return KpiResult(index, kpi, KpiStatus.NO_DATA, None, None, None, targets[0], (), early)
    latest = usable[-1]
    passed = tuple(
        PassedTarget(
            t,
            None if reading is None else _better_or_equal(reading.value, t.value, kpi.direction),
            reading,
        )
        for t in targets
        if t.date <= latest.date
        for reading in [next((m for m in usable if m.date >= t.date), None)]
    )
    next_target = next((t for t in targets if t.date > latest.date), None)
    expected = expected_value(kpi, latest.date)
    expected_change = expected - kpi.baseline.value
    if expected_change == 0:
        good = _better_or_equal(latest.value, expected, kpi.direction)
        status, progress = (KpiStatus.ON_TRACK if good else KpiStatus.OFF_TRACK), None
    else:
        progress = (latest.value - kpi.baseline.value) / expected_change
        status = _band(kpi, progress)
    return KpiResult(index, kpi, status, latest, expected, progress, next_target, passed, early)


def kpi_results(agreement: Agreement) -> tuple[KpiResult, ...]:
    """Every KPI's status, in file order."""
    return tuple(kpi_status(k, index=i) for i, k in enumerate(agreement.what.kpis))


def _direction_against_targets(kpi: Kpi) -> bool:
    """True when the final target lies the wrong way from the baseline for the KPI's direction."""
    last = max(kpi.targets, key=lambda p: p.date)
    return not _better_or_equal(last.value, kpi.baseline.value, kpi.direction)


def _findings(agreement: Agreement, r: KpiResult) -> list[Finding]:
    path, kpi = f"what.kpis[{r.index}]", r.kpi
    name = f"“{kpi.name}”"
    found = []
    if r.status in (KpiStatus.OFF_TRACK, KpiStatus.AT_RISK) and r.latest is not None:
        level = Level.WARNING
        how = (
            f"{share_text(r.progress)} of the progress expected by now"
            if r.progress is not None
            else "worse than the level to hold"
        )
        found.append(
            Finding(
                f"{path}.measurements",
                level,
                f"kpis.{r.status.value}",
                f"{name} is {STATUS_WORDS[r.status]}: {number_text(r.latest.value)} {kpi.unit} on "
                f"{r.latest.date.isoformat()} against {number_text(r.expected)} expected ({how}).",
            )
        )
    elif r.status is KpiStatus.NO_DATA:
        found.append(
            Finding(f"{path}.measurements", Level.INFO, "kpis.no_data", f"{name} has no measurement yet.")
        )
    for passed in r.passed_targets:
        if passed.reached is False and passed.reading is not None:
            found.append(
                Finding(
                    f"{path}.targets[{kpi.targets.index(passed.target)}]",
                    Level.WARNING,
                    "kpis.target_missed",
                    f"{name} missed its target of {number_text(passed.target.value)} {kpi.unit} for "
                    f"{passed.target.date.isoformat()}: {number_text(passed.reading.value)} on "
                    f"{passed.reading.date.isoformat()}.",
                )
            )
    for i in r.early_readings:
        found.append(
            Finding(
                f"{path}.measurements[{i}]",
                Level.WARNING,
                "kpis.reading_before_baseline",
                f"{name} has a reading dated {kpi.measurements[i].date.isoformat()}, before its baseline "
                f"({kpi.baseline.date.isoformat()}); it is not used.",
            )
        )
    if _direction_against_targets(kpi):
        lower = "lower" if kpi.direction is Direction.DECREASE else "higher"
        found.append(
            Finding(
                f"{path}.direction",
                Level.WARNING,
                "kpis.target_against_direction",
                f"{name} says {lower} is better, but its last target goes the other way from the baseline.",
            )
        )
    return found


def _row(agreement: Agreement, r: KpiResult, *, linked: bool) -> tuple[str, ...]:
    owner = r.kpi.partner or r.kpi.owner
    return (
        ("↳ " if linked else "") + r.kpi.name,
        agreement.partner_name(owner) if owner else "joint",
        f"{number_text(r.latest.value)} ({r.latest.date.isoformat()})" if r.latest else MISSING,
        f"{number_text(r.expected)}" if r.expected is not None else MISSING,
        (
            f"{number_text(r.next_target.value)} by {r.next_target.date.isoformat()}"
            if r.next_target
            else "all targets passed"
        ),
        share_text(r.progress),
        STATUS_WORDS[r.status],
    )


def _as_json(r: KpiResult) -> dict[str, Any]:
    return {
        "id": r.kpi.id,
        "name": r.kpi.name,
        "category": r.kpi.category.value,
        "unit": r.kpi.unit,
        "direction": r.kpi.direction.value,
        "partner": r.kpi.partner,
        "owner": r.kpi.owner,
        "status": r.status.value,
        "latest": {"date": r.latest.date.isoformat(), "value": r.latest.value} if r.latest else None,
        "expected": r.expected,
        "progress": r.progress,
        "next_target": (
            {"date": r.next_target.date.isoformat(), "value": r.next_target.value} if r.next_target else None
        ),
        "passed_targets": [
            {"date": p.target.date.isoformat(), "value": p.target.value, "reached": p.reached}
            for p in r.passed_targets
        ],
        "series": [
            {"date": m.date.isoformat(), "value": m.value}
            for m in sorted(r.kpi.measurements, key=lambda m: m.date)
        ],
    }


@dataclasses.dataclass(frozen=True)
class ScorecardGroup:
    """The KPIs of one category: joint ones, each followed by the partner KPIs linked to it."""

    category: KpiCategory
    rows: tuple[tuple[KpiResult, bool], ...]  # (result, is a linked partner KPI)


def scorecard(results: tuple[KpiResult, ...]) -> tuple[ScorecardGroup, ...]:
    """KPIs grouped by category in a fixed order, linked partner KPIs under their joint KPI."""
    ids = {r.kpi.id for r in results}
    linked: dict[str, list[KpiResult]] = {}
    for r in results:
        if r.kpi.linked_to in ids:
            linked.setdefault(str(r.kpi.linked_to), []).append(r)
    groups = []
    for category in KpiCategory:
        rows: list[tuple[KpiResult, bool]] = []
        for r in results:
            if r.kpi.category is category and r.kpi.linked_to not in ids:
                rows.append((r, False))
                rows.extend((child, True) for child in linked.get(r.kpi.id, []))
        if rows:
            groups.append(ScorecardGroup(category, tuple(rows)))
    return tuple(groups)


def kpis_part(agreement: Agreement, *, today: datetime.date) -> CheckPart:
    """KPI status and the scorecard as a check part (status is judged at each KPI's latest reading)."""
    results = kpi_results(agreement)
    findings = [f for r in results for f in _findings(agreement, r)]
    groups = scorecard(results)
    columns = ("KPI", "Partner", "Latest", "Expected now", "Next target", "Progress", "Status")
    tables = tuple(
        Table(
            title=g.category.value.capitalize(),
            columns=columns,
            rows=tuple(_row(agreement, r, linked=linked) for r, linked in g.rows),
        )
        for g in groups
    )
    figures: dict[str, Any] = {
        "as_of": today.isoformat(),
        "shared_vision": agreement.why.shared_vision,
        "categories": [
            {
                "category": g.category.value,
                "kpis": [{**_as_json(r), "linked": linked} for r, linked in g.rows],
            }
            for g in groups
        ],
        "counts": {s.value: sum(1 for r in results if r.status is s) for s in KpiStatus},
    }
    return CheckPart(name="kpis", title="KPIs", findings=tuple(findings), tables=tables, figures=figures)
