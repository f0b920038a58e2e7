"""Perception gaps between two partners on one item: Mann–Whitney U and Cliff's delta.

Answers are on a 1–5 scale, so ties are the rule. The p-value is exact under ties while the
groups are small: every way of splitting the pooled answers into the two groups is counted through
how many of the first group's answers fall on each scale point (a multivariate hypergeometric
distribution over five categories), which is the exact permutation distribution of the rank sum.
Larger groups use the normal approximation with the tie correction (Mann & Whitney 1947; the
same as ``scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=True)``).

Cliff's delta (Cliff 1993) is P(a > b) − P(a < b); its 95% interval comes from a percentile
bootstrap whose seed is derived from the gap's check-in, item and partners, so the same answers
always give the same interval. Only groups of 5 or more people whose cells are released reach
this module (``analysis``); docs/methods.md says why we use numpy and test against scipy.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import zlib
from collections.abc import Mapping, Sequence

import numpy as np

BOOTSTRAP_SAMPLES = 1000
# Exact p for up to this many people in all; beyond, the normal approximation is within 0.01.
EXACT_MAX_PEOPLE = 40
# ... and while the smaller group's placements over the scale points stay few (C(n+4, 4) of them:
# groups of up to 12 on a 1-5 scale); beyond that the normal approximation is within 0.01.
EXACT_MAX_PLACEMENTS = 2_000


@dataclasses.dataclass(frozen=True)
class Comparison:
    """The test of one pair of groups, before it is labelled with check-in, item and partners."""

    u: float  # Mann-Whitney U of the first group
    p_value: float  # two-sided
    method: str  # "exact" or "normal"
    delta: float  # Cliff's delta: P(a > b) - P(a < b)
    delta_low: float
    delta_high: float


def _counts(a: Sequence[int], b: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    values = np.array(sorted(set(a) | set(b)))
    index = {int(v): i for i, v in enumerate(values)}
    ca = np.bincount([index[x] for x in a], minlength=len(values))
    cb = np.bincount([index[x] for x in b], minlength=len(values))
    return values, ca, cb


def _midranks(totals: np.ndarray) -> np.ndarray:
    """The average rank of each tied value, given how many answers hold each value in order."""
    ends = np.cumsum(totals)
    return np.asarray(ends - (totals - 1) / 2.0)


def _placements(totals: Sequence[int], take: int) -> list[tuple[int, ...]]:
    """Every way to place ``take`` answers over categories holding ``totals`` answers each."""
    if not totals:
        return [()] if take == 0 else []
    first, rest = totals[0], totals[1:]
    room = sum(rest)
    out: list[tuple[int, ...]] = []
    for k in range(max(0, take - room), min(first, take) + 1):
        out.extend((k, *tail) for tail in _placements(rest, take - k))
    return out


def _exact_p(totals: np.ndarray, ranks: np.ndarray, n_a: int, observed: float) -> float:
    """Two-sided exact p of the rank sum over all splits: twice the smaller tail, at most 1."""
    combos = np.array(_placements([int(t) for t in totals], n_a))
    table = np.array([[math.comb(int(t), k) for k in range(n_a + 1)] for t in totals], dtype=float)
    weights = np.prod(table[np.arange(len(totals)), combos], axis=1)
    sums = combos @ ranks
    total = math.comb(int(totals.sum()), n_a)
    upper = weights[sums >= observed - 1e-9].sum() / total
    lower = weights[sums <= observed + 1e-9].sum() / total
    return float(min(1.0, 2 * min(upper, lower)))


def _normal_p(totals: np.ndarray, n_a: int, n_b: int, u: float) -> float:
    n = n_a + n_b
    tie = float((totals**3 - totals).sum())
    variance = n_a * n_b / 12.0 * ((n + 1) - tie / (n * (n - 1)))
    if variance <= 0:
        return 1.0
    mean = n_a * n_b / 2.0
    # Continuity correction of half a unit towards the mean, as scipy's default.
    z = (abs(u - mean) - 0.5) / math.sqrt(variance)
    return float(min(1.0, math.erfc(max(z, 0.0) / math.sqrt(2))))


def _sign_matrix(values: np.ndarray) -> np.ndarray:
    return np.asarray(np.sign(values[:, None] - values[None, :]))


def cliffs_delta(a: Sequence[int], b: Sequence[int]) -> float:
    """P(a > b) − P(a < b) over every pair of one answer from each group."""
    values, ca, cb = _counts(a, b)
    return float(ca @ _sign_matrix(values) @ cb / (len(a) * len(b)))


def _intervals(
    values: np.ndarray, counts: np.ndarray, pairs: Sequence[tuple[int, int]], seed: int
) -> np.ndarray:
    """95% percentile intervals of Cliff's delta for each pair of groups, as rows (low, high).

    Each group is resampled from its own answers (a multinomial over the scale points, the same as
    drawing answers with replacement); all groups of a table are drawn in one batch from one seed.
    """
    rng = np.random.default_rng(seed)
    sizes = counts.sum(axis=1)
    # One multinomial call per group (scalar n and shares) is the fastest way numpy offers.
    samples = np.stack(
        [
            rng.multinomial(int(n), row / n, size=BOOTSTRAP_SAMPLES)
            for n, row in zip(sizes, counts, strict=True)
        ],
        axis=1,
    )
    first = [i for i, _ in pairs]
    second = [j for _, j in pairs]
    wins = ((samples[:, first] @ _sign_matrix(values)) * samples[:, second]).sum(axis=-1)
    deltas = np.sort(wins / (sizes[first] * sizes[second]), axis=0)
    low, high = round(0.025 * (BOOTSTRAP_SAMPLES - 1)), round(0.975 * (BOOTSTRAP_SAMPLES - 1))
    return np.asarray(deltas[[low, high]].T, dtype=float)


def seed_for(*labels: str) -> int:
    """A stable bootstrap seed from the gap's labels (same answers, same interval, any order)."""
    return zlib.crc32("\x1f".join(labels).encode())


