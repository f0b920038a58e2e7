"""Every organisation's best matches in a directory ("who should talk to whom"), in blocks, exactly.

The ranking is discovery's fast stage (``discovery.fast_stage``) with each organisation of the
directory as the seeker, its stored vector as the query: the ``pool`` most similar organisations
(itself left out), exactly, then re-ordered by similarity plus the SDG bonus, best ``top`` kept.
Red lines and the full assessment are not applied here (see docs/discovery.md, "All pairs").

Exactness is the same argument as ``search.py``'s, made over blocks. The block of queries is
quantised as ``search.quantise_query`` quantises one (``q = t·d + ρ``, int8 codes ``d``), and each
block of directory codes ``C`` is multiplied by it in integers (``int8_products``: onnxruntime's
int8 kernel, or float32 BLAS where that kernel is not exact), giving every approximate score
``s·t·(c·d)``. A row's true score ``x·q`` lies within ``e·|t·d| + |x|·|ρ|`` of it, with
``|x| ≤ s·|c| + e`` (Cauchy–Schwarz, twice: search.py's bound), widened a little for float32
rounding. For each query we keep a running lower bound ``L`` on its ``pool``-th best true score
(the ``pool``-th best *lower* bound seen so far; after the first block and at the end, the least
exact score of the ``pool`` candidates with the best lower bounds, which ``pool`` rows do reach)
and every row whose *upper* bound reaches ``L``; ``L`` only rises, so a row dropped on the way
could never have reached the final one. The rows left are re-scored with their float vectors: the
best ``pool`` of them are the brute-force answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import simsimd

from commonground.core.directory.int8_products import QueryBlock
from commonground.core.directory.search import ROUNDING, FloatArray, IntArray

# Directory rows per block (3 MB of int8 codes at 384 dimensions) and queries per block: a
# 8,192 × 512 product is large enough for the int8 kernel to run near its peak, and small enough
# that the score block (16 MB) and the candidates stay modest.
BLOCK_ROWS = 8192
QUERY_ROWS = 512
RERANK_ROWS = 16_384  # float rows gathered at a time for the exact re-score
TINY = 1e-7  # absolute slack on top of the relative ROUNDING (search.py's), for scores near 0


@dataclass(frozen=True)
class Piece:
    """A run of rows: int8 codes, scales, errors, float vectors, and which of their rows count."""

    codes: npt.NDArray[np.int8]
    scales: FloatArray
    errors: FloatArray
    vectors: npt.NDArray[np.float32]
    index: IntArray | None = None  # rows of the arrays in this piece (None: all, in order)

    @property
    def size(self) -> int:
        """Rows of the piece that count."""
        return len(self.codes) if self.index is None else len(self.index)


class Rows:
    """The rows all-pairs ranks, numbered 0..n-1 across pieces (a directory's live segments)."""

    def __init__(self, pieces: Sequence[Piece]):
        self.pieces = [p for p in pieces if p.size]
        sizes = [p.size for p in self.pieces]
        self.offsets = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)
        self.dim = int(self.pieces[0].codes.shape[1]) if self.pieces else 0

    def __len__(self) -> int:
        return int(self.offsets[-1])

    def _spans(self, start: int, stop: int) -> list[tuple[Piece, int, int, int]]:
        """(piece, first local row, last local row + 1, position in the range) covering [start, stop)."""
        out = []
        first = int(np.searchsorted(self.offsets, start, side="right")) - 1
        for p in range(max(first, 0), len(self.pieces)):
            lo, hi = int(self.offsets[p]), int(self.offsets[p + 1])
            if lo >= stop:
                break
            a, b = max(start, lo), min(stop, hi)
            if a < b:
                out.append((self.pieces[p], a - lo, b - lo, a - start))
        return out

    def block(
        self, start: int, stop: int, out: npt.NDArray[np.int8]
    ) -> tuple[npt.NDArray[np.int8], FloatArray, FloatArray]:
        """Int8 codes of rows [start, stop) in ``out``, with their scales and errors."""
        n = stop - start
        scales = np.empty(n, np.float32)
        errors = np.empty(n, np.float32)
        for piece, a, b, at in self._spans(start, stop):
            if piece.index is None:
                rows: slice | IntArray = slice(a, b)
            else:
                rows = piece.index[a:b]
            out[at : at + b - a] = piece.codes[rows]
            scales[at : at + b - a] = piece.scales[rows]
            errors[at : at + b - a] = piece.errors[rows]
        return out[:n], scales, errors

    def floats(self, rows: IntArray) -> FloatArray:
        """Float vectors of rows (any order)."""
        out = np.empty((len(rows), self.dim), np.float32)
        which = np.searchsorted(self.offsets, rows, side="right") - 1
        # Gathered in the order asked: all-pairs reads the same files over and over, so they stay in
        # the page cache, where sorting the reads (and putting the answer back) costs more than it saves.
        if len(self.pieces) == 1 and self.pieces[0].index is None:
            return np.take(self.pieces[0].vectors, rows, axis=0, out=out)
        for p in np.unique(which):
            at = np.flatnonzero(which == p)
            piece = self.pieces[int(p)]
            local = rows[at] - self.offsets[p]
            out[at] = piece.vectors[local if piece.index is None else piece.index[local]]
        return out


