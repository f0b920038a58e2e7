"""KPI status against the straight line: labelled KPIs, passed targets, direction and the scorecard."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from commonground.core.agreement.kpis import KpiStatus, expected_value, kpi_status, kpis_part
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.what import Kpi

CASES_PATH = Path(__file__).resolve().parents[2] / "data" / "agreement" / "kpis.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))["cases"]


def kpi(**fields: Any) -> Kpi:
    """A KPI with the fields a case gives and plain defaults for the rest."""
    return Kpi.model_validate({"id": "k", "name": "Visits", "category": "social", "unit": "visits", **fields})


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_labelled_kpi(case: dict[str, Any]) -> None:
    result = kpi_status(kpi(**case["kpi"]))
    assert result.status.value == case["expect"], f"{case['reason']} (progress {result.progress})"


def test_every_status_has_a_labelled_case_with_a_reason() -> None:
    assert all(c.get("reason") for c in CASES)
    assert {c["expect"] for c in CASES} == {s.value for s in KpiStatus}


def test_the_line_runs_through_each_target_and_then_stays_flat() -> None:
    k = kpi(
        baseline={"value": 0, "date": "2026-01-01"},
        targets=[{"value": 100, "date": "2027-01-01"}, {"value": 50, "date": "2026-07-01"}],
    )
    assert expected_value(k, datetime.date(2026, 7, 1)) == 50  # targets are taken in date order
    assert expected_value(k, datetime.date(2027, 1, 1)) == 100
    assert expected_value(k, datetime.date(2030, 1, 1)) == 100
    assert expected_value(k, datetime.date(2025, 6, 1)) == 0


def test_a_passed_target_is_judged_by_the_first_reading_after_it() -> None:
    result = kpi_status(
        kpi(
            baseline={"value": 0, "date": "2025-01-01"},
            targets=[{"value": 30, "date": "2026-01-01"}, {"value": 60, "date": "2027-01-01"}],
            measurements=[
                {"date": "2025-12-01", "value": 29},
                {"date": "2026-01-15", "value": 27},
                {"date": "2026-07-02", "value": 46},
            ],
        )
    )
    (passed,) = result.passed_targets
    assert passed.reached is False
    assert passed.reading is not None
    assert passed.reading.value == 27
    assert result.next_target is not None
    assert result.next_target.value == 60


@given(
    st.floats(min_value=-1000, max_value=1000),
    st.floats(min_value=1, max_value=1000),
    st.floats(min_value=0, max_value=2),
)
def test_a_decreasing_kpi_mirrors_an_increasing_one(baseline: float, drop: float, fraction: float) -> None:
    dates = {"baseline": {"value": baseline, "date": "2026-01-01"}}
    reading = [{"date": "2026-07-02", "value": baseline + fraction * drop}]
    up = kpi_status(
        kpi(**dates, targets=[{"value": baseline + drop, "date": "2027-01-01"}], measurements=reading)
    )
    mirrored = [{"date": "2026-07-02", "value": baseline - fraction * drop}]
    down = kpi_status(
        kpi(
            **dates,
            direction="decrease",
            targets=[{"value": baseline - drop, "date": "2027-01-01"}],
            measurements=mirrored,
        )
    )
    assert up.status is down.status
    assert up.progress == pytest.approx(down.progress)


def test_the_part_reports_off_track_kpis_and_a_reading_before_baseline(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = make_agreement(
        what={
            "kpis": [
                {
                    "id": "swim",
                    "name": "Bathing days",
                    "category": "environmental",
                    "unit": "days",
                    "baseline": {"value": 10, "date": "2025-01-01"},
                    "targets": [{"value": 60, "date": "2027-01-01"}],
                    "measurements": [{"date": "2024-06-01", "value": 8}, {"date": "2026-05-01", "value": 12}],
                },
            ]
        }
    )
    part = kpis_part(agreement, today=today)
    codes = {(f.code, f.path) for f in part.findings}
    assert ("kpis.off_track", "what.kpis[0].measurements") in codes
    assert ("kpis.reading_before_baseline", "what.kpis[0].measurements[0]") in codes
    assert part.figures["counts"]["off_track"] == 1


def test_scorecard_puts_the_vision_on_top_and_partner_kpis_under_the_joint_one(
    make_agreement: Callable[..., Agreement],
    today: datetime.date,
) -> None:
    base = {
        "unit": "n",
        "baseline": {"value": 0, "date": "2026-01-01"},
        "targets": [{"value": 1, "date": "2027-01-01"}],
    }
    agreement = make_agreement(
        what={
            "kpis": [
                {
                    "id": "mill-own",
                    "name": "Mill volunteers",
                    "category": "social",
                    "partner": "mill",
                    "linked_to": "vol",
                    **base,
                },
                {"id": "trust", "name": "Trust between partners", "category": "relationship", **base},
                {"id": "vol", "name": "Volunteer hours", "category": "social", **base},
                {"id": "cost", "name": "Cost per sample", "category": "financial", **base},
            ]
        }
    )
    part = kpis_part(agreement, today=today)
    assert part.figures["shared_vision"] == "A river people can swim in by 2030."
    assert [c["category"] for c in part.figures["categories"]] == ["financial", "social", "relationship"]
    social = part.tables[1]
    assert social.title == "Social"
    assert [row[0] for row in social.rows] == ["Volunteer hours", "↳ Mill volunteers"]
    assert social.rows[1][1] == "Millbrook Paper"


def test_a_target_against_the_direction_is_questioned(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = make_agreement(
        what={
            "kpis": [
                {
                    "id": "waste",
                    "name": "Waste",
                    "category": "environmental",
                    "unit": "t",
                    "direction": "decrease",
                    "baseline": {"value": 10, "date": "2026-01-01"},
                    "targets": [{"value": 12, "date": "2027-01-01"}],
                },
            ]
        }
    )
    codes = [f.code for f in kpis_part(agreement, today=today).findings]
    assert "kpis.target_against_direction" in codes
