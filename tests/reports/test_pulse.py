"""Pulse renderers: hidden figures stay hidden in every format; text from answers is escaped."""

from __future__ import annotations

import json

import pytest

from commonground.core.alignment.analysis import analyse
from commonground.core.alignment.models import Answer
from commonground.reports.charts.pulse_trend import pulse_trend_chart
from commonground.reports.pulse import PULSE_FORMATS, render_pulse


def _answers() -> list[Answer]:
    answers = []
    for c in range(1, 9):
        for i in range(12):
            answers.append(Answer(str(c), f"n{i}", "North", "voice", 4 if c < 5 else 2))
        for i in range(3):
            answers.append(Answer(str(c), f"e{i}", "East & <Co>", "voice", 1))
    return answers


@pytest.mark.parametrize("fmt", list(PULSE_FORMATS))
def test_every_format_leaves_the_small_partner_out(fmt: str) -> None:
    out = render_pulse(analyse(_answers()), fmt)
    # East's three people always answer 1: its mean must appear nowhere.
    assert "1.00 (3)" not in out
    assert '"mean": 1.0' not in out


def test_text_lists_the_drift_alert_first() -> None:
    out = render_pulse(analyse(_answers()), "text")
    alerts = out.index("Drift alerts")
    # North is hidden (East would be the total minus North): the alert is on all partners.
    assert "Voice in decisions, all partners: down" in out[alerts : out.index("Check-in 1")]


def test_json_is_the_contract() -> None:
    data = json.loads(render_pulse(analyse(_answers()), "json"))
    assert data["alerts"][0]["kind"] == "drift"
    assert data["alerts"][0]["partner"] in {"North", "all"}


def test_html_escapes_partner_names() -> None:
    page = render_pulse(analyse(_answers()), "html")
    assert "East &amp; &lt;Co&gt;" in page
    assert "<Co>" not in page


def test_the_trend_chart_breaks_at_hidden_check_ins() -> None:
    answers = [Answer(str(c), f"n{i}", "North", "voice", 4) for c in (1, 2, 4, 5) for i in range(6)]
    answers += [Answer("3", f"n{i}", "North", "voice", 4) for i in range(3)]
    chart = pulse_trend_chart(analyse(answers), "voice", "Voice")
    assert chart.startswith("<svg")
    # Check-in 3 is hidden: two runs of each line (all partners, North), none across the gap.
    assert chart.count("<polyline") == 4
    assert "check-in 3" not in chart


def test_the_trend_chart_says_when_nothing_can_be_shown() -> None:
    answers = [Answer("1", f"n{i}", "North", "voice", 4) for i in range(3)]
    assert "Nothing can be shown yet" in pulse_trend_chart(analyse(answers), "voice")
