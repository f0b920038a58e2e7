"""Perception gaps: pairs of organisations that see the tie between them differently.

Two kinds (``docs/methods.md``): both rate each other and on some dimension their answers are at
least ``threshold`` apart; or one reports the tie and the other, who answered the survey, does not
name it. A tie only a non-responding organisation could confirm is unknown, not a gap.
"""

from __future__ import annotations

from collections.abc import Sequence

from commonground.core.network.results import PerceptionGap
from commonground.core.network.survey import Rating, Round

# On a 1–4 scale a difference of 2 is, say, "a little" against "very much": worth a conversation.
DEFAULT_THRESHOLD = 2


def perception_gaps(
    item: Round, order: Sequence[str], *, threshold: int = DEFAULT_THRESHOLD
) -> list[PerceptionGap]:
    """Every perception gap of a round, pairs in survey ``order``, dimensions in form order."""
    if not 1 <= threshold <= 3:
        raise ValueError(f"the gap threshold must be 1, 2 or 3 points on the 1–4 scale, not {threshold}")
    position = {org: i for i, org in enumerate(order)}
    given: dict[tuple[str, str], Rating] = {(r.by, r.about): r for r in item.ratings}
    pairs = sorted(
        {tuple(sorted(pair, key=position.__getitem__)) for pair in given},
        key=lambda p: (position[p[0]], position[p[1]]),
    )
    gaps: list[PerceptionGap] = []
    for a, b in pairs:
        forward, backward = given.get((a, b)), given.get((b, a))
        if forward is not None and backward is not None:
            theirs = backward.dimensions()
            for dimension, says in forward.dimensions().items():
                other = theirs.get(dimension)
                if other is not None and abs(says - other) >= threshold:
                    gaps.append(PerceptionGap(a, b, "differs", dimension, says, other))
        elif forward is not None and item.responded(b):
            gaps.append(PerceptionGap(a, b, "one-sided", None, forward.level, None))
        elif backward is not None and item.responded(a):
            gaps.append(PerceptionGap(b, a, "one-sided", None, backward.level, None))
    return gaps
