"""A coalition read as a whole: common ground, groups that clash, pairs to look at first, each partner's ties.

Built from the pair results alone (the engine's judgement of each pair is not touched), so that a
coalition of up to :data:`~commonground.core.profiles.MAX_PARTNERS` partners reads in one screen
instead of every finding of every pair:

- *common ground*: SDGs and values that at least half the partners have (:data:`MOST`), and the
  goals that the most other partners support with a goal of their own (a goal-matrix cell ≥ +1);
- *clusters*: connected groups in the graph whose edges are pairs with a high or blocker conflict,
  largest first, each with its hub (the partner in the most such pairs);
- *attention*: the :data:`ATTENTION_PAIRS` pairs to look at first: worst verdict, then most blocker
  and high conflicts, then lowest score; each with the worst findings in words;
- *ties*: each partner's strongest and weakest pair (highest and lowest score) and its mean.

Same input, same output: ties are broken by partner input order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from statistics import fmean

from commonground.core.results import (
    AttentionPair,
    ClashCluster,
    CoalitionSummary,
    CommonGoal,
    CommonGround,
    CommonSdg,
    CommonValue,
    ConflictSeverity,
    PairResult,
    PartnerTies,
    SdgScore,
    Tie,
    ValueComparison,
    Verdict,
)

# "Most partners": an SDG or value at least this share of the partners has.
MOST = 0.5
# How many pairs the summary ranks for attention, and how many goals it lists as common ground.
ATTENTION_PAIRS = 10
COMMON_GOALS = 10
# The worst findings quoted for a pair that needs attention.
WHY_FINDINGS = 3
# Conflicts that make a pair "clash" (an edge of the clash graph).
CLASHING = (ConflictSeverity.BLOCKER, ConflictSeverity.HIGH)
_VERDICTS = tuple(Verdict)


def _clashes(pair: PairResult) -> int:
    return sum(1 for c in pair.conflicts if c.severity in CLASHING)


def _common_ground(
    parties: Sequence[str],
    sdgs: dict[str, list[SdgScore]],
    values: Sequence[ValueComparison],
    pairs: Sequence[PairResult],
) -> CommonGround:
    need = max(2, math.ceil(len(parties) * MOST))  # at least half, and never one partner alone
    sdg_counts = Counter(s.sdg for scores in sdgs.values() for s in {x.sdg: x for x in scores}.values())
    common_sdgs = [
        CommonSdg(sdg=n, partners=k)
        for n, k in sorted(sdg_counts.items(), key=lambda item: (-item[1], item[0]))
        if k >= need
    ]
    common_values = [
        CommonValue(value=v.value, partners=k)
        for v, k in sorted(
            ((v, sum(1 for w in v.weights.values() if w > 0)) for v in values),
            key=lambda item: (-item[1], item[0].value.casefold()),
        )
        if k >= need
    ]
    # For each goal, the other partners with a goal that supports it (any cell ≥ +1 in their pair).
    supporters: dict[tuple[str, str], set[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    for pair in pairs:
        m = pair.goal_matrix
        for ref in (*m.rows, *m.columns):
            supporters.setdefault((ref.party, ref.id), set())
            texts[(ref.party, ref.id)] = ref.text
        for r, row in enumerate(m.cells):
            for c, cell in enumerate(row):
                if cell is not None and cell.score >= 1:
                    supporters[(m.rows[r].party, m.rows[r].id)].add(m.columns[c].party)
                    supporters[(m.columns[c].party, m.columns[c].id)].add(m.rows[r].party)
    order = {p: i for i, p in enumerate(parties)}
    ranked = sorted(supporters.items(), key=lambda item: (-len(item[1]), order[item[0][0]], item[0][1]))
    goals = [
        CommonGoal(party=party, id=gid, text=texts[(party, gid)], partners=len(who))
        for (party, gid), who in ranked[:COMMON_GOALS]
        if len(who) >= need - 1  # "most others": the goal's own partner is not counted
    ]
    return CommonGround(sdgs=common_sdgs, values=common_values, goals=goals)


def _clusters(parties: Sequence[str], pairs: Sequence[PairResult]) -> list[ClashCluster]:
    order = {p: i for i, p in enumerate(parties)}
    edges = [p for p in pairs if _clashes(p)]
    neighbours: dict[str, set[str]] = {}
    for pair in edges:
        a, b = pair.parties
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    seen: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(neighbours, key=order.__getitem__):
        if start in seen:
            continue
        group, todo = [], [start]
        seen.add(start)
        while todo:
            node = todo.pop()
            group.append(node)
            for other in neighbours[node] - seen:
                seen.add(other)
                todo.append(other)
        groups.append(sorted(group, key=order.__getitem__))
    clusters = []
    for group in groups:
        members = set(group)
        inside = [p for p in edges if set(p.parties) <= members]
        degree = Counter(name for p in inside for name in p.parties)
        worst = min((c.severity for p in inside for c in p.conflicts if c.severity in CLASHING), key=_rank)
        hub = min(group, key=lambda name: (-degree[name], order[name]))
        clusters.append(ClashCluster(parties=group, pairs=len(inside), worst=worst, hub=hub))
    clusters.sort(key=lambda c: (-len(c.parties), order[c.parties[0]]))
    return clusters


def _rank(severity: ConflictSeverity) -> int:
    return severity.rank


def _attention(parties: Sequence[str], pairs: Sequence[PairResult]) -> list[AttentionPair]:
    order = {p: i for i, p in enumerate(parties)}

    def urgency(pair: PairResult) -> tuple[int, int, int, float, int, int]:
        blockers = sum(1 for c in pair.conflicts if c.severity is ConflictSeverity.BLOCKER)
        highs = sum(1 for c in pair.conflicts if c.severity is ConflictSeverity.HIGH)
        a, b = pair.parties
        return (-_VERDICTS.index(pair.verdict), -blockers, -highs, pair.score, order[a], order[b])

    # Only pairs that are not aligned need attention; an aligned coalition has none to list.
    candidates = [p for p in pairs if p.verdict is not Verdict.ALIGNED]
    chosen = sorted(candidates, key=urgency)[:ATTENTION_PAIRS]
    out = []
    for pair in chosen:
        worst = sorted(pair.conflicts, key=lambda c: c.severity.rank)[:WHY_FINDINGS]
        why = [f"{c.severity.value.capitalize()}: {c.summary}" for c in worst] or list(pair.reasons[:1])
        out.append(AttentionPair(parties=list(pair.parties), score=pair.score, verdict=pair.verdict, why=why))
    return out


def _ties(parties: Sequence[str], pairs: Sequence[PairResult]) -> list[PartnerTies]:
    order = {p: i for i, p in enumerate(parties)}
    of: dict[str, list[tuple[Tie, int]]] = {p: [] for p in parties}
    for pair in pairs:
        a, b = pair.parties
        clash = 1 if _clashes(pair) else 0
        of[a].append((Tie(party=b, score=pair.score, verdict=pair.verdict), clash))
        of[b].append((Tie(party=a, score=pair.score, verdict=pair.verdict), clash))
    out = []
    for party in parties:
        ties = of[party]
        if not ties:
            continue
        strongest = min(ties, key=lambda t: (-t[0].score, order[t[0].party]))[0]
        weakest = min(ties, key=lambda t: (t[0].score, order[t[0].party]))[0]
        out.append(
            PartnerTies(
                party=party,
                mean_score=round(fmean(t.score for t, _ in ties), 1),
                strongest=strongest,
                weakest=weakest,
                clashes=sum(c for _, c in ties),
            )
        )
    return out


def coalition_summary(
    parties: Sequence[str],
    pairs: Sequence[PairResult],
    *,
    sdgs: dict[str, list[SdgScore]],
    values: Sequence[ValueComparison],
) -> CoalitionSummary:
    """The coalition of ``parties`` read as a whole from its pair results (see the module docstring)."""
    counts = Counter(p.verdict for p in pairs)
    return CoalitionSummary(
        partners=len(parties),
        pairs=len(pairs),
        verdicts={v.value: counts[v] for v in _VERDICTS},
        common_ground=_common_ground(parties, sdgs, values, pairs),
        clusters=_clusters(parties, pairs),
        attention=_attention(parties, pairs),
        ties=_ties(parties, pairs),
    )
