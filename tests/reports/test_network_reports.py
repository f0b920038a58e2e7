"""The network picture and reports: well-formed, deterministic, escaped, with the figures in words."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from pdf_text import page_count, squashed, text_of

from commonground.core.network import Survey, analyse_round, compare_rounds
from commonground.reports.charts.network import CLASSES, network_chart, score_fill
from commonground.reports.network import NETWORK_FORMATS, network_tables, render_network, render_network_pdf

HOSTILE = '<script>alert(1)</script> & "Co" \x01'

SVG = "{http://www.w3.org/2000/svg}"


def _hostile(survey: Survey) -> Survey:
    renamed = [
        o.model_copy(update={"name": HOSTILE}) if o.id == "valley-network" else o
        for o in survey.organisations
    ]
    return survey.model_copy(update={"organisations": renamed})


def test_the_picture_is_well_formed_and_draws_every_organisation_and_tie(survey: Survey) -> None:
    analysis = analyse_round(survey)
    root = ET.fromstring(network_chart(analysis))  # noqa: S314 - our own output
    nodes = root.findall(f".//{SVG}g[@class='cg-node']")
    assert len(nodes) == len(analysis.organisations)
    lines = [e for e in root.iter(f"{SVG}line") if e.find(f"{SVG}title") is not None]
    assert len(lines) == len(analysis.ties)
    assert root.find(f"{SVG}title").text == "Riverside Together: network, round 2026-spring"  # type: ignore[union-attr]


def test_the_picture_is_the_same_every_time(survey: Survey) -> None:
    # The layout is seeded: two analyses of the same round draw the same picture.
    first = network_chart(analyse_round(survey, "2025-spring"), "value")
    assert network_chart(analyse_round(survey, "2025-spring"), "value") == first


def test_a_hostile_name_is_escaped_in_the_picture_and_the_page(survey: Survey) -> None:
    analysis = analyse_round(_hostile(survey))
    chart = network_chart(analysis)
    ET.fromstring(chart)  # noqa: S314 - our own output; a stray < or control character fails here
    assert "<script>" not in chart
    assert "&lt;script&gt;" in chart
    page = render_network(analysis, "html")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_single_points_of_failure_are_ringed_and_explained(survey: Survey) -> None:
    analysis = analyse_round(survey)
    root = ET.fromstring(network_chart(analysis))  # noqa: S314 - our own output
    rings = [c for c in root.iter(f"{SVG}circle") if c.get("stroke-dasharray")]
    # One ring per single point of failure, and one in the legend.
    assert len(rings) == len(analysis.single_points_of_failure) + 1
    tips = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert any(t.startswith("Upper Valley Rural Network;") and "single point of failure" in t for t in tips)


def test_nodes_are_filled_by_the_chosen_score_with_a_legend(survey: Survey) -> None:
    analysis = analyse_round(survey)
    hub = analysis.organisation("hub")
    assert hub.trust is not None
    assert hub.value is not None
    by_trust, by_value = network_chart(analysis, "trust"), network_chart(analysis, "value")
    assert "Trust score (others&#x27; ratings):" in by_trust
    assert "Value score (others&#x27; ratings):" in by_value
    assert f'fill="{score_fill(hub.value)}"' in by_value
    for _, colour, label in CLASSES:
        assert colour in by_trust
        assert label in by_trust
    assert score_fill(None) != score_fill(1.0)
    assert [score_fill(s) for s in (1.0, 2.2, 2.7, 3.2, 4.0)] == [c for _, c, _ in CLASSES]


def test_the_text_report_gives_the_figures_and_the_weak_points(survey: Survey) -> None:
    change = compare_rounds(survey, "2025-spring", "2026-spring")
    text = render_network(change.after, "text", change=change)
    assert f"density                      {change.after.density:.2f}" in text
    assert "Single points of failure (the network splits without them): Millrace Urban Farm, " in text
    assert "No ties this round: Old Mill Arts Centre, Riverside Credit Union" in text
    assert "Change since 2025-spring" in text
    assert "Riverside Refugee Welcome       0 → 3" in text


def test_the_tables_are_shared_by_text_and_html(survey: Survey) -> None:
    analysis = analyse_round(survey)
    page = render_network(analysis, "html")
    for table in network_tables(analysis):
        assert f"<h2>{table.title}</h2>" in page
    assert "<svg" in page
    assert "not individual people" in page


def test_every_format_renders(survey: Survey) -> None:
    analysis = analyse_round(survey)
    for fmt in NETWORK_FORMATS:
        assert render_network(analysis, fmt)
    with pytest.raises(ValueError, match="choose one of text, json, html, svg"):
        render_network(analysis, "pdf")


def test_a_coalition_without_ties_still_draws() -> None:
    survey = Survey.model_validate(
        {
            "coalition": "New",
            "organisations": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "rounds": [{"label": "r1", "date": "2025-01-01"}],
        }
    )
    root = ET.fromstring(network_chart(analyse_round(survey)))  # noqa: S314 - our own output
    assert len(root.findall(f".//{SVG}g[@class='cg-node']")) == 2


def test_ties_the_other_side_did_not_answer_about_are_listed_apart_from_the_gaps(survey: Survey) -> None:
    analysis = analyse_round(survey, "2026-spring")
    tables = {t.title: t for t in network_tables(analysis)}
    assert tables["Ties not answered by the other side"].rows == (
        ("Riverside Together (backbone)", "Riverside Community Food Bank", "did not answer about A"),
    )
    one_sided = [row for row in tables["Perception gaps"].rows if row[2] == "the tie itself"]
    assert all(row[4] == "does not work with them" for row in one_sided)
    assert ("Riverside Together (backbone)", "Riverside Community Food Bank") not in {
        r[:2] for r in one_sided
    }
    lines = [
        e.find(f"{SVG}title").text  # type: ignore[union-attr]
        for e in ET.fromstring(network_chart(analysis)).iter(f"{SVG}line")  # noqa: S314 - our own output
        if e.find(f"{SVG}title") is not None
    ]
    assert any("Riverside Community Food Bank did not answer about it" in (t or "") for t in lines)
    assert any("says they do not work together" in (t or "") for t in lines)


def test_the_earlier_round_counts_a_non_respondents_ties_as_not_answered(survey: Survey) -> None:
    rows = network_tables(analyse_round(survey, "2025-spring"))[3].rows
    assert ("Upper Valley Rural Network", "Valley Mobile Library", "did not answer this round") in rows


def test_one_tie_and_one_organisation_are_counted_in_the_singular() -> None:
    rating = {
        "by": "a",
        "about": "b",
        "level": 3,
        "value": {"power": 3, "involvement": 3, "resources": 3},
        "trust": {"reliable": 3, "mission": 3, "open": 3},
    }
    survey = Survey.model_validate(
        {
            "coalition": "Pair",
            "organisations": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}],
            "rounds": [{"label": "r1", "date": "2025-01-01", "not_responding": ["c"], "ratings": [rating]}],
        }
    )
    analysis = analyse_round(survey)
    text = render_network(analysis, "text")
    assert "3 organisations (2 answered), 1 tie\n" in text
    assert "1 organisation without ties." in network_chart(analysis)


def test_the_pdf_has_the_picture_the_weak_points_and_every_organisation(survey: Survey) -> None:
    analysis = analyse_round(survey)
    pdf = render_network_pdf(analysis, compare_rounds(survey, "2025-spring", analysis.label), "trust")
    assert pdf.startswith(b"%PDF-")
    text = squashed(text_of(pdf))
    assert squashed("Riverside Together: network") in text
    assert squashed("Weak points") in text
    # The organisations' table is wide: on A4 turned sideways every organisation is there, none cut off.
    assert all(squashed(name) in text for name in analysis.names.values())
    assert squashed("Change since") in text or squashed("Changes") in text
    # The picture is drawn, not dropped: its node labels are text in the PDF too.
    assert 1 <= page_count(pdf) <= 6
