"""Answers in, anonymity-safe results out: the one entry point the workspace and the CLI share.

FIRST VERSION (lead's contract): cell means with the minimum-group rule only. The "core" work on
issue 11 replaces the body with complementary suppression, drift, gaps, coorientation and comments;
the signature stays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from commonground.core.alignment.models import ALL, MIN_RESPONDENTS, Answer, Cell, PulseAnalysis


def checkin_order(checkins: Sequence[str]) -> tuple[str, ...]:
    """Check-in labels in time order: numbers numerically, ISO dates as text, each once."""
    unique = set(checkins)
    if all(label.isdigit() for label in unique):
        return tuple(sorted(unique, key=int))
    return tuple(sorted(unique))


def analyse(answers: Sequence[Answer]) -> PulseAnalysis:
    """Analyse every check-in in ``answers``; only anonymity-safe figures are released."""
    own = [answer for answer in answers if not answer.about]
    checkins = checkin_order([answer.checkin for answer in own])
    partners = tuple(sorted({answer.partner for answer in own}))
    items = tuple(dict.fromkeys(answer.item for answer in own))
    scores: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for answer in own:
        scores[(answer.checkin, answer.partner, answer.item)].append(answer.score)
        scores[(answer.checkin, ALL, answer.item)].append(answer.score)
    cells = []
    for checkin in checkins:
        for item in items:
            for partner in (ALL, *partners):
                values = scores.get((checkin, partner, item), [])
                if not values:
                    continue
                small = len(values) < MIN_RESPONDENTS
                cells.append(
                    Cell(
                        checkin=checkin,
                        partner=partner,
                        item=item,
                        n=None if small else len(values),
                        mean=None if small else round(sum(values) / len(values), 2),
                        suppressed=small,
                        reason=f"fewer than {MIN_RESPONDENTS} respondents" if small else "",
                    )
                )
    return PulseAnalysis(checkins=checkins, partners=partners, items=items, cells=tuple(cells))
