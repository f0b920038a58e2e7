"""A coalition read as a whole: common ground, groups that clash, pairs to look at first, each partner's ties.

Built from the pair results alone (the engine's judgement of each pair is not touched), so that a
coalition of up to :data:`~commonground.core.profiles.MAX_PARTNERS` partners reads in one screen
instead of every finding of every pair:

- *common ground*: SDGs and values that at least half the partners have (:data:`MOST`), and the
  goals that the most other partners support with a goal of their own (a goal-matrix cell of at
  least +2, reinforcing: what the pair reports as a synergy, not an enabling +1, which the
  goal-interaction model alone gives to many pairs of unrelated worthy goals);
- *clusters*: connected groups in the graph whose edges are pairs with a high or blocker conflict,
  largest first, each with its hub (the partner in the most such pairs);
- *attention*: the :data:`ATTENTION_PAIRS` pairs to look at first: worst verdict, then most blocker
  and high conflicts, then lowest score; each with the worst findings in words;
- *ties*: each partner's strongest and weakest pair (highest and lowest score) and its mean.

Each pair is first reduced to a :class:`PairDigest` (its :class:`PairSummary`, its high and blocker
conflicts, the goals the other partner supports), so a coalition of 200 partners never holds 19,900
full pair results at once: a worker process digests its pairs before sending them back.

Same input, same output: ties are broken by partner input order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from commonground.core.interactions import SYNERGY_FINDING
from commonground.core.results import (
    AttentionPair,
    ClashCluster,
    CoalitionSummary,
    CommonGoal,
    CommonGround,
    CommonSdg,
    CommonValue,
    Conflict,
    ConflictSeverity,
    GoalRef,
    PairResult,
    PairSummary,
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
# The reasons a pair's summary keeps, most influential first.
WHY_REASONS = 3
# Conflicts that make a pair "clash" (an edge of the clash graph).
CLASHING = (ConflictSeverity.BLOCKER, ConflictSeverity.HIGH)
_VERDICTS = tuple(Verdict)


@dataclass(frozen=True)
class PairDigest:
    """What the coalition keeps of one pair (a few KB instead of a full result's tens)."""

    summary: PairSummary
    clashing: tuple[Conflict, ...]  # every high and blocker conflict, for the coalition's own list
    supported: tuple[GoalRef, ...]  # goals of either partner that the other supports (a cell >= +2)


def pair_summary(pair: PairResult) -> PairSummary:
    """The short form of ``pair``: score, verdict, components, its worst conflicts, its first reasons."""
    counts = Counter(c.severity for c in pair.conflicts)
    worst = sorted(pair.conflicts, key=lambda c: c.severity.rank)[:WHY_FINDINGS]
    m = pair.goal_matrix
    return PairSummary(
        parties=list(pair.parties),
        score=pair.score,
        verdict=pair.verdict,
        components=pair.components,
        conflict_counts={s.value: counts[s] for s in sorted(ConflictSeverity, key=_rank)},
        conflicts=worst,
        goal_pairs=len(m.rows) * len(m.columns),
        reasons=list(pair.reasons[:WHY_REASONS]),
    )


def digest_pair(pair: PairResult) -> PairDigest:
    """``pair`` reduced to what the coalition's summary and top level need."""
    m = pair.goal_matrix
    supported: dict[tuple[str, str], GoalRef] = {}
    for r, row in enumerate(m.cells):
        for c, cell in enumerate(row):
            if cell is not None and cell.score >= SYNERGY_FINDING:
                for ref in (m.rows[r], m.columns[c]):
                    supported.setdefault((ref.party, ref.id), ref)
    return PairDigest(
        summary=pair_summary(pair),
        clashing=tuple(c for c in pair.conflicts if c.severity in CLASHING),
        supported=tuple(supported.values()),
    )


def _clashes(pair: PairDigest) -> int:
    return len(pair.clashing)


def _common_ground(
    parties: Sequence[str],
    sdgs: dict[str, list[SdgScore]],
    values: Sequence[ValueComparison],
    pairs: Sequence[PairDigest],
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
    # For each goal, the other partners with a goal that supports it (any cell ≥ +2 in their pair).
    supporters: dict[tuple[str, str], set[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    for pair in pairs:
        a, b = pair.summary.parties
        for ref in pair.supported:
            supporters.setdefault((ref.party, ref.id), set()).add(b if ref.party == a else a)
            texts[(ref.party, ref.id)] = ref.text
    order = {p: i for i, p in enumerate(parties)}
    ranked = sorted(supporters.items(), key=lambda item: (-len(item[1]), order[item[0][0]], item[0][1]))
    goals = [
        CommonGoal(party=party, id=gid, text=texts[(party, gid)], partners=len(who))
        for (party, gid), who in ranked[:COMMON_GOALS]
        if len(who) >= need - 1  # "most others": the goal's own partner is not counted
    ]
    return CommonGround(sdgs=common_sdgs, values=common_values, goals=goals)


def _clusters(parties: Sequence[str], pairs: Sequence[PairDigest]) -> list[ClashCluster]:
    order = {p: i for i, p in enumerate(parties)}
    edges = [p for p in pairs if _clashes(p)]
    neighbours: dict[str, set[str]] = {}
    for pair in edges:
        a, b = pair.summary.parties
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
        inside = [p for p in edges if set(p.summary.parties) <= members]
        degree = Counter(name for p in inside for name in p.summary.parties)
        worst = min((c.severity for p in inside for c in p.clashing), key=_rank)
        hub = min(group, key=lambda name: (-degree[name], order[name]))
        clusters.append(ClashCluster(parties=group, pairs=len(inside), worst=worst, hub=hub))
    clusters.sort(key=lambda c: (-len(c.parties), order[c.parties[0]]))
    return clusters


def _rank(severity: ConflictSeverity) -> int:
    return severity.rank


def _attention(parties: Sequence[str], pairs: Sequence[PairSummary]) -> list[AttentionPair]:
    order = {p: i for i, p in enumerate(parties)}

    def urgency(pair: PairSummary) -> tuple[int, int, int, float, int, int]:
        blockers = pair.conflict_counts[ConflictSeverity.BLOCKER.value]
        highs = pair.conflict_counts[ConflictSeverity.HIGH.value]
        a, b = pair.parties
        return (-_VERDICTS.index(pair.verdict), -blockers, -highs, pair.score, order[a], order[b])

    # Only pairs that are not aligned need attention; an aligned coalition has none to list.
    candidates = [p for p in pairs if p.verdict is not Verdict.ALIGNED]
    chosen = sorted(candidates, key=urgency)[:ATTENTION_PAIRS]
    out = []
    for pair in chosen:
        # A summary keeps its worst conflicts, worst first.
        why = [f"{c.severity.value.capitalize()}: {c.summary}" for c in pair.conflicts[:WHY_FINDINGS]]
        why = why or pair.reasons[:1]
        out.append(AttentionPair(parties=list(pair.parties), score=pair.score, verdict=pair.verdict, why=why))
    return out


def _ties(parties: Sequence[str], pairs: Sequence[PairDigest]) -> list[PartnerTies]:
    order = {p: i for i, p in enumerate(parties)}
    of: dict[str, list[tuple[Tie, int]]] = {p: [] for p in parties}
    for pair in pairs:
        a, b = pair.summary.parties
        clash = 1 if _clashes(pair) else 0
        score, verdict = pair.summary.score, pair.summary.verdict
        of[a].append((Tie(party=b, score=score, verdict=verdict), clash))
        of[b].append((Tie(party=a, score=score, verdict=verdict), clash))
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
    pairs: Sequence[PairResult | PairDigest],
    *,
    sdgs: dict[str, list[SdgScore]],
    values: Sequence[ValueComparison],
) -> CoalitionSummary:
    """The coalition of ``parties`` read as a whole from its pairs, full or digested (see the module)."""
    digests = [p if isinstance(p, PairDigest) else digest_pair(p) for p in pairs]
    counts = Counter(d.summary.verdict for d in digests)
    return CoalitionSummary(
        partners=len(parties),
        pairs=len(digests),
        verdicts={v.value: counts[v] for v in _VERDICTS},
        common_ground=_common_ground(parties, sdgs, values, digests),
        clusters=_clusters(parties, digests),
        attention=_attention(parties, [d.summary for d in digests]),
        ties=_ties(parties, digests),
    )
