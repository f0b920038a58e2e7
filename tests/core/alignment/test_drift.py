"""Drift alerts on simulated series: found early when real, silent on noise (seeded)."""

from __future__ import annotations

import numpy as np

from commonground.core.alignment import drift
from commonground.core.alignment.drift import Point, detect

SCALE = np.arange(1, 6)
SHARES = np.array([0.05, 0.10, 0.20, 0.40, 0.25])  # a content partnership: mostly 4s
SD = float(np.sqrt(((SCALE - SCALE @ SHARES) ** 2) @ SHARES))
# The false-alarm bound docs/methods.md states for the chosen limits (measured about 1.1-1.5).
FALSE_ALARMS_PER_1000_BOUND = 2.0


def _series(rng: np.random.Generator, length: int, n: int, shift_at: int | None = None, shift: float = 0.0):
    scores = rng.choice(SCALE, size=(length, n), p=SHARES).astype(float)
    if shift_at is not None:
        scores[shift_at:] += shift
    return [Point(str(t + 1), n, float(s.mean()), float(s.std(ddof=1))) for t, s in enumerate(scores)]


def test_a_one_sigma_step_down_is_found_within_a_year_in_most_runs() -> None:
    rng = np.random.default_rng(11)
    n, delays = 12, []
    for _ in range(200):
        points = _series(rng, 48, n, shift_at=12, shift=-SD / np.sqrt(n))
        after = [a for a in detect(points, item="voice", partner="A") if int(a.checkin) > 12]
        delays.append(int(after[0].checkin) - 12 if after else 99)
    # The textbook run length of these charts for a one-sigma shift is about 10 check-ins.
    assert np.median(delays) <= 13
    assert np.mean(np.array(delays) <= 24) >= 0.7  # a four-check-in baseline can start low


def test_a_two_sigma_drop_is_found_within_a_few_check_ins() -> None:
    rng = np.random.default_rng(12)
    n, delays = 20, []
    for _ in range(100):
        points = _series(rng, 30, n, shift_at=12, shift=-2 * SD / np.sqrt(n))
        after = [a for a in detect(points, item="voice", partner="A") if int(a.checkin) > 12]
        delays.append(int(after[0].checkin) - 12 if after else 99)
    assert np.median(delays) <= 6


def test_an_alert_names_item_partner_size_and_since() -> None:
    points = [Point(str(t), 20, 4.0 + (-0.05 if t % 2 else 0.05), 0.8) for t in range(1, 9)]
    points += [Point(str(t), 20, 3.2, 0.8) for t in range(9, 15)]
    alerts = detect(points, item="voice", partner="A")
    assert len(alerts) == 1
    alert = alerts[0]
    assert (alert.kind, alert.item, alert.partner) == ("drift", "voice", "A")
    assert alert.since == "9"
    assert int(alert.checkin) >= 10
    assert -0.9 < alert.size < -0.7


def test_stable_noisy_series_stay_under_the_stated_false_alarm_rate() -> None:
    rng = np.random.default_rng(2026)
    alarms = checkins = 0
    for n in (6, 20):
        for _ in range(10):  # 10 series of 100 years of monthly check-ins per group size
            points = _series(rng, 1200, n)
            alarms += len(detect(points, item="trust", partner="A"))
            checkins += 1200 - drift.BASELINE_CHECKINS
    assert 1000 * alarms / checkins < FALSE_ALARMS_PER_1000_BOUND


def test_a_perfectly_flat_baseline_does_not_alarm_on_one_changed_mind() -> None:
    points = [Point(str(t), 10, 4.0, 0.0) for t in range(1, 6)] + [Point("6", 10, 3.9, 0.3)]
    points += [Point(str(t), 10, 4.0, 0.0) for t in range(7, 12)]
    assert detect(points, item="trust", partner="A") == []


def test_a_drop_smaller_than_the_sample_can_detect_raises_nothing() -> None:
    base = drift.baseline([Point(str(t), 200, 4.0 + 0.001 * (t % 2), 0.9) for t in range(1, 5)])
    assert base is not None
    assert drift.minimum_change(base, 1) > 0.1
