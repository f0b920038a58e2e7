"""Network analysis: one survey round → :class:`RoundAnalysis`, two rounds → :class:`RoundChange`.

A tie exists when either organisation reports it (the structure is undirected, as PARTNER draws it);
an organisation's value and trust scores come only from the others' ratings of it. The workspace and
``commonground network`` both call :func:`analyse_round` and :func:`compare_rounds`.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import TypedDict

import networkx as nx

from commonground.core.network import measures
from commonground.core.network.gaps import DEFAULT_THRESHOLD, perception_gaps, unanswered_ties
from commonground.core.network.results import (
    OrganisationChange,
    OrganisationFigures,
    Pair,
    RoundAnalysis,
    RoundChange,
    Tie,
    difference,
)
from commonground.core.network.survey import Round, Survey


def tie_graph(survey: Survey, item: Round) -> nx.Graph:
    """Every organisation of the coalition as a node, and an edge for each tie either side reports.

    Each edge holds the answers given about it (``levels``, ``frequencies``, ``values``, ``trusts``)
    and ``reported_by``.
    """
    graph = nx.Graph()
    graph.add_nodes_from(o.id for o in survey.organisations)
    for rating in item.ratings:
        a, b = rating.by, rating.about
        if not graph.has_edge(a, b):
            graph.add_edge(a, b, levels=[], frequencies=[], reported_by=[], values=[], trusts=[])
        edge = graph.edges[a, b]
        edge["levels"].append(rating.level)
        edge["values"].append(rating.value.mean())
        edge["trusts"].append(rating.trust.mean())
        edge["reported_by"].append(a)
        if rating.frequency is not None:
            edge["frequencies"].append(rating.frequency)
    return graph


def _ordered(pair: tuple[str, str], position: dict[str, int]) -> Pair:
    a, b = pair
    return (a, b) if position[a] <= position[b] else (b, a)


def _ties(graph: nx.Graph, position: dict[str, int]) -> tuple[Tie, ...]:
    ties = []
    for u, v, data in graph.edges(data=True):
        a, b = _ordered((u, v), position)
        frequencies = data["frequencies"]
        ties.append(
            Tie(
                a=a,
                b=b,
                reported_by=tuple(sorted(data["reported_by"], key=position.__getitem__)),
                level=fmean(data["levels"]),
                frequency=fmean(frequencies) if frequencies else None,
                value=fmean(data["values"]),
                trust=fmean(data["trusts"]),
            )
        )
    return tuple(sorted(ties, key=lambda t: (position[t.a], position[t.b])))


def _reciprocity(ties: tuple[Tie, ...], not_answered: list[Pair]) -> float | None:
    # Only ties both sides answered about count: a skipped partner confirms nothing either way.
    unknown = {frozenset(pair) for pair in not_answered}
    checkable = [t for t in ties if frozenset((t.a, t.b)) not in unknown]
    if not checkable:
        return None
    return sum(len(t.reported_by) == 2 for t in checkable) / len(checkable)


def analyse_round(
    survey: Survey, label: str | None = None, *, gap_threshold: int = DEFAULT_THRESHOLD
) -> RoundAnalysis:
    """The network of the round labelled ``label`` (the latest round when None).

    Raises :class:`~commonground.core.network.survey.UnknownRound` for a label the survey lacks.
    """
    item = survey.latest() if label is None else survey.round(label)
    order = [o.id for o in survey.organisations]
    position = {org: i for i, org in enumerate(order)}
    graph = tie_graph(survey, item)
    between = measures.betweenness(graph)
    close = measures.closeness(graph)
    degree_share = measures.degree_centrality(graph)
    cuts = measures.cut_points(graph)
    values: dict[str, list[float]] = defaultdict(list)
    trusts: dict[str, list[float]] = defaultdict(list)
    for rating in item.ratings:
        values[rating.about].append(rating.value.mean())
        trusts[rating.about].append(rating.trust.mean())
    figures = tuple(
        OrganisationFigures(
            id=o.id,
            name=o.name,
            responded=item.responded(o.id),
            degree=int(graph.degree(o.id)),
            degree_centrality=degree_share[o.id],
            betweenness=between[o.id],
            closeness=close[o.id],
            value=fmean(values[o.id]) if values[o.id] else None,
            trust=fmean(trusts[o.id]) if trusts[o.id] else None,
            rated_by=len(values[o.id]),
            isolate=graph.degree(o.id) == 0,
            single_point_of_failure=o.id in cuts,
        )
        for o in survey.organisations
    )
    ties = _ties(graph, position)
    not_answered = unanswered_ties(item, order)
    return RoundAnalysis(
        coalition=survey.coalition,
        label=item.label,
        date=item.date,
        names=survey.names(),
        organisations=figures,
        ties=ties,
        density=measures.density(graph),
        degree_centralization=measures.degree_centralization(graph),
        betweenness_centralization=measures.betweenness_centralization(graph, between),
        value=fmean(r.value.mean() for r in item.ratings) if item.ratings else None,
        trust=fmean(r.trust.mean() for r in item.ratings) if item.ratings else None,
        reciprocity=_reciprocity(ties, not_answered),
        components=nx.number_connected_components(graph),
        isolates=tuple(f.id for f in figures if f.isolate),
        single_points_of_failure=tuple(f.id for f in figures if f.single_point_of_failure),
        bridges=tuple(
            sorted(
                (_ordered(pair, position) for pair in measures.cut_ties(graph)),
                key=lambda p: (position[p[0]], position[p[1]]),
            )
        ),
        gaps=tuple(perception_gaps(item, order, threshold=gap_threshold)),
        gap_threshold=gap_threshold,
        not_answered=tuple(not_answered),
    )


def _partners(analysis: RoundAnalysis) -> dict[str, set[str]]:
    partners: dict[str, set[str]] = defaultdict(set)
    for tie in analysis.ties:
        partners[tie.a].add(tie.b)
        partners[tie.b].add(tie.a)
    return partners


def compare_rounds(
    survey: Survey, before: str, after: str, *, gap_threshold: int = DEFAULT_THRESHOLD
) -> RoundChange:
    """What changed from round ``before`` to round ``after``: ties gained and lost, and every figure."""
    first = analyse_round(survey, before, gap_threshold=gap_threshold)
    second = analyse_round(survey, after, gap_threshold=gap_threshold)
    position = {o.id: i for i, o in enumerate(survey.organisations)}
    old, new = {(t.a, t.b) for t in first.ties}, {(t.a, t.b) for t in second.ties}

    def in_order(pairs: set[Pair]) -> tuple[Pair, ...]:
        return tuple(sorted(pairs, key=lambda p: (position[p[0]], position[p[1]])))

    old_partners, new_partners = _partners(first), _partners(second)
    changes = []
    for then, now in zip(first.organisations, second.organisations, strict=True):
        org = now.id
        changes.append(
            OrganisationChange(
                id=org,
                name=now.name,
                degree_before=then.degree,
                degree_after=now.degree,
                betweenness_change=now.betweenness - then.betweenness,
                value_before=then.value,
                value_after=now.value,
                trust_before=then.trust,
                trust_after=now.trust,
                new_ties=tuple(sorted(new_partners[org] - old_partners[org], key=position.__getitem__)),
                lost_ties=tuple(sorted(old_partners[org] - new_partners[org], key=position.__getitem__)),
            )
        )
    return RoundChange(
        before=first,
        after=second,
        new_ties=in_order(new - old),
        lost_ties=in_order(old - new),
        organisations=tuple(changes),
        **network_deltas(first, second),
    )


class NetworkDeltas(TypedDict):
    """The change of the whole-network figures from one round to another."""

    density_change: float
    degree_centralization_change: float | None
    betweenness_centralization_change: float | None
    value_change: float | None
    trust_change: float | None


def network_deltas(before: RoundAnalysis, after: RoundAnalysis) -> NetworkDeltas:
    """How density, centralization, value and trust moved from ``before`` to ``after``."""
    return NetworkDeltas(
        density_change=after.density - before.density,
        degree_centralization_change=difference(after.degree_centralization, before.degree_centralization),
        betweenness_centralization_change=difference(
            after.betweenness_centralization, before.betweenness_centralization
        ),
        value_change=difference(after.value, before.value),
        trust_change=difference(after.trust, before.trust),
    )
