"""A closed round's results in the workspace are the core's analysis of the same answers.

The demo coalition is stored from ``examples/network-riverside.yaml`` (as ``serve --demo`` does) and
compared with what ``commonground network`` computes from the file: figures, tables, picture, ties.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.core.network import Survey, analyse_round, compare_rounds, edge_rows
from commonground.reports.network import network_tables
from commonground.web.networks.models import NetworkRound, RoundState
from commonground.web.networks.results import round_results
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _rounds(partnership: Partnership) -> tuple[NetworkRound, NetworkRound]:
    first, second = NetworkRound.objects.filter(partnership=partnership).order_by("date")
    return first, second


def test_the_figures_equal_the_cores_analysis_of_the_survey_file(
    riverside: Partnership, riverside_survey: Survey
) -> None:
    first, second = _rounds(riverside)
    got = round_results(partnership_name=riverside.name, survey_round=second, previous=first)
    want = analyse_round(riverside_survey, second.label)
    want_change = compare_rounds(riverside_survey, first.label, second.label)
    for name in ("density", "degree_centralization", "betweenness_centralization", "trust", "value"):
        assert getattr(got.analysis, name) == pytest.approx(getattr(want, name)), name
    assert got.analysis.reciprocity == pytest.approx(want.reciprocity)
    named = got.analysis.names
    assert [named[i] for i in got.analysis.single_points_of_failure] == [
        want.names[i] for i in want.single_points_of_failure
    ]
    assert [named[i] for i in got.analysis.isolates] == [want.names[i] for i in want.isolates]
    assert len(got.analysis.gaps) == len(want.gaps) > 0
    assert network_tables(got.analysis, got.change) == network_tables(want, want_change)


def test_the_results_page_shows_every_table_cell_and_the_picture(
    riverside: Partnership, riverside_survey: Survey, owner: Any, client_for: Callable[[Any], Client]
) -> None:
    first, second = _rounds(riverside)
    url = reverse("networks:round", kwargs={"pk": riverside.pk, "round_id": second.pk})
    page = client_for(owner).get(url).content.decode()
    want = analyse_round(riverside_survey, second.label)
    for table in network_tables(want, compare_rounds(riverside_survey, first.label, second.label)):
        assert html.escape(table.title) in page
        for row in table.rows:
            for cell in row:
                assert html.escape(cell, quote=False) in page.replace("&#x27;", "'"), cell
    assert page.count("<circle") >= len(want.organisations)
    assert f"change since {first.label}" in page


def test_the_first_round_has_no_change_column(
    riverside: Partnership, owner: Any, client_for: Callable[[Any], Client]
) -> None:
    first, _ = _rounds(riverside)
    page = client_for(owner).get(reverse("networks:round", kwargs={"pk": riverside.pk, "round_id": first.pk}))
    assert "change since" not in page.content.decode()


def test_the_ties_download_as_csv_and_xlsx_like_the_command_line(
    riverside: Partnership, riverside_survey: Survey, owner: Any, client_for: Callable[[Any], Client]
) -> None:
    _, second = _rounds(riverside)
    client = client_for(owner)
    url = reverse("networks:export", kwargs={"pk": riverside.pk, "round_id": second.pk, "fmt": "csv"})
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="network-riverside-together-')
    got = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    want = analyse_round(riverside_survey, second.label)
    # The same rows as the command line's, but for the ids (here the workspace's numbers) and who
    # reported a one-sided tie, given by name rather than by that number.
    ids = ("id_a", "id_b")
    for row in (wanted := edge_rows(want)):
        if row["reported_by"] != "both":
            row["reported_by"] = want.names[row["reported_by"]]
    assert [{k: v for k, v in row.items() if k not in ids} for row in got] == [
        {k: v for k, v in row.items() if k not in ids} for row in wanted
    ]
    assert {row["reported_by"] for row in got} >= {"both", "Riverside Together (backbone)"}
    xlsx = client.get(url.replace("ties.csv", "ties.xlsx"))
    assert xlsx.content[:2] == b"PK"
    assert "no-store" in xlsx["Cache-Control"]
    assert client.get(url.replace("ties.csv", "ties.pdf")).status_code == 404


def test_a_second_view_of_a_closed_round_is_read_from_the_cache(
    riverside: Partnership,
    owner: Any,
    client_for: Callable[[Any], Client],
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    _, second = _rounds(riverside)
    client = client_for(owner)
    url = reverse("networks:round", kwargs={"pk": riverside.pk, "round_id": second.pk})
    client.get(url)
    # Session, user, scope (partnership, memberships), the round, the round before, the menu: none of
    # the 1,600 answers are read again.
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_change_in_whole_network_figures_is_between_each_rounds_own_figures(
    riverside: Partnership,
) -> None:
    # An organisation with no ties in the later round leaves before it: the later round's own page
    # counts 29 organisations, and "change since the round before" must not count it as an isolate.
    first, second = _rounds(riverside)
    before = round_results(partnership_name=riverside.name, survey_round=second, previous=first).analysis
    gone = before.isolates[0]
    second.organisations = [o for o in second.organisations if str(o["id"]) != gone]
    assert second.frozen is not None
    second.frozen["not_responding"] = [o for o in second.frozen["not_responding"] if o != gone]
    second.frozen["not_working_with"] = {
        by: [o for o in others if o != gone]
        for by, others in second.frozen["not_working_with"].items()
        if by != gone
    }
    second.closed_at = timezone.now()  # a new cache key, as a real change would have
    second.save()
    got = round_results(partnership_name=riverside.name, survey_round=second, previous=first)
    own_first = round_results(partnership_name=riverside.name, survey_round=first, previous=None).analysis
    assert got.change is not None
    assert got.analysis.density > before.density  # one organisation fewer, the same ties
    assert got.change.after.density == got.analysis.density
    assert got.change.density_change == pytest.approx(got.analysis.density - own_first.density)
    assert gone in {o.id for o in got.change.organisations}  # its row of change stays


def test_the_results_download_as_a_pdf_once_the_round_is_closed(
    riverside: Partnership, owner: Any, client_for: Callable[[Any], Client]
) -> None:
    _, second = _rounds(riverside)
    client = client_for(owner)
    url = reverse("networks:report_pdf", kwargs={"pk": riverside.pk, "round_id": second.pk})
    page = client.get(reverse("networks:round", kwargs={"pk": riverside.pk, "round_id": second.pk}))
    assert url in page.content.decode()  # linked from the results
    response = client.get(f"{url}?colour=value")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith('attachment; filename="network-riverside-together-')
    assert "no-store" in response["Cache-Control"]
    # While a round is open nobody's results exist yet, on paper or on screen.
    NetworkRound.objects.filter(pk=second.pk).update(state=RoundState.OPEN)
    assert client.get(url).status_code == 404
