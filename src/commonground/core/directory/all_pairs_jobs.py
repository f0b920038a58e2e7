"""Running all-pairs over a directory: partitions of query rows on a process pool or a Dask cluster.

A ``Job`` names the directory by its path and carries what every worker needs besides the files:
which rows of each segment count (live, kept by the filters) and their SDG bit sets. It is sent
to each worker once (the pool's initializer, Dask's ``scatter(broadcast=True)``); a partition is
then just a range of query rows, so partitions can be small and the progress bar moves. Workers
open the segment files themselves, memory-mapped: on a Dask cluster every worker must see the
directory at the same path (a shared or copied folder). Both runners call the same
``partition_matches`` on the same partitions, so they give the same answers.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from commonground.core.directory.all_pairs import Matches, Piece, Ranking, Rows, partition_matches
from commonground.core.directory.search import BoolArray, IntArray
from commonground.core.directory.storage import Directory, DirectoryError, open_directory

DASK_EXTRA = "pip install 'commonground[dask]'"
PARTS_PER_WORKER = 8  # enough partitions that a slow worker does not hold up the end, and the bar moves
MAX_PART = 4096  # query rows per partition, at most (about 30 s each at a million rows here)
# Each pool process runs its own matrix products; BLAS threads on top would fight over the cores.
_ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


class MissingExtra(Exception):
    """An optional extra that is not installed, with the command that installs it."""


class SchedulerError(Exception):
    """A Dask scheduler that cannot be reached or that fails the work."""


@dataclass(frozen=True)
class Job:
    """One all-pairs run: the directory's path, its segments and kept rows, SDG bits and the ranking."""

    path: str
    segments: tuple[str, ...]
    kept: tuple[IntArray | None, ...]  # rows of each segment that count (None: every row)
    sdg_bits: IntArray
    ranking: Ranking
    token: str

    @property
    def count(self) -> int:
        """Organisations ranked (and ranked against)."""
        return len(self.sdg_bits)


def make_job(
    directory: Directory, ranking: Ranking, masks: Sequence[BoolArray] | None, sdgs: IntArray
) -> Job:
    """A job over ``directory``'s live rows that ``masks`` keep; ``sdgs`` holds the bits of every kept row."""
    kept: list[IntArray | None] = []
    for s, segment in enumerate(directory.segments):
        mask = segment.live if masks is None else segment.live & masks[s]
        kept.append(None if mask.all() else np.flatnonzero(mask).astype(np.int64))
    return Job(
        path=str(Path(directory.path).resolve()),
        segments=tuple(s.name for s in directory.segments),
        kept=tuple(kept),
        sdg_bits=sdgs,
        ranking=ranking,
        token=uuid.uuid4().hex,
    )


def job_rows(job: Job) -> Rows:
    """The job's rows, from the directory's files memory-mapped (the float rows too: all are read)."""
    directory = open_directory(Path(job.path))
    if tuple(s.name for s in directory.segments) != job.segments:
        raise DirectoryError(f"{job.path}: the directory changed while all-pairs ran; run it again")
    pieces = [
        Piece(
            codes=segment.codes,
            scales=segment.scales,
            errors=segment.errors,
            # Every row is read once per query block, so a mapping beats pread here (storage.FloatRows).
            vectors=np.load(segment.path / "vectors.npy", mmap_mode="r"),
            index=kept,
        )
        for segment, kept in zip(directory.segments, job.kept, strict=True)
    ]
    return Rows(pieces)


_cache: dict[str, Rows] = {}
_cache_lock = threading.Lock()


def _rows(job: Job) -> Rows:
    """The job's rows, opened once per worker process (Dask workers run tasks in threads)."""
    with _cache_lock:
        if job.token not in _cache:
            _cache.clear()
            _cache[job.token] = job_rows(job)
        return _cache[job.token]


def run_partition(job: Job, start: int, stop: int) -> Matches:
    """The matches of query rows [start, stop): what each worker runs."""
    return partition_matches(_rows(job), start, stop, job.ranking, job.sdg_bits)


def partitions(count: int, workers: int) -> list[tuple[int, int]]:
    """Ranges of query rows, about ``PARTS_PER_WORKER`` per worker and at most ``MAX_PART`` each."""
    if count == 0:
        return []
    size = max(1, min(MAX_PART, math.ceil(count / (max(workers, 1) * PARTS_PER_WORKER))))
    return [(a, min(count, a + size)) for a in range(0, count, size)]


_job: Job | None = None


def _install(job: Job) -> None:
    global _job
    _job = job


def _work(start: int, stop: int) -> Matches:
    assert _job is not None, "the pool's initializer installs the job"
    return run_partition(_job, start, stop)


@contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """Children started meanwhile get one BLAS thread each; this process's BLAS is already set up."""
    saved = {name: os.environ.get(name) for name in _ONE_THREAD}
    os.environ.update(_ONE_THREAD)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_local(job: Job, parts: Sequence[tuple[int, int]], jobs: int) -> Iterator[Matches]:
    """Each partition's matches, as they finish, on ``jobs`` processes (1: in this process)."""
    jobs = min(jobs, len(parts))
    if jobs <= 1:
        for start, stop in parts:
            yield run_partition(job, start, stop)
        return
    # Spawned, not forked: a fresh interpreter reads the one-thread BLAS settings at start.
    context = multiprocessing.get_context("spawn")
    with (
        _single_threaded_blas(),
        ProcessPoolExecutor(jobs, mp_context=context, initializer=_install, initargs=(job,)) as pool,
    ):
        futures = [pool.submit(_work, start, stop) for start, stop in parts]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            # Stopped early (Ctrl-C, a failed partition, the caller gave up): drop what has not started.
            pool.shutdown(wait=True, cancel_futures=True)


def run_dask(job: Job, address: str) -> Iterator[Matches]:
    """Each partition's matches, as they finish, on the Dask cluster whose scheduler is ``address``.

    Partitions are cut for the cluster's threads, not this machine's cores; each query row's
    matches do not depend on which partition it is in, so the answers are the pool's.
    """
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise MissingExtra(
            f"--scheduler runs on a Dask cluster, and Dask's distributed package is not installed: "
            f"it is an optional extra; install it with {DASK_EXTRA}"
        ) from None
    try:
        client = Client(address, timeout="15s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"--scheduler: cannot reach a Dask scheduler at {address}: {exc}") from exc
    with client:
        parts = partitions(job.count, sum(client.nthreads().values()))
        shared = client.scatter(job, broadcast=True, hash=False)
        futures = [client.submit(run_partition, shared, start, stop, pure=False) for start, stop in parts]
        try:
            for future in dask_completed(futures):
                yield future.result()
        except (OSError, TimeoutError) as exc:
            message = f"--scheduler: the Dask cluster at {address} stopped answering: {exc}"
            raise SchedulerError(message) from exc
        except DirectoryError:
            raise  # the directory changed under the job: its own message says so
        except Exception as exc:
            # A worker's error comes back as that exception: name where it happened, not a traceback.
            raise SchedulerError(f"--scheduler: a Dask worker failed: {type(exc).__name__}: {exc}") from exc
