"""Exact nearest-neighbour search: an int8 scan finds candidates, the float vectors decide.

Each stored row ``x`` is kept twice: as int8 codes ``c`` with a per-row scale ``s`` (so ``x ≈ s·c``,
a quarter of float32's bytes, which is what the scan streams through memory) and as float32 for
the re-rank. The query ``q`` is quantised the same way (``q ≈ t·d``, int8 codes ``d``), so the scan
is a SIMD int8 dot product (simsimd, summed in int32: every ``c·d`` is an exact integer) and scores
every row allowed by the filter as ``s·t·(c·d)``. The rows scoring highest are re-scored exactly.
The answer is then proved exact rather than hoped for: each row also stores its quantisation error
``e = |x − s·c|``, and the query's own rounding ``r = q − t·d`` is known, so a row's true score is at
most ``s·t·(c·d) + e·|t·d| + |x|·|r|`` with ``|x| ≤ s·|c| + e`` (Cauchy–Schwarz, twice). Every row
whose bound reaches the k-th exact score is re-scored too, so no row that belongs in the top k can
be missed, whatever the data.

Two kernels give the same exact integers: simsimd's, the faster where it has a VNNI path (AVX-512 or
AVX-VNNI), and numkong's (simsimd's successor), a fifth faster on CPUs with AVX2 only;
``COMMONGROUND_SEARCH_KERNEL`` picks one by name. The scan may run on
several threads (``COMMONGROUND_SEARCH_THREADS``, default 1), each over its own share of the rows:
every row's integer is the same, so the answer is too. On AVX2 the kernel is compute-bound, and two
threads halve it when the other core is idle; on a machine shared with other work they gain little
(bench/README.md).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numkong
import numpy as np
import numpy.typing as npt
import simsimd

from commonground.core.directory.scan_kernels import THREADED_FROM, pool, scan_kernel, scan_threads

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Rows converted to float32 at a time by ``approximate_scores``: 1,024 × 384 int8 codes become
# 1.5 MB, which stays in the CPU cache for the matrix-vector product.
SCAN_CHUNK = 1024
DEFAULT_OVERSAMPLE = 4
# Below this share of rows kept by a filter, the kept rows are gathered and scored directly
# instead of scanning everything and discarding the rest.
GATHER_BELOW = 0.10
# An int8 × int8 sum over at most 1,024 dimensions stays within 1,024 × 128 × 128 = 2**24, which
# float32 holds exactly; longer rows come back as float64 (exact to 2**53).
EXACT_FLOAT32_DIM = 1024
# The scan's leaders are every row at least as high as the m-th best maximum of blocks of rows: a
# cheap stand-in for a partial sort of a million scores (which alone took ~10 ms). With 16 blocks
# per leader wanted, few blocks hold two leaders, so the set is barely larger than asked for.
BLOCKS_PER_LEADER = 16
# Relative slack for float32 rounding in the scores and the bound (the bound's terms are exact
# reals; the arithmetic that evaluates them is not).
ROUNDING = 1e-5
# Rows whose own bound is checked at a time (their codes are copied out for ``|c|``): 25 MB at 384.
NEAR_SLICE = 65_536


class RowSource(Protocol):
    """Float rows by index: an array, or a file read row by row (storage.FloatRows)."""

    def __getitem__(self, rows: IntArray) -> npt.NDArray[np.floating]: ...


@dataclass(frozen=True)
class Quantised:
    """Int8 codes of float rows, the per-row scale and the per-row quantisation error."""

    codes: npt.NDArray[np.int8]
    scales: FloatArray
    errors: FloatArray


def quantise(vectors: FloatArray) -> Quantised:
    """Int8 codes with one scale per row (the row's largest magnitude maps to 127)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    codes = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    # Rounded up a little, so float32 arithmetic in the bound never makes it too tight.
    errors = np.linalg.norm(vectors - codes.astype(np.float32) * scales[:, None], axis=1) * 1.0001 + 1e-6
    return Quantised(codes=codes, scales=scales, errors=errors.astype(np.float32))


@dataclass(frozen=True)
class QueryCodes:
    """A query as int8 codes ``d`` with scale ``t``, the norm of ``t·d`` and of what rounding lost."""

    codes: npt.NDArray[np.int8]
    scale: float
    norm: float
    residual: float


def quantise_query(query: npt.ArrayLike) -> QueryCodes:
    """The query's int8 codes (largest magnitude to 127) and the exact size of its rounding."""
    exact = np.asarray(query, dtype=np.float64)
    peak = float(np.abs(exact).max()) if exact.size else 0.0
    scale = peak / 127.0 if peak > 0 else 1.0
    codes = np.clip(np.rint(exact / scale), -127, 127).astype(np.int8)
    rebuilt = codes.astype(np.float64) * scale
    # float64 norms of float32 data: rounded up by far more than their own error.
    up = 1.0 + 1e-9
    return QueryCodes(
        codes=codes,
        scale=scale,
        norm=float(np.linalg.norm(rebuilt)) * up,
        residual=float(np.linalg.norm(exact - rebuilt)) * up,
    )


def quantise_queries(queries: npt.ArrayLike) -> list[QueryCodes]:
    """``quantise_query`` of every row of a matrix, the same codes and scales, in one pass."""
    exact = np.atleast_2d(np.asarray(queries, dtype=np.float64))
    peak = np.abs(exact).max(axis=1) if exact.shape[1] else np.zeros(len(exact))
    scales = np.where(peak > 0, peak / 127.0, 1.0)
    codes = np.clip(np.rint(exact / scales[:, None]), -127, 127).astype(np.int8)
    rebuilt = codes.astype(np.float64) * scales[:, None]
    up = 1.0 + 1e-9  # as quantise_query: far more than the norms' own rounding
    norms = np.linalg.norm(rebuilt, axis=1) * up
    residuals = np.linalg.norm(exact - rebuilt, axis=1) * up
    return [
        QueryCodes(codes=codes[i], scale=float(scales[i]), norm=float(norms[i]), residual=float(residuals[i]))
        for i in range(len(exact))
    ]


def integer_dots(
    codes: npt.NDArray[np.int8],
    query_codes: npt.NDArray[np.int8],
    *,
    threads: int = 1,
    kernel: str | None = None,
) -> npt.NDArray[np.floating]:
    """``c·d`` of every int8 row with int8 query codes (one query, or one per row of a matrix), exactly.

    simsimd's and numkong's kernels multiply and sum in integers (int32 accumulators), so each value
    is the exact integer; it is returned as float32 (float64 past ``EXACT_FLOAT32_DIM`` dimensions),
    which holds it.
    ``threads`` above 1 splits the rows between threads once there are ``THREADED_FROM`` of them (both
    kernels release the GIL); ``kernel`` None reads ``COMMONGROUND_SEARCH_KERNEL``.
    """
    queries = np.ascontiguousarray(np.atleast_2d(query_codes), dtype=np.int8)
    wide = queries.shape[1] > EXACT_FLOAT32_DIM
    if len(codes) == 0 or len(queries) == 0:
        out = np.zeros((len(queries), len(codes)), dtype=np.float64 if wide else np.float32)
    else:
        rows = codes if codes.dtype == np.int8 else np.asarray(codes, dtype=np.int8)
        cdist = numkong.cdist if (kernel or scan_kernel()) == "numkong" else simsimd.cdist

        def part(lo: int, hi: int) -> npt.NDArray[np.floating]:
            block = rows[lo:hi]
            if wide:
                return np.asarray(cdist(queries, block, metric="dot", out_dtype="float64"))
            return np.asarray(cdist(queries, block, metric="dot", out_dtype="float32"))

        # Never more threads than rows or cores: an empty share makes the kernels raise.
        threads = min(threads, len(rows), os.cpu_count() or 1)
        if threads > 1 and len(rows) >= THREADED_FROM:
            edges = np.linspace(0, len(rows), threads + 1).astype(int).tolist()
            out = np.hstack(list(pool(threads).map(part, edges[:-1], edges[1:])))
        else:
            out = part(0, len(rows))
    return out[0] if np.ndim(query_codes) == 1 else out


@dataclass(frozen=True)
class Hits:
    """Rows and their exact scores, best first."""

    rows: IntArray
    scores: FloatArray


def approximate_scores(codes: npt.NDArray[np.int8], scales: FloatArray, query: FloatArray) -> FloatArray:
    """``s·(c·q)`` for every row with the float query itself, through a small float32 buffer.

    Slower than the int8 scan of ``exact_top_k`` (numpy has no int8 dot product, so each block is
    converted first), but with no query rounding: kept for callers that bound scores with ``e·|q|``.
    """
    n, dim = codes.shape
    out = np.empty(n, dtype=np.float32)
    buffer = np.empty((min(SCAN_CHUNK, max(n, 1)), dim), dtype=np.float32)
    for start in range(0, n, SCAN_CHUNK):
        block = codes[start : start + SCAN_CHUNK]
        view = buffer[: len(block)]
        view[...] = block
        np.matmul(view, query, out=out[start : start + len(block)])
    out *= scales
    return out


def _top(scores: FloatArray, k: int, ids: IntArray | None = None) -> IntArray:
    """Indices of the ``k`` largest scores, best first (ties by ``ids``, else index: answers are stable)."""
    chosen = np.arange(len(scores)) if k >= len(scores) else np.argpartition(-scores, k - 1)[:k]
    order = np.lexsort((chosen if ids is None else ids[chosen], -scores[chosen]))
    return chosen[order].astype(np.int64)


def _leaders(scores: FloatArray, m: int) -> IntArray:
    """At least ``m`` of the rows with the highest finite scores, in row order.

    Every row at least as high as the m-th best block maximum: those m blocks each hold one, so
    there are at least m, and on real data barely more than m.
    """
    width = len(scores) // (BLOCKS_PER_LEADER * m)
    if width >= 8:
        blocks = len(scores) // width
        maxima = scores[: blocks * width].reshape(blocks, width).max(axis=1)
        if blocks * width < len(scores):
            maxima = np.append(maxima, scores[blocks * width :].max())
        threshold = np.partition(maxima, len(maxima) - m)[len(maxima) - m]
        if np.isfinite(threshold):
            rows = np.flatnonzero(scores >= threshold)
            # Many equal scores (duplicates) could make the set large: keep the m best then.
            return rows if len(rows) <= 4 * m else np.sort(rows[_top(scores[rows], m)])
    # Too few rows for blocks to pay, or a filter leaving fewer than m blocks with a row in them.
    return np.sort(_top(scores, m))


def exact_top_k(
    codes: npt.NDArray[np.int8],
    scales: FloatArray,
    errors: FloatArray,
    vectors: RowSource,
    query: FloatArray,
    k: int,
    *,
    mask: BoolArray | None = None,
    oversample: int = DEFAULT_OVERSAMPLE,
    threads: int | None = None,
) -> Hits:
    """The ``k`` rows with the highest dot product with ``query`` (among ``mask``), exactly.

    ``threads`` for the scan: None reads ``COMMONGROUND_SEARCH_THREADS`` (default 1).
    """
    query = np.ascontiguousarray(query, dtype=np.float32)
    threads = scan_threads() if threads is None else max(1, threads)
    if mask is not None:
        allowed = np.flatnonzero(mask)
        if len(allowed) < GATHER_BELOW * len(codes):
            # A strict filter: scan only the rows it keeps, so it costs no recall and little time.
            # Float rows are fetched only for candidates, so memory stays near the int8 codes.
            sub = _exact(
                codes[allowed],
                scales[allowed],
                errors[allowed],
                lambda r: vectors[allowed[r]],
                query,
                k,
                oversample,
                threads,
            )
            return Hits(rows=allowed[sub.rows], scores=sub.scores)
    return _exact(codes, scales, errors, lambda r: vectors[r], query, k, oversample, threads, mask)


def _exact(
    codes: npt.NDArray[np.int8],
    scales: FloatArray,
    errors: FloatArray,
    fetch: Callable[[IntArray], npt.NDArray[np.floating]],
    query: FloatArray,
    k: int,
    oversample: int,
    threads: int,
    mask: BoolArray | None = None,
) -> Hits:
    live = len(codes) if mask is None else int(np.count_nonzero(mask))
    k = min(k, live)
    if k <= 0:
        return Hits(rows=np.zeros(0, np.int64), scores=np.zeros(0, np.float32))
    q = quantise_query(query)
    approx = integer_dots(codes, q.codes, threads=threads).astype(np.float32, copy=False)
    approx *= scales
    approx *= np.float32(q.scale)
    if mask is not None:
        approx[~mask] = -np.inf
    candidates = _leaders(approx, min(live, k * max(oversample, 1)))
    exact = (np.asarray(fetch(candidates), dtype=np.float32) @ query).astype(np.float32)
    kth = float(np.sort(exact)[-k])
    doubtful = _doubtful(codes, scales, errors, approx, q, kth, candidates)
    if len(doubtful):
        extra = (np.asarray(fetch(doubtful), dtype=np.float32) @ query).astype(np.float32)
        candidates = np.concatenate([candidates, doubtful])
        exact = np.concatenate([exact, extra])
    best = _top(exact, k, candidates)
    return Hits(rows=candidates[best], scores=exact[best])


def _doubtful(
    codes: npt.NDArray[np.int8],
    scales: FloatArray,
    errors: FloatArray,
    approx: FloatArray,
    q: QueryCodes,
    kth: float,
    candidates: IntArray,
) -> IntArray:
    """Rows outside ``candidates`` whose true score could reach ``kth``: they must be re-scored.

    A row's true score is at most ``approx + e·|t·d| + |x|·|r|`` with ``|x| ≤ s·|c| + e``. First with
    the largest ``|c|`` an int8 row can have and the largest ``s`` and ``e``, one comparison per row;
    then, for the few rows that pass, with their own ``s``, ``e`` and ``|c|``.
    """
    per_error = q.norm + q.residual
    longest = 128 * math.sqrt(codes.shape[1])
    reach = float(errors.max()) * per_error + float(scales.max()) * longest * q.residual
    slack = ROUNDING * (abs(kth) + reach) + 1e-7
    near = np.flatnonzero(approx >= kth - reach - slack)
    near = near[~np.isin(near, candidates, assume_unique=True)]
    found = []
    # In slices, so a loose first pass over odd data never copies a large share of the codes at once.
    for start in range(0, len(near), NEAR_SLICE):
        part = near[start : start + NEAR_SLICE]
        rows = np.asarray(codes[part], dtype=np.int8)
        code_norms = np.sqrt(np.asarray(simsimd.dot(rows, rows), dtype=np.float64))
        bound = approx[part] + errors[part] * per_error + scales[part] * code_norms * q.residual
        found.append(part[bound >= kth - slack])
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def brute_force_top_k(
    vectors: FloatArray, query: FloatArray, k: int, *, mask: BoolArray | None = None
) -> Hits:
    """The reference: every row's float dot product, sorted."""
    scores = (np.asarray(vectors, dtype=np.float32) @ np.asarray(query, dtype=np.float32)).astype(np.float32)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf).astype(np.float32)
        k = min(k, int(mask.sum()))
    best = _top(scores, k)
    return Hits(rows=best, scores=scores[best])


