"""Charts: valid standalone SVG, accessible, escaped, and showing the right data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from commonground.core.results import AssessmentResult, GoalMatrix, SdgOverlap, StakeholderView
from commonground.reports import charts
from commonground.reports.charts.svg import DIVERGING, text_width

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"


def _all_charts(result: AssessmentResult) -> dict[str, str]:
    return {
        "gauge": charts.score_gauge(result.score, result.verdict),
        "heatmap": charts.goal_heatmap(result.goal_matrix),
        "values": charts.values_chart(result.values, result.parties),
        "sdgs": charts.sdg_overlap(result.sdgs),
        "grid": charts.power_interest_grid(result.stakeholders, result.parties),
        "shared_value": charts.shared_value_matrix(result.initiatives, result.parties),
    }


def _empty_charts() -> dict[str, str]:
    return {
        "gauge": charts.score_gauge(None, None),
        "heatmap": charts.goal_heatmap(GoalMatrix(rows=[], columns=[], cells=[])),
        "values": charts.values_chart([], []),
        "sdgs": charts.sdg_overlap(SdgOverlap(partners={}, shared=[])),
        "grid": charts.power_interest_grid([]),
        "shared_value": charts.shared_value_matrix([], []),
    }


@pytest.mark.parametrize("fixture", ["two_party", "three_party", "hostile"])
def test_every_chart_is_accessible_svg(fixture: str, request: pytest.FixtureRequest) -> None:
    result: AssessmentResult = request.getfixturevalue(fixture)
    for name, svg in _all_charts(result).items():
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        assert root.tag == f"{NS}svg", name
        assert root.get("role") == "img"
        title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
        assert title is not None, name
        assert title.text, name
        assert desc is not None, name
        assert desc.text, name
        labelled = (root.get("aria-labelledby") or "").split()
        assert labelled == [title.get("id"), desc.get("id")]


def test_empty_inputs_give_a_small_no_data_chart() -> None:
    for name, svg in _empty_charts().items():
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        assert root.tag == f"{NS}svg", name
        assert root.find(f"{NS}desc") is not None


def test_charts_contain_no_scripts_or_external_references(two_party: AssessmentResult) -> None:
    for name, svg in _all_charts(two_party).items():
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        for el in root.iter():
            assert el.tag not in {f"{NS}script", f"{NS}image", f"{NS}foreignObject", f"{NS}style"}, name
            for attr, value in el.attrib.items():
                assert "href" not in attr, (name, attr)
                assert not attr.startswith("on"), (name, attr)
                assert "url(" not in value, (name, value)


def test_hostile_text_is_escaped_in_svg(hostile: AssessmentResult) -> None:
    for name, svg in _all_charts(hostile).items():
        assert HOSTILE not in svg, name
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        assert not list(root.iter(f"{NS}script"))
    heatmap = charts.goal_heatmap(hostile.goal_matrix)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in heatmap


def test_heatmap_has_one_cell_per_goal_pair_with_the_score_colour(two_party: AssessmentResult) -> None:
    matrix = two_party.goal_matrix
    root = ET.fromstring(charts.goal_heatmap(matrix))  # noqa: S314 - our own output
    cells = [g for g in root.iter(f"{NS}g") if "cell" in (g.get("class") or "").split()]
    assert len(cells) == len(matrix.rows) * len(matrix.columns)
    expected = [c for row in matrix.cells for c in row]
    for g, cell in zip(cells, expected, strict=True):
        assert cell is not None
        suffix = f"m{-cell.score}" if cell.score < 0 else f"p{cell.score}" if cell.score > 0 else "0"
        assert f"score-{suffix}" in (g.get("class") or "").split()
        rect = g.find(f"{NS}rect")
        assert rect is not None
        assert rect.get("fill") == DIVERGING[cell.score]
        label = g.find(f"{NS}text")
        assert label is not None
        assert label.text == {-3: "−3", -2: "−2", -1: "−1", 0: "0"}.get(cell.score, f"+{cell.score}")


def test_heatmap_greys_null_cells_and_keeps_full_goal_text(three_party: AssessmentResult) -> None:
    matrix = three_party.goal_matrix
    svg = charts.goal_heatmap(matrix)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    nulls = [g for g in root.iter(f"{NS}g") if "cell-null" in (g.get("class") or "")]
    assert len(nulls) == sum(c is None for row in matrix.cells for c in row) > 0
    titles = {t.text for t in root.iter(f"{NS}title")}
    long_goal = (
        "Harbor Health Alliance: Get a sugar-drinks levy adopted by the state legislature (priority medium)"
    )
    assert long_goal in titles


def test_sdg_overlap_has_17_tiles_per_partner_and_marks_shared(three_party: AssessmentResult) -> None:
    root = ET.fromstring(charts.sdg_overlap(three_party.sdgs))  # noqa: S314 - our own output
    tiles = [g for g in root.iter(f"{NS}g") if "tile" in (g.get("class") or "").split()]
    assert len(tiles) == 17 * len(three_party.sdgs.partners)
    shared = {int(g.get("data-sdg") or 0) for g in tiles if "shared" in (g.get("class") or "").split()}
    assert shared == set(three_party.sdgs.shared)


def test_power_interest_grid_labels_quadrants_and_every_stakeholder(two_party: AssessmentResult) -> None:
    svg = charts.power_interest_grid(two_party.stakeholders, two_party.parties)
    for label in ("MANAGE CLOSELY", "KEEP SATISFIED", "KEEP INFORMED", "MONITOR"):
        assert label in svg
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    points = [g for g in root.iter(f"{NS}g") if g.get("class") == "stakeholder"]
    assert len(points) == len(two_party.stakeholders)
    centres = {(c.get("cx"), c.get("cy")) for g in points for c in g.iter(f"{NS}circle")}
    # Parents and Local press share a position in the fixture; they must be nudged apart.
    assert len(centres) == len(points)


def test_shared_value_matrix_has_a_marker_per_initiative_per_partner(two_party: AssessmentResult) -> None:
    root = ET.fromstring(charts.shared_value_matrix(two_party.initiatives, two_party.parties))  # noqa: S314
    markers = [g for g in root.iter(f"{NS}g") if g.get("class") == "initiative"]
    assert len(markers) == sum(len(i.economic_value) for i in two_party.initiatives)


def test_gauge_states_score_and_verdict() -> None:
    svg = charts.score_gauge(72.0, "workable")
    assert ">72<" in svg
    assert ">Workable<" in svg
    assert "verdict: Workable" in svg


def test_a_gauge_under_40_says_a_workable_verdict_is_a_weak_fit() -> None:
    # The dial under a zero reads as the page beside it does, not a bare "Workable".
    svg = charts.score_gauge(0.0, "workable")
    assert ">0<" in svg
    assert ">Workable, weak fit<" in svg
    assert "verdict: Workable, weak fit" in svg
    assert ">At risk<" in charts.score_gauge(12.0, "at_risk")


def test_ids_are_stable_and_differ_between_charts(two_party: AssessmentResult) -> None:
    first, second = _all_charts(two_party), _all_charts(two_party)
    assert first == second
    ids = [ET.fromstring(s).get("aria-labelledby") for s in first.values()]  # noqa: S314
    assert len(set(ids)) == len(ids)


def test_charts_carry_no_inline_styles_so_a_strict_csp_page_can_embed_them(
    two_party: AssessmentResult,
) -> None:
    # The web workspace's Content-Security-Policy allows styles from its own stylesheet only;
    # a style attribute or <style> block in a chart would be blocked in the browser.
    for name, chart in {**_all_charts(two_party), **_empty_charts()}.items():
        root = ET.fromstring(chart)  # noqa: S314 - our own output
        for element in root.iter():
            assert "style" not in element.attrib, f"{name}: inline style on <{element.tag}>"
            assert element.tag != f"{NS}style", f"{name}: <style> block"


def _crowded_stakeholders() -> list[StakeholderView]:
    spots = [(4, 4)] * 12 + [(3, 4), (3, 3), (4, 3), (5, 3), (3, 5), (4.5, 4.5), (2, 5), (2, 5)]
    return [
        StakeholderView(
            name=f"Stakeholder with a long name {n}",
            parties=["A"],
            power=power,
            interest=interest,
            quadrant="manage_closely",
            strategy="Manage closely",
            salience_class="dormant",
            salience=1,
            stances={},
        )
        for n, (power, interest) in enumerate(spots)
    ]


def test_power_interest_labels_never_cover_a_marker_and_crowded_ones_are_numbered() -> None:
    stakeholders = _crowded_stakeholders()
    root = ET.fromstring(charts.power_interest_grid(stakeholders, ["A"]))  # noqa: S314 - our own output
    groups = [g for g in root.iter(f"{NS}g") if g.get("class") == "stakeholder"]
    markers = [
        (float(c.get("cx") or 0), float(c.get("cy") or 0)) for g in groups for c in g.iter(f"{NS}circle")
    ]
    boxes = []
    for g in groups:
        label = next(g.iter(f"{NS}text"))
        x, y, content = float(label.get("x") or 0), float(label.get("y") or 0), label.text or ""
        width = text_width(content, 11)
        x0 = x if label.get("text-anchor") == "start" else x - width
        boxes.append((x0, y - 11, x0 + width, y + 2))
    for x0, y0, x1, y1 in boxes:
        for cx, cy in markers:
            assert not (x0 < cx + 6 and cx - 6 < x1 and y0 < cy + 6 and cy - 6 < y1), (x0, y0, cx, cy)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    # A marker too crowded for its name carries a number, and the name is listed under the chart.
    numbered = [next(g.iter(f"{NS}text")).text or "" for g in groups]
    numbers = [t for t in numbered if t.isdigit()]
    assert numbers, "twelve stakeholders on one spot cannot all be named beside their markers"
    listed = [
        t.text or ""
        for t in root.iter(f"{NS}text")
        if (t.text or "").split(". ")[0] in numbers and ". " in (t.text or "")
    ]
    assert len(listed) == len(numbers)
    assert all("Stakeholder with a long name" in t for t in listed)