@dataclass(frozen=True)
class Ranking:
    """How many matches, from how large a pool by similarity, and the SDG bonus (discovery's)."""

    top: int = 20
    pool: int = 80
    sdg_bonus: float = 0.02
    sdg_cap: float = 0.06


@dataclass(frozen=True)
class Matches:
    """For each query row (first ``start``): match rows (-1 past the last), similarity and score."""

    start: int
    rows: npt.NDArray[np.int64]
    similarity: FloatArray
    score: FloatArray


def _descending_keys(values: FloatArray) -> npt.NDArray[np.uint64]:
    """uint64 keys that sort float32 values from largest to smallest (their bits, order-preserving)."""
    bits = np.ascontiguousarray(values, np.float32).view(np.uint32)
    ascending = np.where(bits >> 31, ~bits, bits | np.uint32(0x80000000))
    return (~ascending).astype(np.uint64)


@dataclass
class _Candidates:
    """Flat (query, row, lower, upper) of every row still possibly among a query's best."""

    query: IntArray
    row: IntArray
    lower: FloatArray
    upper: FloatArray

    def add(self, query: IntArray, row: IntArray, lower: FloatArray, upper: FloatArray) -> None:
        self.query = np.concatenate([self.query, query])
        self.row = np.concatenate([self.row, row])
        self.lower = np.concatenate([self.lower, lower])
        self.upper = np.concatenate([self.upper, upper])

    def _keep(self, which: IntArray | npt.NDArray[np.bool_]) -> None:
        self.query, self.row = self.query[which], self.row[which]
        self.lower, self.upper = self.lower[which], self.upper[which]

    def _ranks(self, queries: int) -> IntArray:
        """Order by query, then lower bound best first; each row's rank within its query (0: best)."""
        # One sort of (query, lower) packed in a uint64, stable: timsort takes the rows kept last
        # time as one sorted run and only merges in the new ones (a fresh lexsort took longer
        # than the block's product).
        keys = (self.query.astype(np.uint64) << np.uint64(32)) | _descending_keys(self.lower)
        self._keep(np.argsort(keys, kind="stable"))
        starts = np.searchsorted(self.query, np.arange(queries))
        return np.arange(len(self.query)) - starts[self.query]

    def tighten(self, bound: FloatArray, pool: int) -> FloatArray:
        """Raise each query's bound to its ``pool``-th best lower bound; drop rows that cannot reach it."""
        at = self._ranks(len(bound)) == pool - 1
        bound = bound.copy()
        bound[self.query[at]] = np.maximum(bound[self.query[at]], self.lower[at])
        self._keep(self.upper >= bound[self.query])
        return bound

    def sharpen(self, rows: Rows, queries: FloatArray, bound: FloatArray, pool: int) -> FloatArray:
        """Raise each query's bound to the least exact score of its ``pool`` candidates with the
        highest lower bounds, and drop rows that cannot reach it: the band of rows kept is then one
        slack wide below the pool's last true score instead of two. The exact scores are float32
        sums of the float rows, lowered by float32's worst rounding of a sum of ``dim`` products."""
        ranks = self._ranks(len(bound))
        counts = np.bincount(self.query, minlength=len(bound))
        full = np.flatnonzero(counts >= pool)
        if len(full) == 0:
            return bound
        # Sorted by query: each full query's pool best are contiguous, so no query is copied per row.
        pick = np.flatnonzero((ranks < pool) & (counts[self.query] >= pool))
        floats = rows.floats(self.row[pick]).reshape(len(full), pool, rows.dim)
        mine = queries[full]
        exact = np.matmul(floats, mine[:, :, None])[:, :, 0]
        lengths = np.sqrt(np.einsum("qpd,qpd->qp", floats, floats)) * np.linalg.norm(mine, axis=1)[:, None]
        lowest = (exact - np.float32(2 * rows.dim * 2.0**-24) * lengths).min(axis=1)
        bound = bound.copy()
        bound[full] = np.maximum(bound[full], lowest - np.float32(TINY))
        self._keep(self.upper >= bound[self.query])
        return bound


