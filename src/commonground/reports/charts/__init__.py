"""Chart definitions: pure functions from result models to self-contained, accessible SVG strings.

One definition serves the CLI's HTML report, the web workspace (Django templates embed the
returned strings with ``|safe``; every piece of user text is escaped here) and later PDF.
Every chart returns a small "no data" SVG rather than an empty string when there is nothing
to show, so a page's layout and its screen-reader text stay the same.

How to add a chart: write a pure function in a module named for what it shows, build it with
the helpers in ``svg.py`` (``svg()`` adds ``<title>``/``<desc>``; ``text()`` and ``tooltip()``
escape), return ``no_data(...)`` for empty input, export it here, and add an XML-parse and an
escaping test in ``tests/reports/test_charts.py``.
"""

from __future__ import annotations

from .gauge import score_gauge, verdict_heading, verdict_word, weak_fit
from .goals import goal_heatmap
from .grids import power_interest_grid, shared_value_matrix
from .sdgs import sdg_name, sdg_overlap
from .values import values_chart

__all__ = [
    "goal_heatmap",
    "power_interest_grid",
    "score_gauge",
    "sdg_name",
    "sdg_overlap",
    "shared_value_matrix",
    "values_chart",
    "verdict_heading",
    "verdict_word",
    "weak_fit",
]
