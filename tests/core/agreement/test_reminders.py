"""When a KPI's next reading is due: one period after the last reading (or the baseline), in calendar
months where the frequency is in months, and no longer once a reading reaches the last target's date."""

from __future__ import annotations

import datetime

from commonground.core.agreement.reminders import add_months, next_reading, reading_due
from commonground.core.agreement.what import Kpi

D = datetime.date


def _kpi(frequency: str, *readings: tuple[str, float]) -> Kpi:
    return Kpi.model_validate(
        {
            "id": "meals", "name": "Meals", "category": "social", "unit": "meals", "frequency": frequency,
            "baseline": {"value": 0, "date": "2026-01-31"}, "targets": [{"value": 100, "date": "2026-12-31"}],
            "measurements": [{"date": day, "value": value} for day, value in readings],
        }
    )  # fmt: skip


def test_months_end_on_the_last_day_of_a_shorter_month() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)


def test_the_first_reading_is_due_one_period_after_the_baseline() -> None:
    due = next_reading(_kpi("quarterly"))
    assert due is not None
    assert (due.due, due.last) == (D(2026, 4, 30), D(2026, 1, 31))
    assert reading_due(_kpi("quarterly"), today=D(2026, 4, 29)) is None
    assert reading_due(_kpi("quarterly"), today=D(2026, 4, 30)) == due


def test_a_reading_moves_the_next_one_on_by_its_frequency() -> None:
    weekly = next_reading(_kpi("weekly", ("2026-03-02", 5)))
    assert weekly is not None
    assert weekly.due == D(2026, 3, 9)
    found = next_reading(_kpi("fortnightly", ("2026-03-02", 5), ("2026-02-01", 2)))
    assert found is not None
    assert (found.due, found.last) == (D(2026, 3, 16), D(2026, 3, 2))
    yearly = next_reading(_kpi("annually", ("2026-02-10", 5)))
    assert yearly is not None
    assert yearly.due == D(2027, 2, 10)


def test_a_reading_before_the_baseline_does_not_count() -> None:
    found = next_reading(_kpi("monthly", ("2025-12-01", 5)))
    assert found is not None
    assert found.last == D(2026, 1, 31)


def test_no_reading_is_due_once_one_reaches_the_last_target_date() -> None:
    assert next_reading(_kpi("monthly", ("2026-12-31", 90))) is None
    assert next_reading(_kpi("monthly", ("2026-12-30", 90))) is not None