@dataclass(frozen=True)
class Part:
    """One segment's arrays for :func:`exact_top_k_parts`, and the rows a filter keeps (None: all)."""

    codes: npt.NDArray[np.int8]
    scales: FloatArray
    errors: FloatArray
    vectors: RowSource
    mask: BoolArray | None = None


def exact_top_k_parts(
    parts: Sequence[Part],
    query: FloatArray,
    k: int,
    *,
    oversample: int = DEFAULT_OVERSAMPLE,
    threads: int | None = None,
) -> list[tuple[int, int, float]]:
    """The ``k`` best (part, row, exact score) over several segments, in one pass, exactly.

    The same proof as :func:`exact_top_k`, with one shortlist, one re-rank and one bound check for
    all the parts together instead of one of each per segment: each part is only scanned, so a
    directory of several segments costs little more than one of their total size (bench/README.md,
    "Many segments"). Ties go to the lower part, then the lower row, as a merge of per-part answers would.
    """
    query = np.ascontiguousarray(query, dtype=np.float32)
    threads = scan_threads() if threads is None else max(1, threads)
    q = quantise_query(query)
    scores: list[FloatArray] = []
    kept: list[IntArray | None] = []  # rows scanned, where a strict filter gathered them
    for part in parts:
        rows: IntArray | None = None
        if part.mask is not None:
            allowed = np.flatnonzero(part.mask)
            if len(allowed) < GATHER_BELOW * len(part.codes):
                rows = allowed
        codes = part.codes if rows is None else part.codes[rows]
        approx = integer_dots(codes, q.codes, threads=threads).astype(np.float32, copy=False)
        approx *= part.scales if rows is None else part.scales[rows]
        approx *= np.float32(q.scale)
        if rows is None and part.mask is not None:
            approx[~part.mask] = -np.inf
        scores.append(approx)
        kept.append(rows)
    starts = np.cumsum([0] + [len(s) for s in scores])
    approx = np.concatenate(scores) if len(scores) != 1 else scores[0]
    live = sum(
        len(p.codes) if p.mask is None else (len(rows) if rows is not None else int(np.count_nonzero(p.mask)))
        for p, rows in zip(parts, kept, strict=True)
    )
    k = min(k, live)
    if k <= 0:
        return []

    def locate(ids: IntArray) -> tuple[IntArray, IntArray]:
        """Each global index's part and its row in that part's arrays."""
        which = np.searchsorted(starts, ids, side="right") - 1
        rows = ids - starts[which]
        for p in np.unique(which).tolist():
            gathered = kept[p]
            if gathered is not None:
                here = which == p
                rows[here] = gathered[rows[here]]
        return which, rows

    def rescore(ids: IntArray) -> FloatArray:
        which, rows = locate(ids)
        out = np.empty(len(ids), dtype=np.float32)
        for p in np.unique(which).tolist():
            here = which == p
            out[here] = np.asarray(parts[p].vectors[rows[here]], dtype=np.float32) @ query
        return out

    candidates = _leaders(approx, min(live, k * max(oversample, 1)))
    exact = rescore(candidates)
    kth = float(np.sort(exact)[-k])
    doubtful = _doubtful_parts(parts, kept, locate, approx, q, kth, candidates)
    if len(doubtful):
        candidates = np.concatenate([candidates, doubtful])
        exact = np.concatenate([exact, rescore(doubtful)])
    best = _top(exact, k, candidates)
    which, rows = locate(candidates[best])
    return [
        (int(p), int(r), float(v))
        for p, r, v in zip(which.tolist(), rows.tolist(), exact[best].tolist(), strict=True)
    ]


