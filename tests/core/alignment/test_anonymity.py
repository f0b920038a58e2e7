"""THE anonymity enumeration: every released figure of many answer sets, and what they give away.

For each generated answer set (two organisations of three people, uneven partners, roles, people
joining and leaving, skipped items, pooled windows) we collect every cell the analysis releases, at
any partner, role, check-in, item or pooled window, and prove that

1. no released cell has 1 to 4 people;
2. no two released nested cells (one's people inside the other's) differ by 1 to 4 people;
3. no respondent's score can be solved from the released counts and means: each released cell is a
   linear equation over the individual scores (its sum is n × mean; a pooled cell weighs each of a
   person's answers by 1/their number of answers), and no person's score lies in the row space.
"""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest

from commonground.core.alignment.analysis import NO_ROLE, analyse
from commonground.core.alignment.models import ALL, Answer, Cell, PulseAnalysis

ITEMS = ("trust", "voice")


def _scenario(rng: random.Random) -> tuple[list[Answer], int]:
    """A random answer set and a pooling window."""
    sizes = rng.choice(
        [
            [3, 3],
            [12, 9],
            [12, 2, 1],
            [6, 6, 4],
            [20, 4, 7, 1],
            [5, 5],
            [9, 3, 3],
            [rng.randint(1, 14) for _ in range(rng.randint(1, 4))],
        ]
    )
    with_roles = rng.random() < 0.5
    people = []
    for p, size in enumerate(sizes):
        for i in range(size):
            role = rng.choice(["lead", "staff", "board"][: rng.randint(1, 3)]) if with_roles else ""
            people.append((f"r{p}-{i}", f"P{p}", role))
    answers = []
    turnover = rng.random() < 0.5
    for checkin in range(1, rng.randint(1, 4) + 1):
        for respondent, partner, role in people:
            if turnover and rng.random() < 0.25:
                continue
            for item in ITEMS:
                if rng.random() < 0.9:
                    answers.append(
                        Answer(str(checkin), respondent, partner, item, rng.randint(1, 5), role=role)
                    )
    return answers, rng.choice([0, 0, 2, 3])


def _members(
    answers: list[Answer], cell: Cell, pooled: tuple[str, ...]
) -> dict[str, list[tuple[str, str, str]]]:
    """The people of a released cell and the score variables each contributes."""
    roles = any(a.role for a in answers)
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for a in answers:
        if a.item != cell.item or (a.checkin not in pooled if pooled else a.checkin != cell.checkin):
            continue
        if cell.partner != ALL and a.partner != cell.partner:
            continue
        if cell.role != ALL and ((a.role or NO_ROLE) if roles else "") != cell.role:
            continue
        found[a.respondent].append((a.respondent, a.checkin, a.item))
    return found


def _released(result: PulseAnalysis, answers: list[Answer], pool: int):
    window = result.checkins[-pool:] if pool else ()
    for cell in result.cells:
        if not cell.suppressed:
            yield cell, _members(answers, cell, ())
    for cell in result.pooled:
        if not cell.suppressed:
            yield cell, _members(answers, cell, tuple(window))


def _solvable(equations: list[dict[tuple[str, str, str], float]]) -> set[tuple[str, str, str]]:
    """The score variables pinned by the equations (a unit vector in their row space)."""
    variables = sorted({v for eq in equations for v in eq})
    if not equations:
        return set()
    index = {v: i for i, v in enumerate(variables)}
    matrix = np.zeros((len(equations), len(variables)))
    for row, eq in enumerate(equations):
        for v, weight in eq.items():
            matrix[row, index[v]] = weight
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[singular > 1e-9 * singular.max()]
    # e_v is in the row space iff its projection onto the orthonormal basis has length 1.
    reach = (basis**2).sum(axis=0)
    return {v for v, r in zip(variables, reach, strict=True) if r > 1 - 1e-7}


def _check(answers: list[Answer], pool: int) -> None:
    result = analyse(answers, pool=pool)
    released = list(_released(result, answers, pool))
    for cell, members in released:
        assert cell.n == len(members), cell
        assert not 1 <= cell.n < 5, f"released cell of {cell.n}: {cell}"
    by_table = defaultdict(list)
    for cell, members in released:
        by_table[(cell.checkin, cell.item)].append((cell, set(members)))
    for cells in by_table.values():
        for big, big_people in cells:
            for small, small_people in cells:
                if small_people < big_people:
                    assert not 1 <= len(big_people) - len(small_people) <= 4, (big, small)
    equations = []
    for _cell, members in released:
        equation: dict[tuple[str, str, str], float] = {}
        for variables in members.values():
            for v in variables:
                equation[v] = 1 / len(variables)  # a pooled person weighs 1 whatever their answers
        equations.append(equation)
    assert not _solvable(equations), "a respondent's score can be worked out"


@pytest.mark.parametrize("seed", range(150))
def test_no_released_figure_gives_anyone_away(seed: int) -> None:
    answers, pool = _scenario(random.Random(seed))
    _check(answers, pool)


def test_the_checker_would_notice_a_leak() -> None:
    # Guard against a proof that can never fail: partner A of 9 and all 12 released pin nothing
    # alone, but with the three others' cell released too, one of them answering alone is pinned.
    equations = [{("a", "1", "t"): 1.0, ("b", "1", "t"): 1.0}, {("a", "1", "t"): 1.0}]
    assert _solvable(equations) == {("a", "1", "t"), ("b", "1", "t")}


def test_two_organisations_of_three_still_see_the_pooled_figure() -> None:
    rng = random.Random(7)
    answers = [
        Answer(str(c), f"{p}{i}", p, "trust", rng.randint(1, 5))
        for c in (1, 2)
        for p in "AB"
        for i in range(3)
    ]
    result = analyse(answers, pool=2)
    shown = [c for c in result.cells if not c.suppressed]
    assert {(c.partner, c.n) for c in shown} == {(ALL, 6)}
    assert all(c.suppressed for c in result.pooled if c.partner != ALL)
    assert any("Pooling several check-ins does not make the same people anonymous" in n for n in result.notes)