def _slack_terms(queries: FloatArray, block: QueryBlock) -> tuple[FloatArray, FloatArray]:
    """Per query, what a row's error ``e`` and length ``s·|c|`` are multiplied by in its slack.

    ``x·q − s·t·(c·d) = (x − s·c)·q + s·c·(q − t·d)``, so it is at most ``e·|q| + s·|c|·|ρ|``
    (Cauchy–Schwarz, twice; ``|ρ|`` is ``quantise_query``'s residual, rounded up). The relative
    ``ROUNDING`` of ``|x|·|q| ≤ (s·|c| + e)·|q|`` on top covers float32's rounding of the scores and
    the bounds (search.py's margin).
    """
    lengths = np.linalg.norm(queries.astype(np.float64), axis=1) * (1 + 1e-9)
    per_error = lengths * (1 + ROUNDING)
    per_length = block.residuals + ROUNDING * lengths
    return per_error.astype(np.float32), per_length.astype(np.float32)


def _seed(lower: FloatArray, pool: int) -> FloatArray:
    """Per query (column), a value that ``pool`` of the rows' lower bounds reach: the ``pool``-th
    best maximum of groups of rows (``pool`` groups, ``pool`` distinct rows). Cheaper than a
    partition of every column, and barely lower with four groups per row wanted."""
    width = max(1, len(lower) // (4 * pool))
    groups = len(lower) // width
    maxima = lower[: groups * width].reshape(groups, width, lower.shape[1]).max(axis=1)
    return np.asarray(np.partition(maxima, groups - pool, axis=0)[groups - pool], np.float32)


def _candidates(rows: Rows, start: int, stop: int, pool: int) -> tuple[_Candidates, FloatArray]:
    """Every row that may be among the ``pool`` best of queries [start, stop) (themselves left out)."""
    queries = rows.floats(np.arange(start, stop, dtype=np.int64))
    block = QueryBlock(queries)
    per_error, per_length = _slack_terms(queries, block)
    t = block.scales.astype(np.float32)
    b, n = stop - start, len(rows)
    found = _Candidates(
        np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.float32)
    )
    bound = np.full(b, -np.inf, np.float32)
    buffer = np.empty((min(BLOCK_ROWS, n), rows.dim), np.int8)
    own = np.arange(start, stop, dtype=np.int64)
    for lo in range(0, n, BLOCK_ROWS):
        hi = min(n, lo + BLOCK_ROWS)
        codes, scales, errors = rows.block(lo, hi, buffer)
        # s·|c| of each row, from its exact integer |c|² (simsimd sums int8 squares in integers).
        lengths = scales * np.sqrt(np.asarray(simsimd.dot(codes, codes), np.float64)).astype(np.float32)
        # s·(c·d), rows × queries (the kernel's layout: the query codes are its weights); each
        # query's scale t is applied to its threshold instead, one pass over the block fewer.
        approx = block.dots(codes).astype(np.float32, copy=False)
        approx *= scales[:, None]
        mine = (own >= lo) & (own < hi)
        itself = (own[mine] - lo, np.flatnonzero(mine))
        approx[itself] = -np.inf  # an organisation is not its own match
        if not np.isfinite(bound).all() and hi - lo > pool:
            # Seed the bound from this block's lower bounds, so the first block does not hand every
            # one of its rows to the candidates.
            lower = np.multiply(errors[:, None], per_error[None, :])
            lower += lengths[:, None] * per_length[None, :]
            np.subtract(approx * t, lower, out=lower)
            bound = np.maximum(bound, _seed(lower, pool) - np.float32(TINY))
        # A cheap superset first (the block's largest error and length), then each row's own bound.
        widest = float(errors.max()) * per_error + float(lengths.max()) * per_length + np.float32(TINY)
        reach = (bound - widest) / t
        reach -= np.abs(reach) * np.float32(1e-6)  # a hair lower: the division rounds (a superset)
        hit = approx >= reach[None, :]
        hit[itself] = False  # (-inf reaches a bound that is still -inf)
        # flatnonzero and a division: np.nonzero on a 2-D mask took longer than the product itself.
        r, q = np.divmod(np.flatnonzero(hit), b)
        if len(q) == 0:
            continue
        slack = errors[r] * per_error[q] + lengths[r] * per_length[q] + np.float32(TINY)
        score = approx[r, q] * t[q]
        found.add(q, r + lo, score - slack, score + slack)
        bound = found.tighten(bound, pool)
        if lo == 0:
            bound = found.sharpen(rows, queries, bound, pool)  # (the first block: the rest start tight)
    if len(found.row):
        found.sharpen(rows, queries, bound, pool)
    return found, queries


