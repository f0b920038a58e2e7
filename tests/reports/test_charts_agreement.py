"""The agreement's charts: a KPI's trend against its line and bands, and the equity shares."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from commonground.core.agreement.equity import Shares
from commonground.core.agreement.kpis import kpi_status
from commonground.core.agreement.what import Kpi
from commonground.reports.charts.equity_bars import equity_chart
from commonground.reports.charts.kpi_trend import kpi_trend_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "quotes"'


def _kpi(**extra: object) -> Kpi:
    data: dict[str, object] = {
        "id": "meals", "name": "Healthy meals", "category": "social", "unit": "meals",
        "baseline": {"value": 0, "date": "2026-01-01"}, "targets": [{"value": 100, "date": "2026-12-31"}],
        "measurements": [{"date": "2026-04-01", "value": 10}, {"date": "2026-07-01", "value": 60}],
    }  # fmt: skip
    return Kpi.model_validate(data | extra)


def test_the_trend_chart_draws_the_line_the_bands_the_target_and_each_reading_with_words() -> None:
    svg = kpi_trend_chart(kpi_status(_kpi()))
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Trend of Healthy meals"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "Baseline 0 meals on 2026-01-01; targets 100 by 2026-12-31; 2 readings, latest reading 60" in desc
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "2026-07-01: 60 meals" in titles
    assert "Target: 100 meals by 2026-12-31" in titles
    assert "On track: at least 90% of the expected progress" in titles
    assert len(list(root.iter(f"{SVG}circle"))) == 2


def test_the_trend_chart_escapes_what_people_typed_and_handles_lower_is_better() -> None:
    kpi = _kpi(name=HOSTILE, unit=HOSTILE, direction="decrease",
               targets=[{"value": -50, "date": "2026-12-31"}])  # fmt: skip
    svg = kpi_trend_chart(kpi_status(kpi))
    ET.fromstring(svg)  # noqa: S314 - well-formed even with markup in the names
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_a_kpi_without_readings_still_draws_its_line() -> None:
    svg = kpi_trend_chart(kpi_status(_kpi(measurements=[])))
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert "no reading yet: no data" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_the_equity_chart_shows_each_share_and_says_which_are_not_known() -> None:
    shares = Shares(
        partners=("a", "b"), contribution=(0.8, 0.2), power=(0.5, 0.5), benefit=None, benefit_source="none",
        unrated=(), proposed=(1, 0), blocked=(0, 0),
    )  # fmt: skip
    svg = equity_chart(shares, {"a": HOSTILE, "b": "Meadow"})
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert "<script>" not in svg
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert desc.startswith("Equal share 50%.")
    assert "Meadow: contribution 20%, decision power 50%, benefit not known" in desc
    assert "benefit: not known yet" in svg
