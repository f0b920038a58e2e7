"""All pairs at directory scale: every row's top 20 among all rows, exact, against brute-force float32.

Generates ``--count`` synthetic unit vectors of 384 dimensions with ``bench/discovery.py``'s
generator (seeded, clustered like embeddings), writes them as a directory exactly as
``commonground directory build`` stores it (``changes.write_directory``: int8 codes, scales,
errors, float rows; one segment), then, for each count, top 20 of every row, itself left out:

- ``discover --all-pairs``'s runner (``core/directory/all_pairs_jobs.run_local``: partitions of
  query rows on a process pool of ``--jobs``, block products of the int8 codes with the int8
  query codes, running bounds, float re-rank), with the pool of 20 (the problem brute force
  solves), first with the products on the float32 fallback (as before the int8 kernel: codes
  converted to float32, BLAS), then on onnxruntime's int8 kernel, and, separately, with the CLI's
  pool of 80 re-ranked with SDG bits (what ``--all-pairs`` runs);
- the baseline: numpy float32 brute force in blocks, in this process (BLAS on every core): ``Q @
  V.T`` for 512 queries at a time against every row, then ``argpartition`` for the top 20. Its
  answers are the reference for recall.

Rows per second are organisations whose matches were found per second; the 1,000,000-row time is
extrapolated from the largest count (the work grows with the square of the rows), not measured.

Run: .venv/bin/python bench/all_pairs.py [--count 20000 100000] [--jobs N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from discovery import generate  # bench/discovery.py: the same synthetic vectors

from commonground.core.directory import all_pairs_jobs as runner
from commonground.core.directory.all_pairs import Ranking, sdg_bits
from commonground.core.directory.changes import write_directory
from commonground.core.directory.int8_products import KERNEL_SETTING, int8_kernel_exact
from commonground.core.directory.records import Record
from commonground.core.directory.storage import open_directory

TOP = 20
QUERY_BLOCK = 512
WRITE_CHUNK = 50_000
GOAL_ROWS = 1_000_000


def build(folder: Path, count: int) -> Path:
    """A directory of ``count`` synthetic organisations (vectors from bench/discovery.py)."""
    generate(folder, count, 1)
    vectors = np.load(folder / "vectors.npy", mmap_mode="r")

    def batches():  # type: ignore[no-untyped-def]
        for start in range(0, count, WRITE_CHUNK):
            stop = min(count, start + WRITE_CHUNK)
            records = [
                Record(key=f"o{i}", name=f"Org {i}", kind="nonprofit", source="bench", profile={})
                for i in range(start, stop)
            ]
            yield np.asarray(vectors[start:stop]), records

    root = folder / "directory"
    write_directory(root, engine="bench", dim=vectors.shape[1], batches=batches())
    return root


def brute_force(vectors: np.ndarray) -> np.ndarray:
    """The baseline: float32 block products and argpartition; top 20 per row, itself left out."""
    n = len(vectors)
    out = np.empty((n, TOP), np.int64)
    for start in range(0, n, QUERY_BLOCK):
        stop = min(n, start + QUERY_BLOCK)
        scores = vectors[start:stop] @ vectors.T
        scores[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        best = np.argpartition(-scores, TOP - 1, axis=1)[:, :TOP]
        picked = np.take_along_axis(scores, best, axis=1)
        order = np.lexsort((best, -picked), axis=1)
        out[start:stop] = np.take_along_axis(best, order, axis=1)
    return out


def exact(root: Path, ranking: Ranking, jobs: int, bits: np.ndarray) -> np.ndarray:
    """``--all-pairs``'s runner over the directory: every row's matches."""
    directory = open_directory(root)
    job = runner.make_job(directory, ranking, None, bits)
    parts = runner.partitions(job.count, jobs)
    results = sorted(runner.run_local(job, parts, jobs), key=lambda m: m.start)
    return np.concatenate([m.rows for m in results])


def _timed(label: str, count: int, run, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    answer = run(*args)
    seconds = time.perf_counter() - started
    projected = seconds * (GOAL_ROWS / count) ** 2
    print(
        f"  {label:<48} {seconds:8.1f} s  {count / seconds:9,.0f} rows/s  "
        f"1M x 1M extrapolated: {projected / 60:6.0f} min"
    )
    return answer


def measure(count: int, jobs: int, workdir: Path | None) -> None:
    """Build ``count`` rows, time the baseline and the all-pairs runner, compare their answers."""
    folder = Path(tempfile.mkdtemp(prefix="cg-all-pairs-bench-", dir=workdir))
    try:
        root = build(folder, count)
        print(f"{count:,} x 384 synthetic vectors, top {TOP} of every row among all rows")
        baseline = "brute-force float32 blocks (baseline)"
        reference = _timed(baseline, count, brute_force, np.load(folder / "vectors.npy"))
        nothing = sdg_bits([[]] * count)
        os.environ[KERNEL_SETTING] = "float"  # before: the products as float32 BLAS (the fallback)
        label = f"float32 products + float re-rank, {jobs} processes"
        before = _timed(label, count, exact, root, Ranking(top=TOP, pool=TOP), jobs, nothing)
        del os.environ[KERNEL_SETTING]
        label = f"int8 products + float re-rank, {jobs} processes"
        found = _timed(label, count, exact, root, Ranking(top=TOP, pool=TOP), jobs, nothing)
        rng = np.random.default_rng(3)
        bits = sdg_bits([rng.choice(np.arange(1, 18), 2, replace=False).tolist() for _ in range(count)])
        label = "the same, pool of 80 + SDG bonus (--all-pairs)"
        _timed(label, count, exact, root, Ranking(top=TOP, pool=4 * TOP), jobs, bits)
        recall = np.mean([len(set(a) & set(b)) / TOP for a, b in zip(found, reference, strict=True)])
        same = float(np.mean((found == reference).all(axis=1)))
        print(f"  recall vs brute force {recall:.4f}; rows with the identical ordered list {same:.4f}")
        print(f"  int8 and float32 products give the same lists: {bool((found == before).all())}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cpus, jobs {args.jobs}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"onnxruntime's int8 kernel exact on this CPU (the runner's probe): {int8_kernel_exact(384)}")
    for count in args.count:
        measure(count, args.jobs, args.workdir)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("goal (issue 12): 1M x 1M top 20 within 10 minutes; the int8 floor is about 6 minutes")


if __name__ == "__main__":
    main()