def _exact_scores(rows: Rows, found: _Candidates, queries: FloatArray) -> FloatArray:
    """Each candidate's float score, as ``rows @ query`` per query: the same float32 sums (and so the
    same order of near-ties) as brute force and the single-query search."""
    order = np.argsort(found.query, kind="stable")
    found.query, found.row = found.query[order], found.row[order]
    found.lower, found.upper = found.lower[order], found.upper[order]
    exact = np.empty(len(found.row), np.float32)
    for a in range(0, len(found.row), RERANK_ROWS):
        b = min(len(found.row), a + RERANK_ROWS)
        floats = rows.floats(found.row[a:b])
        query = found.query[a:b]
        edges = np.flatnonzero(np.diff(query)) + 1
        for lo, hi in zip([0, *edges.tolist()], [*edges.tolist(), b - a], strict=True):
            exact[a + lo : a + hi] = floats[lo:hi] @ queries[query[lo]]
    return exact


def block_matches(rows: Rows, start: int, stop: int, ranking: Ranking, sdg_bits: IntArray) -> Matches:
    """The best ``ranking.top`` matches of each row in [start, stop) among all ``rows``, exactly."""
    b = stop - start
    pool = max(1, min(ranking.pool, len(rows) - 1))
    found, queries = _candidates(rows, start, stop, pool) if len(rows) > 1 else (None, None)
    if found is None or queries is None or len(found.row) == 0:
        empty = np.full((b, ranking.top), -1, np.int64)
        nothing = np.full((b, ranking.top), np.nan, np.float32)
        return Matches(start, empty, nothing, nothing.copy())
    exact = _exact_scores(rows, found, queries)
    # The pool: each query's best by exact similarity (ties: lower row first, as brute force).
    order = np.lexsort((found.row, -exact, found.query))
    q, r, sim = found.query[order], found.row[order], exact[order]
    rank = np.arange(len(q)) - np.searchsorted(q, q)
    inside = rank < pool
    q, r, sim = q[inside], r[inside], sim[inside]
    shared = np.bitwise_count(sdg_bits[start + q] & sdg_bits[r]).astype(np.float32)
    score = sim + np.minimum(ranking.sdg_bonus * shared, ranking.sdg_cap).astype(np.float32)
    order = np.lexsort((r, -sim, -score, q))
    q, r, sim, score = q[order], r[order], sim[order], score[order]
    rank = np.arange(len(q)) - np.searchsorted(q, q)
    inside = rank < ranking.top
    out_rows = np.full((b, ranking.top), -1, np.int64)
    out_sim = np.full((b, ranking.top), np.nan, np.float32)
    out_score = np.full((b, ranking.top), np.nan, np.float32)
    out_rows[q[inside], rank[inside]] = r[inside]
    out_sim[q[inside], rank[inside]] = sim[inside]
    out_score[q[inside], rank[inside]] = score[inside]
    return Matches(start, out_rows, out_sim, out_score)


def partition_matches(rows: Rows, start: int, stop: int, ranking: Ranking, sdg_bits: IntArray) -> Matches:
    """``block_matches`` over [start, stop) in blocks of ``QUERY_ROWS`` queries, joined."""
    parts = [
        block_matches(rows, a, min(stop, a + QUERY_ROWS), ranking, sdg_bits)
        for a in range(start, stop, QUERY_ROWS)
    ]
    return Matches(
        start,
        np.concatenate([p.rows for p in parts]),
        np.concatenate([p.similarity for p in parts]),
        np.concatenate([p.score for p in parts]),
    )


def sdg_bits(sdgs: Sequence[Sequence[int]]) -> IntArray:
    """Each row's SDGs as a bit set (bit n for SDG n), so shared SDGs are one AND and a popcount."""
    out = np.zeros(len(sdgs), np.int64)
    for i, goals in enumerate(sdgs):
        for goal in goals:
            out[i] |= 1 << int(goal)
    return out
