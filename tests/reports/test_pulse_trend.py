"""The pulse trend chart as the workspace draws it: from frozen JSON, partners named, gaps where hidden."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from commonground.core.alignment.models import ALL, Alert, Cell, PulseAnalysis
from commonground.reports.charts.pulse_trend import pulse_trend_chart

MONTHS = ("2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05")


def _cell(checkin: str, partner: str, mean: float | None) -> Cell:
    hidden = mean is None
    return Cell(
        checkin, partner, "voice", None if hidden else 6, mean, hidden, "fewer than 5" if hidden else ""
    )


def _analysis(partner: str = "17") -> PulseAnalysis:
    pooled = [_cell(m, ALL, v) for m, v in zip(MONTHS, (4.0, 3.9, 3.5, 3.2), strict=True)]
    small = [_cell(m, partner, v) for m, v in zip(MONTHS, (4.1, None, 3.0, 2.6), strict=True)]
    alert = Alert("drift", "voice", partner, MONTHS[3], "cusum", -1.2, MONTHS[2])
    return PulseAnalysis(MONTHS, (partner,), ("voice",), tuple(pooled + small), alerts=(alert,))


def test_the_frozen_json_gives_the_same_chart_with_partners_named() -> None:
    frozen = _analysis().as_json()
    chart = pulse_trend_chart(
        PulseAnalysis.from_json(frozen), "voice", "Voice in decisions", names={"17": "Meadowgate"}
    )
    assert chart == pulse_trend_chart(_analysis(), "voice", "Voice in decisions", names={"17": "Meadowgate"})
    root = ET.fromstring(chart)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert chart.count("<circle") == 7  # Meadowgate's hidden February is not drawn
    assert "Meadowgate, check-in 2026-03-05: 3.00 (6 people)" in chart
    assert "Drift alert (cusum): Meadowgate down 1.20 since check-in 2026-03-05" in chart
    assert ">17<" not in chart  # the workspace's key never shows


def test_hostile_partner_names_are_escaped() -> None:
    chart = pulse_trend_chart(_analysis(), "voice", "<b>Voice</b>", names={"17": "</svg><script>x</script>"})
    ET.fromstring(chart)  # noqa: S314 - our own output
    assert "<script>" not in chart
    assert "&lt;b&gt;Voice" in chart
