"""The check-in trend chart: valid, self-contained SVG; a suppressed month is a gap, never a point."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from commonground.reports.charts.checkin_trend import checkin_trend_chart

MONTHS = ("2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05")


def test_the_chart_is_accessible_svg_with_a_point_per_released_mean() -> None:
    chart = checkin_trend_chart(
        "Voice in decisions",
        MONTHS,
        [("All partners", [4.0, 3.9, 3.5, 3.2]), ("Meadowgate", [4.1, None, 3.0, 2.6])],
    )
    root = ET.fromstring(chart)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert chart.count("<circle") == 7  # the hidden month of Meadowgate is not drawn
    # The pool is one line; Meadowgate's line starts in March (January stands alone, as a point).
    assert chart.count("<polyline") == 2
    assert "Meadowgate: 2026-01-05 4.1, 2026-03-05 3.0, 2026-04-05 2.6" in chart
    assert "<script" not in chart
    assert "style=" not in chart


def test_hostile_names_are_escaped_and_nothing_released_gives_no_data() -> None:
    chart = checkin_trend_chart("<b>Trust</b>", MONTHS[:2], [("</svg><script>x</script>", [3.0, 3.5])])
    ET.fromstring(chart)  # noqa: S314 - our own output
    assert "<script>" not in chart
    assert "&lt;b&gt;Trust" in chart
    empty = checkin_trend_chart("Trust", MONTHS, [("All partners", [None] * 4)])
    assert "No figure released yet" in empty