def _test(values: np.ndarray, ca: np.ndarray, cb: np.ndarray) -> tuple[float, float, str]:
    """U of the first group and the two-sided p, exact while the groups are small."""
    totals = ca + cb
    ranks = _midranks(totals)
    n_a, n_b = int(ca.sum()), int(cb.sum())
    rank_sum = float(ca @ ranks)
    u = rank_sum - n_a * (n_a + 1) / 2.0
    small, small_sum = (n_a, rank_sum) if n_a <= n_b else (n_b, float(cb @ ranks))
    placements = math.comb(small + len(values) - 1, len(values) - 1)
    if n_a + n_b <= EXACT_MAX_PEOPLE and placements <= EXACT_MAX_PLACEMENTS:
        # The split is symmetric: enumerating the smaller group gives the same p, faster.
        return u, _exact_p(totals, ranks, small, small_sum), "exact"
    return u, _normal_p(totals, n_a, n_b, u), "normal"


def compare_groups(
    groups: Mapping[str, Sequence[int]], *, seed: int = 0
) -> dict[tuple[str, str], Comparison]:
    """Every pair of groups (in name order) compared; one bootstrap batch for them all."""
    names = sorted(groups)
    if any(not groups[name] for name in names):
        raise ValueError("every group needs answers")
    values = np.array(sorted({int(v) for name in names for v in groups[name]}))
    index = {int(v): i for i, v in enumerate(values)}
    counts = np.array(
        [np.bincount([index[int(v)] for v in groups[name]], minlength=len(values)) for name in names]
    )
    pairs = list(itertools.combinations(range(len(names)), 2))
    if not pairs:
        return {}
    intervals = _intervals(values, counts, pairs, seed)
    signs = _sign_matrix(values)
    out = {}
    for (i, j), (low, high) in zip(pairs, intervals, strict=True):
        u, p_value, method = _test(values, counts[i], counts[j])
        delta = float(counts[i] @ signs @ counts[j] / (counts[i].sum() * counts[j].sum()))
        out[(names[i], names[j])] = Comparison(u, p_value, method, delta, float(low), float(high))
    return out


def compare(a: Sequence[int], b: Sequence[int], *, seed: int = 0) -> Comparison:
    """Mann–Whitney U (exact under ties when small) and Cliff's delta with a bootstrap interval."""
    if not a or not b:
        raise ValueError("both groups need answers")
    return compare_groups({"a": a, "b": b}, seed=seed)[("a", "b")]
