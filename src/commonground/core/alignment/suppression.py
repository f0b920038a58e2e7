"""Which figures of one check-in may be published: the anonymity rules over a table of groups.

A *table* is one check-in and one item (or one pooled window and one item). Its people fall in
*atoms*, the finest groups: one partner and one role (or one partner when nobody gave a role). The
published *cells* are sums of atoms: every partner, every role, every partner × role, and the
total (``ALL`` × ``ALL``). A released cell publishes its count and mean, i.e. the sum of its
people's scores, so anyone can add and subtract released cells. The rules (docs/methods.md,
"Staying aligned"):

1. no cell of fewer than ``MIN_RESPONDENTS`` people is released (primary suppression);
2. no group of 1 to 4 people may be worked out from the released cells by any addition or
   subtraction, nor any difference between such people (complementary suppression). This covers
   a hidden partner whose siblings and the total are shown, and two nested released cells whose
   counts differ by 1–4 (their difference is a group of 1–4 people).

Rule 2 is checked exactly with linear algebra over the atoms: the released cells span a space of
sums anyone can compute; a small group is exposed when some non-zero combination inside that space
touches only its atoms. While one is exposed we hide one more cell, preferring the smallest
sibling over the total, so the figure pooled across partners survives where it can.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Mapping

import numpy as np

from commonground.core.alignment.models import ALL, MIN_RESPONDENTS

FEWER = f"fewer than {MIN_RESPONDENTS} respondents"
PROTECTS = "hidden so that a smaller group cannot be worked out by subtraction"

# An atom is (partner, role); role is "" when the table has no roles.
Atom = tuple[str, str]
CellKey = tuple[str, str]  # (partner or ALL, role or ALL)


@dataclasses.dataclass(frozen=True)
class Decision:
    """Whether one cell of a table is released, and why not when it is hidden."""

    key: CellKey
    n: int
    released: bool
    reason: str = ""


def cell_atoms(atoms: Iterable[Atom], *, roles: bool) -> dict[CellKey, tuple[Atom, ...]]:
    """Every publishable cell of a table and the atoms it sums, total first."""
    atoms = sorted(atoms)
    partners = sorted({partner for partner, _ in atoms})
    cells: dict[CellKey, tuple[Atom, ...]] = {(ALL, ALL): tuple(atoms)}
    for partner in partners:
        cells[(partner, ALL)] = tuple(atom for atom in atoms if atom[0] == partner)
    if roles:
        for role in sorted({role for _, role in atoms}):
            cells[(ALL, role)] = tuple(atom for atom in atoms if atom[1] == role)
        for atom in atoms:
            cells[atom] = (atom,)
    return cells


def _rank(matrix: np.ndarray) -> int:
    if matrix.size == 0:
        return 0
    # An absolute tolerance: the matrices hold small integers, and rounding noise must not count.
    return int(np.linalg.matrix_rank(matrix, tol=1e-9))


def _null_space(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis (as columns) of the vectors ``y`` with ``matrix @ y == 0``."""
    cols = matrix.shape[1]
    if matrix.shape[0] == 0:
        return np.eye(cols)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9 * max(1.0, float(singular.max(initial=0.0)))).sum())
    return np.asarray(vt[rank:].T)


def exposed_groups(
    released: Iterable[tuple[Atom, ...]], counts: Mapping[Atom, int]
) -> list[tuple[Atom, ...]]:
    """Groups of 1 to 4 people (sets of atoms) that some combination of released cells isolates."""
    atoms = sorted(counts)
    index = {atom: i for i, atom in enumerate(atoms)}
    rows = [np.bincount([index[a] for a in cell], minlength=len(atoms)) for cell in released]
    small = [a for a in atoms if counts[a] < MIN_RESPONDENTS]
    if not rows or not small:
        return []
    matrix = np.array(rows, dtype=float)
    large = [index[a] for a in atoms if counts[a] >= MIN_RESPONDENTS]
    # Combinations y of released cells whose sum leaves out every large atom: y in null(M_L^T).
    combos = _null_space(matrix[:, large].T) if large else np.eye(len(rows))
    if combos.shape[1] == 0:
        return []
    # Their values on the small atoms: a basis (columns) of what can be learnt about small atoms alone.
    learnt = matrix[:, [index[a] for a in small]].T @ combos
    full = _rank(learnt)
    if full == 0:
        return []
    support = [a for i, a in enumerate(small) if np.abs(learnt[i]).max() > 1e-9]
    exposed = []
    for size in range(1, MIN_RESPONDENTS):
        for group in itertools.combinations(support, size):
            if sum(counts[a] for a in group) >= MIN_RESPONDENTS:
                continue
            rest = [i for i, a in enumerate(small) if a not in group]
            # Something non-zero is learnt about this group alone iff dropping its rows loses rank.
            if _rank(learnt[rest]) < full:
                exposed.append(group)
    return exposed


def decide(
    counts: Mapping[Atom, int], *, roles: bool, known: frozenset[CellKey] = frozenset()
) -> dict[CellKey, Decision]:
    """Release or hide every cell of one table, so that no group of 1–4 people can be worked out.

    ``known``: cells the reader can work out from elsewhere (a pooled window's groups whose own
    check-in figures are shown); never released here, but counted in what can be subtracted.
    """
    counts = {atom: n for atom, n in counts.items() if n > 0}
    cells = cell_atoms(counts, roles=roles)
    size = {key: sum(counts[a] for a in members) for key, members in cells.items()}
    known = frozenset(key for key in known if key in cells)
    released = {key for key in cells if size[key] >= MIN_RESPONDENTS} - known
    protected: set[CellKey] = set()
    while True:
        groups = exposed_groups([cells[k] for k in sorted(released | known)], counts)
        if not groups:
            break
        group = groups[0]
        # Prefer hiding a small sibling over the total; among equals, the smallest cell.
        candidates = sorted(released, key=lambda k: (k == (ALL, ALL), size[k], k))
        if not candidates:
            break  # only known cells expose it: nothing of ours adds to what is known
        chosen = next(
            (
                k
                for k in candidates
                if group not in exposed_groups([cells[c] for c in sorted((released | known) - {k})], counts)
            ),
            candidates[0],
        )
        released.discard(chosen)
        protected.add(chosen)
    return {
        key: Decision(
            key=key,
            n=size[key],
            released=key in released,
            reason="" if key in released else (PROTECTS if key in protected or key in known else FEWER),
        )
        for key in cells
    }
