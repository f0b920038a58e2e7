"""Answers in, anonymity-safe results out: the one entry point the workspace and the CLI share.

``analyse`` groups the answers of every check-in and item into a table of partners (and roles, when
answers carry them), decides which cells may be released (``suppression``), and computes every
other result only from released cells: drift alerts (``drift``), perception gaps (``gaps``) and
coorientation (``coorientation``). Comments are shown only from groups of 10 or more people. The
notes say, in words, what could not be shown and why. docs/methods.md ("Staying aligned") has the
rules and the methods.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from commonground.core.alignment import drift, gaps, suppression
from commonground.core.alignment.coorientation import coorientation
from commonground.core.alignment.models import (
    ALL,
    MIN_COMMENT_RESPONDENTS,
    MIN_GAP_RESPONDENTS,
    MIN_RESPONDENTS,
    Alert,
    Answer,
    Cell,
    Coorientation,
    Gap,
    PulseAnalysis,
    ShownComment,
)

NO_ROLE = "(no role given)"  # the role of a respondent who gave none, when others did


def checkin_order(checkins: Sequence[str]) -> tuple[str, ...]:
    """Check-in labels in time order: numbers numerically, ISO dates as text, each once."""
    unique = set(checkins)
    if all(label.isdigit() for label in unique):
        return tuple(sorted(unique, key=int))
    return tuple(sorted(unique))


@functools.lru_cache(maxsize=1024)
def _decide(
    counts: tuple[tuple[suppression.Atom, int], ...],
    roles: bool,
    known: frozenset[suppression.CellKey] = frozenset(),
) -> dict[suppression.CellKey, suppression.Decision]:
    # Every check-in of a stable partnership has the same counts: decide each pattern once.
    return suppression.decide(dict(counts), roles=roles, known=known)


@dataclasses.dataclass
class _Table:
    """The answers of one check-in (or pooled window) and one item, by atom."""

    scores: dict[suppression.Atom, list[float]] = dataclasses.field(default_factory=lambda: defaultdict(list))


def _cell_order(key: suppression.CellKey) -> tuple[int, str, str]:
    partner, role = key
    return ((partner != ALL) + 2 * (role != ALL), partner, role)


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _sd(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _cells(
    label: str,
    item: str,
    table: _Table,
    roles: bool,
    known: frozenset[suppression.CellKey] = frozenset(),
) -> tuple[list[Cell], dict[suppression.CellKey, list[float]]]:
    """The table's cells (released or not) and the scores behind each released one."""
    counts = tuple(sorted((atom, len(values)) for atom, values in table.scores.items()))
    decisions = _decide(counts, roles, known)
    members = suppression.cell_atoms(table.scores, roles=roles)
    cells, released = [], {}
    for key in sorted(decisions, key=_cell_order):
        decision = decisions[key]
        if decision.released:
            values = [v for atom in members[key] for v in table.scores[atom]]
            released[key] = values
            cell = Cell(label, key[0], item, len(values), round(_mean(values), 2), False, "", key[1])
        else:
            cell = Cell(label, key[0], item, None, None, True, decision.reason, key[1])
        cells.append(cell)
    return cells, released


def _comments(
    checkin: str, item: str, own: Sequence[Answer], counts: Mapping[str, int]
) -> tuple[list[ShownComment], int]:
    """Comments that may be shown at one check-in and item, and how many were held back."""
    said = [a for a in own if a.comment.strip()]
    if not said:
        return [], 0
    by_partner = {a.partner for a in said}
    if all(counts[p] >= MIN_COMMENT_RESPONDENTS for p in by_partner):
        shown = [ShownComment(checkin, a.partner, item, a.comment.strip()) for a in said]
    elif sum(counts.values()) >= MIN_COMMENT_RESPONDENTS:
        # Pooled to all partners, and never also by partner: the difference would name the group.
        shown = [ShownComment(checkin, ALL, item, a.comment.strip()) for a in said]
    else:
        return [], len(said)
    # Sorted by text, so the order says nothing about who answered first.
    return sorted(shown, key=lambda c: (c.partner, c.text)), 0


