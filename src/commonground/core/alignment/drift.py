"""Drift alerts: an item of one partner moving down over check-ins, seen early but not on noise.

Two control charts run over the *released* check-in means of one item and one partner (Montgomery,
*Introduction to Statistical Quality Control*, ch. 9): an EWMA with exact time-varying limits and a
lower one-sided tabular CUSUM. Both compare with a baseline taken from the first
``BASELINE_CHECKINS`` released means. Only cells with 5 or more people reach this module, so a
hidden figure is never used; a check-in whose cell is hidden is simply skipped.

An alert is raised only when the drop since the run began is at least the *minimum detectable
change* for the numbers of people behind the baseline and the run (see :func:`minimum_change`), so
a tiny drift in a large partnership, real but too small to matter, does not become an action item.
The parameters and their measured false-alarm rate are in docs/methods.md ("Staying aligned").
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Sequence

from commonground.core.alignment.models import Alert

LAMBDA = 0.2  # EWMA weight of the newest check-in
L = 3.0  # EWMA limit, in standard deviations of the EWMA statistic
K = 0.5  # CUSUM reference value, in sigma: tuned to a shift of one sigma
H = 5.0  # CUSUM decision interval, in sigma (4 gave too many false alarms; docs/methods.md)
BASELINE_CHECKINS = 4
CONFIRM = 2  # check-ins in a row beyond a limit before an alert: one low check-in is noise
REFIT_EVERY = 4  # re-estimate the baseline every few joined check-ins (cheap, same result)
LAG = 12  # check-ins before an in-control check-in joins the baseline
# Standard deviations below this (in scale points, within one group) are taken as this: a group
# whose members all answered the same for four check-ins would otherwise alarm on one changed mind.
MIN_WITHIN_SD = 0.5
# One-sided 5% test: z(0.95).
DETECTABLE_Z = 1.645


@dataclasses.dataclass(frozen=True)
class Point:
    """One released check-in mean of one item and one partner."""

    checkin: str
    n: int
    mean: float
    sd: float  # the spread of the group's scores (sample SD), for the noise floor


@dataclasses.dataclass(frozen=True)
class Baseline:
    """The in-control level and spread of a series, from its first check-ins."""

    mean: float
    sigma: float  # standard deviation of one check-in's mean
    within_sd: float  # pooled spread of individual scores
    people: int  # answers behind the baseline (sum of n)
    count: int  # check-ins behind the level


def baseline(points: Sequence[Point]) -> Baseline | None:
    """Level and spread from the first ``BASELINE_CHECKINS`` points (None if there are fewer)."""
    if len(points) < BASELINE_CHECKINS:
        return None
    first = points[:BASELINE_CHECKINS]
    people = sum(p.n for p in first)
    pooled = math.sqrt(sum((p.n - 1) * p.sd**2 for p in first) / max(1, people - len(first)))
    within = max(MIN_WITHIN_SD, pooled)
    # The spread of the check-in means, but never below what sampling alone gives (the floor).
    floor = within / math.sqrt(people / len(first))
    sigma = max(statistics.stdev(p.mean for p in first), floor)
    return Baseline(
        mean=statistics.fmean(p.mean for p in first),
        sigma=sigma,
        within_sd=within,
        people=people,
        count=len(first),
    )


def minimum_change(base: Baseline, run_checkins: int) -> float:
    """The smallest drop (scale points) that the baseline and a run of this length can tell from noise.

    The difference between the run's mean and the baseline's, one-sided at 5%:
    z₀.₉₅ × σ × √(1/baseline check-ins + 1/run check-ins), σ the spread of one check-in's mean,
    which is never below the sampling error of the group's size (the floor in :func:`baseline`).
    """
    return DETECTABLE_Z * base.sigma * math.sqrt(1 / base.count + 1 / max(1, run_checkins))


def ewma_limit(base: Baseline, t: int) -> float:
    """The lower EWMA limit at the t-th monitored check-in (exact, narrower at the start)."""
    width = L * base.sigma * math.sqrt(LAMBDA / (2 - LAMBDA) * (1 - (1 - LAMBDA) ** (2 * t)))
    return base.mean - width


def _level(means: Sequence[float], base: Baseline) -> Baseline:
    """The baseline re-estimated from more in-control check-ins (same floor as :func:`baseline`)."""
    floor = base.within_sd / math.sqrt(base.people / BASELINE_CHECKINS)
    count = len(means)
    mean = math.fsum(means) / count
    variance = math.fsum((m - mean) ** 2 for m in means) / (count - 1)
    return dataclasses.replace(base, mean=mean, sigma=max(math.sqrt(variance), floor), count=count)


def detect(points: Sequence[Point], *, item: str, partner: str) -> list[Alert]:
    """Drift alerts of one series of released means in check-in order: one per excursion."""
    base = baseline(points)
    if base is None:
        return []
    alerts: list[Alert] = []
    z = base.mean
    cusum = 0.0
    ewma_start = cusum_start = BASELINE_CHECKINS
    alarmed = False
    streak = 0  # consecutive check-ins beyond a limit
    # Self-starting: a check-in joins the baseline once it is LAG check-ins old and was in no
    # alarm, so the level is known better with time (four check-ins alone misplace it by half a
    # sigma, which would alarm again and again) while a recent drift never pulls it down.
    in_control = [p.mean for p in points[:BASELINE_CHECKINS]]
    flagged: set[int] = set()
    joined = BASELINE_CHECKINS
    for index in range(BASELINE_CHECKINS, len(points)):
        while joined <= index - LAG:
            if joined not in flagged:
                in_control.append(points[joined].mean)
            joined += 1
        if len(in_control) > base.count and len(in_control) % REFIT_EVERY == 0:
            base = _level(in_control, base)
        point = points[index]
        z = LAMBDA * point.mean + (1 - LAMBDA) * z
        if z >= base.mean:
            ewma_start = index + 1
        cusum = max(0.0, cusum + (base.mean - K * base.sigma) - point.mean)
        if cusum == 0.0:
            cusum_start = index + 1
        methods = []
        if z < ewma_limit(base, index - BASELINE_CHECKINS + 1):
            methods.append(("ewma", ewma_start))
        if cusum > H * base.sigma:
            methods.append(("cusum", cusum_start))
        if not methods:
            alarmed = False
            streak = 0
            continue
        streak += 1
        start = min(s for _, s in methods)
        if alarmed or streak < CONFIRM:
            flagged.add(index)
            continue
        run = points[start : index + 1]
        size = statistics.fmean(p.mean for p in run) - base.mean
        if -size < minimum_change(base, len(run)):
            continue
        alarmed = True
        flagged.update(range(start, index + 1))
        alerts.append(
            Alert(
                kind="drift",
                item=item,
                partner=partner,
                checkin=point.checkin,
                method="+".join(name for name, _ in methods),
                size=round(size, 2),
                since=points[start].checkin,
            )
        )
    return alerts
