"""Whole-network measures on an undirected tie graph: density and Freeman's centralizations.

Each function takes a :class:`networkx.Graph` and returns a plain number, so the tests can compare
them with networkx's own functions and with hand-computed values on known graphs (star, path,
complete graph). The formulas and their normalisation are in ``docs/methods.md``.
"""

from __future__ import annotations

import networkx as nx


def density(graph: nx.Graph) -> float:
    """Share of possible ties that exist: 2m / (n(n−1)); 0 for fewer than two organisations."""
    return float(nx.density(graph)) if graph.number_of_nodes() > 1 else 0.0


def degree_centralization(graph: nx.Graph) -> float | None:
    """Freeman's degree centralization, Σ(max − dᵢ) / ((n−1)(n−2)): 1 for a star, 0 when all are equal.

    The denominator is the largest sum a graph of n nodes can have (the star's), so the figure is
    comparable between networks of different sizes. None for fewer than three organisations, where
    it is undefined.
    """
    n = graph.number_of_nodes()
    if n < 3:
        return None
    degrees = [d for _, d in graph.degree()]
    top = max(degrees)
    return float(sum(top - d for d in degrees) / ((n - 1) * (n - 2)))


def betweenness(graph: nx.Graph) -> dict[str, float]:
    """Each node's betweenness, normalised by the most a node can have, (n−1)(n−2)/2 (0–1)."""
    return {str(k): float(v) for k, v in nx.betweenness_centrality(graph, normalized=True).items()}


def betweenness_centralization(graph: nx.Graph, scores: dict[str, float] | None = None) -> float | None:
    """Freeman's betweenness centralization on normalised betweenness, Σ(max − bᵢ) / (n−1).

    With bᵢ normalised to 0–1, the star (centre 1, leaves 0) has the largest possible sum, n−1, so the
    figure is 1 for a star and 0 for a complete graph or a cycle. None for fewer than three nodes.
    """
    n = graph.number_of_nodes()
    if n < 3:
        return None
    values = list((scores if scores is not None else betweenness(graph)).values())
    top = max(values)
    return float(sum(top - b for b in values) / (n - 1))


def closeness(graph: nx.Graph) -> dict[str, float]:
    """Each node's closeness (networkx's, with Wasserman and Faust's scaling for split networks)."""
    return {str(k): float(v) for k, v in nx.closeness_centrality(graph, wf_improved=True).items()}


def degree_centrality(graph: nx.Graph) -> dict[str, float]:
    """Each node's degree divided by n−1 (0–1)."""
    if graph.number_of_nodes() < 2:
        return {str(k): 0.0 for k in graph.nodes}
    return {str(k): float(v) for k, v in nx.degree_centrality(graph).items()}


def cut_points(graph: nx.Graph) -> set[str]:
    """Articulation points: nodes whose removal splits their part of the network in two or more."""
    return {str(node) for node in nx.articulation_points(graph)}


def cut_ties(graph: nx.Graph) -> set[tuple[str, str]]:
    """Bridges: ties whose removal splits their part of the network (each pair as given)."""
    return {(str(a), str(b)) for a, b in nx.bridges(graph)}