def _pooled(
    answers: Sequence[Answer], window: Sequence[str], items: Sequence[str], shown: Sequence[Cell]
) -> list[Cell]:
    """Cells pooled over a window of check-ins, counting each person once (the mean of their means).

    A group is pooled only where none of its own check-in figures in the window is shown: pooling
    next to shown figures would let a reader subtract them and find the hidden ones. Groups with a
    shown figure count as known when deciding what else the window may release.
    """
    label = f"{window[0]} to {window[-1]}" if len(window) > 1 else window[0]
    inside = set(window)
    person: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for answer in answers:
        if answer.checkin in inside:
            person[(answer.item, answer.partner, answer.respondent)].append(answer.score)
    seen = {(c.item, c.partner) for c in shown if c.checkin in inside and not c.suppressed}
    cells = []
    for item in items:
        table = _Table()
        for (of, partner, _), scores in person.items():
            if of == item:
                table.scores[(partner, "")].append(_mean(scores))
        if table.scores:
            known = frozenset((p, ALL) for of, p in seen if of == item)
            cells.extend(_cells(label, item, table, False, known)[0])
    return cells


def _notes(
    cells: Sequence[Cell], partners: Sequence[str], checkins: Sequence[str], held_comments: int
) -> list[str]:
    """What could not be shown and why, in words, one line per partner or reason."""
    notes = []
    partner_hidden = False
    for partner in partners:
        mine = [c for c in cells if c.partner == partner and c.role == ALL]
        few = {c.checkin for c in mine if c.reason == suppression.FEWER}
        guarded = {c.checkin for c in mine if c.reason == suppression.PROTECTS}
        partner_hidden = partner_hidden or bool(few or guarded)
        if few:
            notes.append(
                f"{partner}: its own figures are hidden at {len(few)} of {len(checkins)} check-in(s), "
                f"because fewer than {MIN_RESPONDENTS} of its people answered. Its answers still count "
                "in the figures for all partners together."
            )
        if guarded:
            notes.append(
                f"{partner}: its own figures are hidden at {len(guarded)} check-in(s) so that a smaller "
                "group's answers cannot be worked out by subtracting them from the total."
            )
    empty = sorted(
        {c.checkin for c in cells if c.partner == ALL and c.role == ALL and c.suppressed},
        key=checkins.index,
    )
    if empty:
        notes.append(
            f"Check-in(s) {', '.join(empty)}: fewer than {MIN_RESPONDENTS} people answered in all, so "
            "nothing from them is shown."
        )
    if any(c.role != ALL and c.suppressed for c in cells):
        notes.append("Some figures by role are hidden for the same reasons.")
    if held_comments:
        notes.append(
            f"{held_comments} comment(s) are not shown: fewer than {MIN_COMMENT_RESPONDENTS} people "
            "answered in their group, even with all partners together."
        )
    if partner_hidden:
        notes.append(
            "Small partnerships: figures for all partners together are shown where 5 or more people "
            "answered. Pooling several check-ins does not make the same people anonymous (three people "
            "answering three times are still three people), so pooled figures (--pool) count each "
            "person once and need 5 or more different people."
        )
    return notes


