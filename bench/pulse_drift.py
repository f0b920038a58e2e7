"""False alarms and detection delay of the drift alerts (``core/alignment/drift.py``), simulated.

Individual answers on 1–5 with shares 5/10/20/40/25% (seeded). For each CUSUM limit h and group
size n: 100 series of 1,200 stable check-ins (100 years of monthly check-ins) give the false
alarms per 1,000 check-ins and how many series had any; 300 series with a step down of one and of
two sigma (sigma: the standard deviation of a check-in mean) after 12 stable check-ins give the
check-ins until the first alert after the step (99: none in 48). The figures are quoted in
docs/methods.md ("Drift").

Run: .venv/bin/python bench/pulse_drift.py   (about a minute on a quiet 2-core machine)
"""

from __future__ import annotations

import numpy as np

from commonground.core.alignment import drift
from commonground.core.alignment.drift import Point

SCALE = np.arange(1, 6)
SHARES = np.array([0.05, 0.10, 0.20, 0.40, 0.25])
SD = float(np.sqrt(((SCALE - SCALE @ SHARES) ** 2) @ SHARES))


def series(
    rng: np.random.Generator, length: int, n: int, shift_at: int | None = None, shift: float = 0.0
) -> list[Point]:
    """A series of check-in means of ``n`` simulated answers each, shifted from ``shift_at``."""
    scores = rng.choice(SCALE, size=(length, n), p=SHARES).astype(float)
    if shift_at is not None:
        scores[shift_at:] += shift
    return [Point(str(t + 1), n, float(s.mean()), float(s.std(ddof=1))) for t, s in enumerate(scores)]


def main() -> None:
    print("h   n   false alarms/1000  series with any   1σ step: median, ≤12   2σ step: median, ≤6")
    for h in (4.0, 5.0):
        drift.H = h
        for n in (6, 12, 50):
            rng = np.random.default_rng(7)
            alarms = hit = 0
            for _ in range(100):
                found = drift.detect(series(rng, 1200, n), item="i", partner="p")
                alarms += len(found)
                hit += bool(found)
            delays = {}
            for k in (1, 2):
                runs = []
                for _ in range(300):
                    points = series(rng, 60, n, shift_at=12, shift=-k * SD / np.sqrt(n))
                    after = [a for a in drift.detect(points, item="i", partner="p") if int(a.checkin) > 12]
                    runs.append(int(after[0].checkin) - 12 if after else 99)
                delays[k] = np.array(runs)
            rate = 1000 * alarms / (100 * (1200 - drift.BASELINE_CHECKINS))
            print(
                f"{h:.0f}  {n:>2}   {rate:17.2f}  {hit:>8}/100        "
                f"{np.median(delays[1]):5.1f}, {np.mean(delays[1] <= 12):4.0%}          "
                f"{np.median(delays[2]):5.1f}, {np.mean(delays[2] <= 6):4.0%}"
            )


if __name__ == "__main__":
    main()
