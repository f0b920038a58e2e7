"""Voting power as the normalised Banzhaf index (Banzhaf 1965; Penrose 1946).

Under a weighted rule a coalition of partners wins when its weight reaches the quota. A partner
*swings* a winning coalition it belongs to when the coalition would lose without it. Its normalised
Banzhaf index is its number of swings over all partners' swings, so the indices sum to 1. Weight
and power often differ: with weights 49, 49 and 2 and "more than half" to win, any two partners
win and no one alone does, so the partner with 2 has as much power as each partner with 49.

The count is exact: every one of the 2ⁿ coalitions is weighed (in numpy, so 20 partners take a
fraction of a second whatever their weights), with weights read as the decimals the person wrote
(``Fraction(repr(w))``, scaled to whole units), so 0.1 + 0.2 reaches a quota of 0.3 as it does on
paper. Beyond :data:`MAX_PARTNERS` partners we stop and say so rather than run for minutes.

Rules other than weighted voting are *symmetric* simple games (every partner stands in the same
place), so their power is equal; :func:`rule_power` still computes them through the same counting
with unit weights, which the tests use as a check.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from commonground.core.agreement.how import DecisionRule, RuleKind

DEFAULT_SUPERMAJORITY = 2 / 3  # a supermajority rule with no stated share
MAX_PARTNERS = 20  # exact counting of coalitions; beyond this it may take minutes


class TooManyPartnersError(ValueError):
    """More partners than the exact Banzhaf count handles."""


def _exact(value: float) -> Fraction:
    """A number as the decimal it was written as: 0.1 is one tenth, not the nearest binary float."""
    return Fraction(repr(float(value)))


def _threshold(weights: Sequence[int], quota: float | None) -> int:
    """The least total (in scaled whole units) that wins: ≥ quota × total, or > half when no quota."""
    total = sum(weights)
    if quota is None:
        return total // 2 + 1
    return max(1, math.ceil(_exact(quota) * total))


def swing_counts(weights: Sequence[float], *, quota: float | None = None) -> tuple[int, ...]:
    """How many winning coalitions each player swings (wins with it, loses without it)."""
    if not weights:
        raise ValueError("a voting game needs at least one partner")
    if len(weights) > MAX_PARTNERS:
        raise TooManyPartnersError(
            f"the exact Banzhaf index is computed for up to {MAX_PARTNERS} partners, not {len(weights)}"
        )
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    exact = [_exact(w) for w in weights]
    scale = math.lcm(*(f.denominator for f in exact))
    units = [int(f * scale) for f in exact]
    if sum(units) == 0:
        raise ValueError("the weights add up to zero, so no coalition can win")
    if sum(units) >= 2**62:
        raise ValueError("the weights are too large or too finely divided to count exactly")
    need = _threshold(units, quota)
    # Every coalition is a bit mask over the players; with at most 2^20 of them, listing them all in
    # numpy takes a fixed, small time whatever the weights (counting by distinct coalition weights
    # is fast for round weights but slows to seconds when every coalition weighs something else).
    masks = np.arange(1 << len(units), dtype=np.int64)
    totals = np.zeros(len(masks), dtype=np.int64)
    for player, w in enumerate(units):
        totals += ((masks >> player) & 1) * w
    wins = totals >= need
    swings: list[int] = []
    for player in range(len(units)):
        bit = 1 << player
        # Coalitions with the player that win, and lose once it leaves.
        swings.append(int(np.count_nonzero(wins & ((masks & bit) != 0) & ~wins[masks ^ bit])))
    return tuple(swings)


def banzhaf(weights: Sequence[float], *, quota: float | None = None) -> tuple[float, ...]:
    """Normalised Banzhaf index of each player; ``quota`` None means more than half the weight."""
    swings = swing_counts(weights, quota=quota)
    total = sum(swings)
    return tuple(s / total for s in swings)


def rule_quota(rule: DecisionRule) -> float | None:
    """The share of the partners' weight (or number) that wins under a rule, None for "more than half"."""
    match rule.kind:
        case RuleKind.WEIGHTED:
            return rule.quota
        case RuleKind.SIMPLE_MAJORITY:
            return None
        case RuleKind.SUPERMAJORITY:
            return rule.share if rule.share is not None else DEFAULT_SUPERMAJORITY
        case _:  # unanimity, consensus and consent: every partner can stop a proposal
            return 1.0


def rule_weights(rule: DecisionRule, partners: Sequence[str]) -> tuple[float, ...]:
    """Each partner's weight under a rule: its stated weight (0 if none) or 1 for one-partner-one-vote."""
    if rule.kind is RuleKind.WEIGHTED and rule.weights is not None:
        return tuple(rule.weights.get(p, 0.0) for p in partners)
    return tuple(1.0 for _ in partners)


def rule_power(rule: DecisionRule, partners: Sequence[str]) -> tuple[float, ...]:
    """Each partner's normalised Banzhaf index under a rule, as its equivalent simple game."""
    if rule.kind is not RuleKind.WEIGHTED and len(partners) > MAX_PARTNERS:
        return tuple(1 / len(partners) for _ in partners)  # symmetric game: equal, no count needed
    return banzhaf(rule_weights(rule, partners), quota=rule_quota(rule))