def _doubtful_parts(
    parts: Sequence[Part],
    kept: Sequence[IntArray | None],
    locate: Callable[[IntArray], tuple[IntArray, IntArray]],
    approx: FloatArray,
    q: QueryCodes,
    kth: float,
    candidates: IntArray,
) -> IntArray:
    """:func:`_doubtful` over several parts: global indices not in ``candidates`` that could reach ``kth``."""
    per_error = q.norm + q.residual
    longest = 128 * math.sqrt(parts[0].codes.shape[1])
    # The largest scale and error of every scanned row (of all a part's rows when it was not
    # gathered): a looser first pass than one part's own, never a tighter one.
    top_error = max(float(p.errors.max()) if len(p.errors) else 0.0 for p in parts)
    top_scale = max(float(p.scales.max()) if len(p.scales) else 0.0 for p in parts)
    reach = top_error * per_error + top_scale * longest * q.residual
    slack = ROUNDING * (abs(kth) + reach) + 1e-7
    near = np.flatnonzero(approx >= kth - reach - slack)
    near = near[~np.isin(near, candidates)]
    found = []
    for start in range(0, len(near), NEAR_SLICE):
        chunk = near[start : start + NEAR_SLICE]
        which, rows = locate(chunk)
        bound = np.empty(len(chunk), dtype=np.float64)
        for p in np.unique(which).tolist():
            here = which == p
            part, at = parts[p], rows[here]
            codes = np.asarray(part.codes[at], dtype=np.int8)
            code_norms = np.sqrt(np.asarray(simsimd.dot(codes, codes), dtype=np.float64))
            bound[here] = (
                approx[chunk[here]] + part.errors[at] * per_error + part.scales[at] * code_norms * q.residual
            )
        found.append(chunk[bound >= kth - slack])
    return np.concatenate(found) if found else np.zeros(0, np.int64)
