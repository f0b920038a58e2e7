"""Perception gaps: pairs of organisations that see the tie between them differently.

Two kinds (``docs/methods.md``): both rate each other and on some dimension their answers are at
least ``threshold`` apart; or one reports the tie and the other answered explicitly that it does not
work with the first (``Round.not_working_with``). A tie the other side did not answer about (it
skipped that partner, or the whole round) is not a gap: :func:`unanswered_ties` lists it.
"""

from __future__ import annotations

from collections.abc import Sequence

from commonground.core.network.results import PerceptionGap
from commonground.core.network.survey import Rating, Round

# On a 1–4 scale a difference of 2 is, say, "a little" against "very much": worth a conversation.
DEFAULT_THRESHOLD = 2


def _pairs(item: Round, position: dict[str, int]) -> list[tuple[str, str]]:
    """Every pair with a rating either way, in survey order."""
    return sorted(
        {(r.by, r.about) if position[r.by] <= position[r.about] else (r.about, r.by) for r in item.ratings},
        key=lambda p: (position[p[0]], position[p[1]]),
    )


def perception_gaps(
    item: Round, order: Sequence[str], *, threshold: int = DEFAULT_THRESHOLD
) -> list[PerceptionGap]:
    """Every perception gap of a round, pairs in survey ``order``, dimensions in form order."""
    if not 1 <= threshold <= 3:
        raise ValueError(f"the gap threshold must be 1, 2 or 3 points on the 1–4 scale, not {threshold}")
    position = {org: i for i, org in enumerate(order)}
    given: dict[tuple[str, str], Rating] = {(r.by, r.about): r for r in item.ratings}
    gaps: list[PerceptionGap] = []
    for a, b in _pairs(item, position):
        forward, backward = given.get((a, b)), given.get((b, a))
        if forward is not None and backward is not None:
            theirs = backward.dimensions()
            for dimension, says in forward.dimensions().items():
                other = theirs.get(dimension)
                if other is not None and abs(says - other) >= threshold:
                    gaps.append(PerceptionGap(a, b, "differs", dimension, says, other))
        elif forward is not None and item.says_no_tie(b, a):
            gaps.append(PerceptionGap(a, b, "one-sided", None, forward.level, None))
        elif backward is not None and item.says_no_tie(a, b):
            gaps.append(PerceptionGap(b, a, "one-sided", None, backward.level, None))
    return gaps


def unanswered_ties(item: Round, order: Sequence[str]) -> list[tuple[str, str]]:
    """Ties one side reports and the other did not answer about: (reporter, silent side), survey order."""
    position = {org: i for i, org in enumerate(order)}
    given = {(r.by, r.about) for r in item.ratings}
    out = []
    for a, b in _pairs(item, position):
        for by, about in ((a, b), (b, a)):
            if (by, about) in given and (about, by) not in given and not item.says_no_tie(about, by):
                out.append((by, about))
    return out
