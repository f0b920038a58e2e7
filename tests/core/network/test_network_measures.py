"""The network measures equal networkx's own functions and hand-computed values on known graphs."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

import networkx as nx
import pytest

from commonground.core.network import Survey, analyse_round, measures, tie_graph

MakeSurvey = Callable[[Sequence[str], Iterable[tuple[str, str]]], Survey]

NODES = [f"n{i}" for i in range(6)]
STAR = [("n0", n) for n in NODES[1:]]
PATH = list(itertools.pairwise(NODES))
COMPLETE = list(itertools.combinations(NODES, 2))
# Two triangles joined by one node (n2): the bow-tie, whose centre is the only cut point.
BOW_TIE_NODES = ["n0", "n1", "n2", "n3", "n4"]
BOW_TIE = [("n0", "n1"), ("n0", "n2"), ("n1", "n2"), ("n2", "n3"), ("n2", "n4"), ("n3", "n4")]


def test_a_star_is_fully_centralized(graph_survey: MakeSurvey) -> None:
    result = analyse_round(graph_survey(NODES, STAR))
    assert result.degree_centralization == pytest.approx(1.0)
    assert result.betweenness_centralization == pytest.approx(1.0)
    assert result.density == pytest.approx(5 / 15)
    assert result.single_points_of_failure == ("n0",)
    assert len(result.bridges) == 5


def test_a_complete_graph_has_no_centralization_and_no_weak_point(graph_survey: MakeSurvey) -> None:
    result = analyse_round(graph_survey(NODES, COMPLETE))
    assert result.degree_centralization == pytest.approx(0.0)
    assert result.betweenness_centralization == pytest.approx(0.0)
    assert result.density == pytest.approx(1.0)
    assert result.single_points_of_failure == ()
    assert result.bridges == ()
    assert result.isolates == ()


def test_a_path_by_hand(graph_survey: MakeSurvey) -> None:
    # Path of 6: degrees 1,2,2,2,2,1 → Σ(2 − d) = 2 over (5·4) = 0.1.
    # Betweenness of the path's nodes (pairs they lie between): 0,4,6,6,4,0 over C(5,2)=10.
    result = analyse_round(graph_survey(NODES, PATH))
    assert result.degree_centralization == pytest.approx(2 / 20)
    between = [o.betweenness for o in result.organisations]
    assert between == pytest.approx([0, 0.4, 0.6, 0.6, 0.4, 0])
    assert result.betweenness_centralization == pytest.approx((0.6 * 2 + 0.2 * 2) / 5)
    assert result.single_points_of_failure == ("n1", "n2", "n3", "n4")
    assert result.bridges == tuple(PATH)


def test_two_triangles_joined_by_one_node(graph_survey: MakeSurvey) -> None:
    result = analyse_round(graph_survey(BOW_TIE_NODES, BOW_TIE))
    assert result.single_points_of_failure == ("n2",)
    assert result.bridges == ()
    centre = result.organisation("n2")
    # n2 lies on every path between the two sides: 2 × 2 = 4 pairs of C(4,2) = 6.
    assert centre.betweenness == pytest.approx(4 / 6)
    assert centre.degree == 4
    assert centre.closeness == pytest.approx(1.0)


@pytest.mark.parametrize(
    "edges", [STAR, PATH, COMPLETE, BOW_TIE], ids=["star", "path", "complete", "bow-tie"]
)
def test_each_organisations_figures_are_networkxs(
    graph_survey: MakeSurvey, edges: list[tuple[str, str]]
) -> None:
    nodes = sorted({n for e in edges for n in e})
    survey = graph_survey(nodes, edges)
    result = analyse_round(survey)
    graph = nx.Graph(edges)
    between = nx.betweenness_centrality(graph)
    close = nx.closeness_centrality(graph)
    degree = nx.degree_centrality(graph)
    for figures in result.organisations:
        assert figures.betweenness == pytest.approx(between[figures.id])
        assert figures.closeness == pytest.approx(close[figures.id])
        assert figures.degree_centrality == pytest.approx(degree[figures.id])
    assert result.density == pytest.approx(nx.density(graph))
    assert set(result.single_points_of_failure) == set(nx.articulation_points(graph))
    ties = tie_graph(survey, survey.rounds[0]).edges
    assert set(map(frozenset, ties)) == set(map(frozenset, graph.edges))


def test_centralization_against_the_definition_on_random_graphs() -> None:
    for seed in range(5):
        graph = nx.gnp_random_graph(12, 0.3, seed=seed)
        graph = nx.relabel_nodes(graph, str)
        n = graph.number_of_nodes()
        raw = nx.betweenness_centrality(graph, normalized=False)
        top = max(raw.values())
        # Freeman on raw betweenness: the star's sum is (n−1) · (n−1)(n−2)/2.
        expected = sum(top - b for b in raw.values()) / ((n - 1) ** 2 * (n - 2) / 2)
        assert measures.betweenness_centralization(graph) == pytest.approx(expected)


def test_centralization_is_undefined_below_three_organisations() -> None:
    graph = nx.Graph([("a", "b")])
    assert measures.degree_centralization(graph) is None
    assert measures.betweenness_centralization(graph) is None
    assert measures.density(nx.Graph()) == 0.0


def test_an_organisation_nobody_works_with_is_an_isolate(graph_survey: MakeSurvey) -> None:
    result = analyse_round(graph_survey([*NODES, "alone"], STAR))
    alone = result.organisation("alone")
    assert result.isolates == ("alone",)
    assert (alone.degree, alone.closeness, alone.value, alone.trust) == (0, 0.0, None, None)
    assert result.components == 2
