"""The network picture's names stay readable on a crowded coalition: no two overlap, long ones are
shortened with the full name kept as a tooltip, and every name is in the picture, escaped."""

from __future__ import annotations

import html
import itertools
import xml.etree.ElementTree as ET

import pytest

from commonground.core.network import Survey, analyse_round
from commonground.reports.charts.network import LABEL_CHARS, WIDTH, network_chart
from commonground.reports.charts.placement import Box, Point, place_labels

LONG = 'Riverside "Harbour & Quay" <Community> Development Trust'

SVG = "{http://www.w3.org/2000/svg}"


def _labels(chart: str) -> list[tuple[str, str, Box]]:
    """(full name, shown name, box) of each name in the picture."""
    root = ET.fromstring(chart)  # noqa: S314 - our own output
    out = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "cg-label":
            continue
        rect, shown = group.find(f"{SVG}rect"), group.find(f"{SVG}text")
        assert rect is not None
        assert shown is not None
        x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
        box = Box(x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0)))
        out.append((group.findtext(f"{SVG}title") or "", shown.text or "", box))
    return out


@pytest.mark.parametrize("label", ["2025-spring", "2026-spring"])
def test_no_two_names_overlap_on_the_thirty_organisation_example(survey: Survey, label: str) -> None:
    analysis = analyse_round(survey, label)
    labels = _labels(network_chart(analysis))
    assert len(analysis.organisations) == 30
    assert sorted(name for name, _, _ in labels) == sorted(o.name for o in analysis.organisations)
    for (a, _, box_a), (b, _, box_b) in itertools.combinations(labels, 2):
        assert not box_a.overlaps(box_b), (a, b)
    assert all(box.x0 >= 0 and box.x1 <= WIDTH for _, _, box in labels)


def test_a_long_name_is_shortened_with_its_full_name_as_the_tooltip(survey: Survey) -> None:
    renamed = [o.model_copy(update={"name": LONG}) if o.id == "hub" else o for o in survey.organisations]
    chart = network_chart(analyse_round(survey.model_copy(update={"organisations": renamed})))
    (shown,) = [shown for name, shown, _ in _labels(chart) if name == LONG]
    assert shown.endswith("…")
    assert len(shown) <= LABEL_CHARS
    assert LONG.startswith(shown[:-1])
    assert html.escape(LONG, quote=True) in chart
    assert "<Community>" not in chart


def test_every_name_is_placed_clear_of_the_others_even_on_one_spot() -> None:
    # Ten organisations drawn on the same point: each name still finds its own place.
    points = [Point(str(i), 400, 300, 6, f"Organisation number {i}") for i in range(10)]
    placed = place_labels(points, Box(0, 0, 800, 600), 10)
    boxes = [spot.box for spot in placed.values() if spot is not None]
    assert len(boxes) == 10
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