def analyse(answers: Sequence[Answer], *, pool: int = 0) -> PulseAnalysis:
    """Analyse every check-in in ``answers``; only anonymity-safe figures are released.

    ``pool``: also give cells pooled over the last ``pool`` check-ins (0: none), each person once.
    """
    own = [answer for answer in answers if not answer.about]
    checkins = checkin_order([answer.checkin for answer in own])
    partners = tuple(sorted({answer.partner for answer in own}))
    items = tuple(dict.fromkeys(answer.item for answer in own))
    roles = any(answer.role for answer in own)
    tables: dict[tuple[str, str], _Table] = defaultdict(_Table)
    said: dict[tuple[str, str], list[Answer]] = defaultdict(list)
    for answer in own:
        atom = (answer.partner, (answer.role or NO_ROLE) if roles else "")
        tables[(answer.checkin, answer.item)].scores[atom].append(answer.score)
        if answer.comment:
            said[(answer.checkin, answer.item)].append(answer)
    Guesses = dict[tuple[str, str], list[int]]  # (partner, about) -> predicted scores
    predicted: dict[tuple[str, str], Guesses] = defaultdict(lambda: defaultdict(list))
    for answer in answers:
        if answer.about:
            predicted[(answer.checkin, answer.item)][(answer.partner, answer.about)].append(answer.score)

    cells: list[Cell] = []
    comments: list[ShownComment] = []
    gap_rows: list[Gap] = []
    co_rows: list[Coorientation] = []
    series: dict[tuple[str, str], list[drift.Point]] = defaultdict(list)
    held = 0
    for checkin in checkins:
        for item in items:
            table = tables.get((checkin, item))
            if table is None:
                continue
            table_cells, released = _cells(checkin, item, table, roles)
            cells.extend(table_cells)
            means = {key[0]: _mean(v) for key, v in released.items() if key[1] == ALL}
            for key, values in released.items():
                if key[1] == ALL:
                    point = drift.Point(checkin, len(values), _mean(values), _sd(values))
                    series[(item, key[0])].append(point)
            gap_rows.extend(_gaps(checkin, item, released))
            shown_means = {p: round(m, 2) for p, m in means.items() if p != ALL}
            guesses = {
                pair: _mean(v)
                for pair, v in predicted.get((checkin, item), {}).items()
                if len(v) >= MIN_RESPONDENTS
            }
            co_rows.extend(
                coorientation(checkin=checkin, item=item, own_means=shown_means, predictions=guesses)
            )
            counts: dict[str, int] = defaultdict(int)
            for (partner, _), values in table.scores.items():
                counts[partner] += len(values)
            shown, hidden = _comments(checkin, item, said.get((checkin, item), []), counts)
            comments.extend(shown)
            held += hidden
    alerts: list[Alert] = []
    for (item, partner), points in series.items():
        alerts.extend(drift.detect(points, item=item, partner=partner))
    alerts.sort(key=lambda a: (checkins.index(a.checkin), a.item, a.partner != ALL, a.partner))
    pooled = _pooled(own, checkins[-pool:], items, cells) if pool > 0 and checkins else []
    return PulseAnalysis(
        checkins=checkins,
        partners=partners,
        items=items,
        cells=tuple(cells),
        alerts=tuple(alerts),
        gaps=tuple(gap_rows),
        coorientation=tuple(co_rows),
        comments=tuple(comments),
        notes=tuple(_notes(cells, partners, checkins, held)),
        pooled=tuple(pooled),
    )


def _gaps(checkin: str, item: str, released: Mapping[suppression.CellKey, list[float]]) -> list[Gap]:
    """Perception gaps between every pair of partners whose cells at this check-in are released and
    hold at least MIN_GAP_RESPONDENTS people each.

    Why more than the 5 of a cell: Cliff's delta and the exact p add the ordering of the two groups'
    answers to their means, and with five people on a 1-5 scale that can pin down every answer of
    a group (about one pair of 5-person groups in nine, counted over all of them)."""
    groups = {
        key[0]: [int(v) for v in values]
        for key, values in released.items()
        if key[1] == ALL and key[0] != ALL and len(values) >= MIN_GAP_RESPONDENTS
    }
    results = gaps.compare_groups(groups, seed=gaps.seed_for(checkin, item)) if len(groups) > 1 else {}
    return [
        Gap(
            checkin=checkin,
            item=item,
            partner_a=a,
            partner_b=b,
            n_a=len(groups[a]),
            n_b=len(groups[b]),
            difference=round(_mean(groups[a]) - _mean(groups[b]), 2),
            cliffs_delta=round(result.delta, 3),
            delta_low=round(result.delta_low, 3),
            delta_high=round(result.delta_high, 3),
            p_value=round(result.p_value, 4),
            method=result.method,
        )
        for (a, b), result in results.items()
    ]
