"""Running every pair of a coalition: in order in this process, or over a pool of worker processes.

A coalition of 200 partners is 19,900 pairs (about 20 ms each, warm). The CLI spreads them over every
core; the library and the web run them in order (``workers=1``). Both give the same pairs in the same
order, with the same bits:

- the first partner's pairs run first, here, as they do in order (``combinations`` starts with them):
  they embed every text of every partner once, so the embedding caches the workers inherit already
  hold every vector a pair asks for, and no worker embeds a text in a batch of its own choosing
  (the multilingual reader's vectors differ in the last bits with the batch a text is embedded in);
- the remaining pairs go to forked workers in contiguous chunks, collected in submission order.

:func:`iter_pairs` hands each answer on as soon as its chunk and every earlier one are back, so a
caller that keeps only a digest of each pair (or writes it out) never holds every answer at once;
chunks are at most :data:`MAX_CHUNK` pairs so that few answers wait in the parent.

Fork is required (workers inherit the loaded models and caches); where it is unavailable, or for
fewer pairs than :data:`POOL_MIN_PAIRS`, the pairs run in order here.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import combinations
from typing import TypeVar

T = TypeVar("T")

# Fewer pairs than this run in order: starting workers costs more than it saves.
POOL_MIN_PAIRS = 200
# Chunks per worker: enough to even out slow and fast chunks, few enough to keep pickling cheap.
CHUNKS_PER_WORKER = 4
# Pairs per chunk at most: bounds the answers a finished chunk holds until the parent takes them.
MAX_CHUNK = 250

_JOB: Callable[[int, int], object] | None = None


def _run_chunk(chunk: Sequence[tuple[int, int]]) -> list[object]:
    assert _JOB is not None  # set by run_pairs before the workers fork
    return [_JOB(i, j) for i, j in chunk]


def _chunks(items: list[tuple[int, int]], count: int) -> list[list[tuple[int, int]]]:
    size = min(MAX_CHUNK, max(1, -(-len(items) // count)))
    return [items[k : k + size] for k in range(0, len(items), size)]


def iter_pairs(n: int, pair: Callable[[int, int], T], *, workers: int = 1) -> Iterator[T]:
    """``pair(i, j)`` for every ``i < j < n`` in ``combinations`` order, over ``workers`` processes."""
    global _JOB
    order = list(combinations(range(n), 2))
    # Fork only where it is the platform's own default (Linux): macOS offers it but forking after its
    # system frameworks have loaded can crash or hang, which is why Python spawns there.
    can_fork = sys.platform.startswith("linux")
    if workers <= 1 or len(order) < POOL_MIN_PAIRS or not can_fork:
        yield from (pair(i, j) for i, j in order)
        return
    yield from (pair(i, j) for i, j in order[: n - 1])  # fills every cache before the fork
    rest = order[n - 1 :]
    _JOB = pair
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for chunk in pool.map(_run_chunk, _chunks(rest, workers * CHUNKS_PER_WORKER)):
                yield from chunk  # type: ignore[misc]
    finally:
        _JOB = None


def run_pairs(n: int, pair: Callable[[int, int], T], *, workers: int = 1) -> list[T]:
    """Every answer of :func:`iter_pairs` as a list."""
    return list(iter_pairs(n, pair, workers=workers))
