"""Time of the coalition network analysis (issue 12 §3) for 50 and 200 organisations.

Synthetic surveys: each organisation rates each other one with probability ``p`` (answers drawn
1–4, seeded). Baseline in the same run: networkx's ``betweenness_centrality`` alone on the same tie
graph, the one step every analysis must pay for.

    .venv/bin/python bench/network_analysis.py [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

import networkx as nx

from commonground.core.network import Survey, analyse_round, compare_rounds, tie_graph
from commonground.reports.charts.network import network_chart


def survey(n: int, p: float, seed: int = 1) -> Survey:
    rng = random.Random(seed)

    def answers(*names: str) -> dict[str, int]:
        return {name: rng.randint(1, 4) for name in names}

    rounds = []
    for label, date in (("r1", "2025-01-01"), ("r2", "2026-01-01")):
        ratings = [
            {
                "by": f"o{i}",
                "about": f"o{j}",
                "level": rng.randint(1, 4),
                "value": answers("power", "involvement", "resources"),
                "trust": answers("reliable", "mission", "open"),
            }
            for i in range(n)
            for j in range(n)
            if i != j and rng.random() < p
        ]
        rounds.append({"label": label, "date": date, "ratings": ratings})
    organisations = [{"id": f"o{i}", "name": f"Organisation {i}"} for i in range(n)]
    return Survey.model_validate({"coalition": "bench", "organisations": organisations, "rounds": rounds})


def median_time(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(n: int, p: float, runs: int) -> None:
    s = survey(n, p)
    analysis = analyse_round(s)
    graph = tie_graph(s, s.latest())
    steps: list[tuple[str, Callable[[], object]]] = [
        ("analyse_round", lambda: analyse_round(s)),
        ("compare_rounds (two)", lambda: compare_rounds(s, "r1", "r2")),
        ("network_chart (SVG)", lambda: network_chart(analysis)),
        ("baseline: betweenness", lambda: nx.betweenness_centrality(graph)),
    ]
    print(f"{n} organisations, p={p}: {len(s.latest().ratings):,} ratings, {len(analysis.ties):,} ties")
    for name, step in steps:
        print(f"  {name:<22} median {median_time(step, runs):6.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    for n, p in ((50, 0.2), (200, 0.05), (200, 1.0)):
        measure(n, p, runs)


if __name__ == "__main__":
    main()
