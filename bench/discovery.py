"""Exact partner search at directory scale: int8 scan + float re-rank against brute-force float32.

Generates ``--count`` synthetic unit vectors of 384 dimensions (seeded, clustered like embeddings
of similar missions) into a work folder, quantised exactly as ``commonground directory build``
stores them (``core/directory/search.quantise``), then, one query at a time and top 20:

- the exact search of ``core/directory/search.exact_top_k`` (what ``Directory.search`` runs per
  segment) over the memory-mapped arrays, in a fresh process, with its peak resident memory; once
  per int8 kernel and thread count in ``--scans`` (default simsimd and numkong on one thread, then
  on two: the same answers; simsimd on one thread is the search before the kernel choice);
- brute-force numpy float32 (``vectors @ query`` over every row, then the top 20) on the same
  queries in another fresh process: the baseline, and the reference answer for recall;
- both again with a filter that keeps 1% of rows (the strict-filter case approximate indexes fail);
- the time to read every int8 code once (numpy's SIMD max over the mapped codes), the floor of
  any scan on one core of this machine.

Needs (1,000,000 rows): about 1.9 GB of disk (int8 384 MB, float32 1.5 GB) and, for the baseline
process, RAM for the float32 file in the page cache; the exact search process itself stays near
the int8 codes' size. ``--count 100000`` needs a tenth. The files go in a new folder of their
own (inside ``--workdir`` when given, which is left as it was), deleted afterwards unless ``--keep``.

Run: .venv/bin/python bench/discovery.py [--count 1000000] [--queries 200] [--workdir DIR]
                                         [--scans simsimd:1,numkong:1,simsimd:2,numkong:2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from numpy.lib.format import open_memmap

from commonground.core.directory.scan_kernels import KERNEL_SETTING
from commonground.core.directory.search import brute_force_top_k, exact_top_k, quantise
from commonground.core.directory.storage import FloatRows

DIM = 384
TOP = 20
CHUNK = 50_000
FILTER_SHARE = 0.01


def generate(folder: Path, count: int, queries: int) -> None:
    """Write vectors, their int8 codes, scales and errors, the queries and a 1% filter mask."""
    rng = np.random.default_rng(12)
    centres = rng.standard_normal((2_000, DIM)).astype(np.float32)
    vectors = open_memmap(folder / "vectors.npy", mode="w+", dtype=np.float32, shape=(count, DIM))
    codes = open_memmap(folder / "codes.npy", mode="w+", dtype=np.int8, shape=(count, DIM))
    scales = open_memmap(folder / "scales.npy", mode="w+", dtype=np.float32, shape=(count,))
    errors = open_memmap(folder / "errors.npy", mode="w+", dtype=np.float32, shape=(count,))
    for start in range(0, count, CHUNK):
        n = min(CHUNK, count - start)
        rows = centres[rng.integers(0, len(centres), n)] + 0.8 * rng.standard_normal((n, DIM)).astype(
            np.float32
        )
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        q = quantise(rows)
        vectors[start : start + n], codes[start : start + n] = rows, q.codes
        scales[start : start + n], errors[start : start + n] = q.scales, q.errors
    for array in (vectors, codes, scales, errors):
        array.flush()
    picked = vectors[np.sort(rng.choice(count, queries, replace=False))]
    noisy = picked + 0.3 * rng.standard_normal(picked.shape).astype(np.float32)
    np.save(folder / "queries.npy", (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32))
    np.save(folder / "mask.npy", rng.random(count) < FILTER_SHARE)


def _times(run: list[float]) -> dict[str, float]:
    ms = np.array(run) * 1000
    return {"p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95))}


def measure(folder: Path, mode: str, threads: int = 1) -> dict[str, object]:
    """Time one query at a time (after warm-up) in this process; write the answers for recall."""
    load = {
        name: np.load(folder / f"{name}.npy", mmap_mode="r")
        for name in ("vectors", "codes", "scales", "errors")
    }
    # The exact search reads its re-rank rows as a directory does (pread, not a mapping).
    rows = FloatRows(folder / "vectors.npy")
    queries, mask = np.load(folder / "queries.npy"), np.load(folder / "mask.npy")
    out: dict[str, object] = {}
    for label, m in (("all", None), ("filter", mask)):
        answers, run = [], []
        for i, query in enumerate(queries):
            started = time.perf_counter()
            if mode == "exact":
                hits = exact_top_k(
                    load["codes"], load["scales"], load["errors"], rows, query, TOP, mask=m, threads=threads
                )
            else:
                hits = brute_force_top_k(load["vectors"], query, TOP, mask=m)
            if i >= 3:  # the first queries page the files in
                run.append(time.perf_counter() - started)
            answers.append(hits.rows)
        np.save(folder / f"answers-{_name(mode, threads)}-{label}.npy", np.array(answers))
        out[label] = _times(run)
    if mode == "exact":
        # The floor of any scan on one core: reading every int8 code once (numpy's max, SIMD).
        floor = []
        for _ in range(20):
            started = time.perf_counter()
            load["codes"].max()
            floor.append(time.perf_counter() - started)
        out["floor"] = _times(floor)
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _run(folder: Path, *args: str) -> str:
    """Run a phase in a fresh process, so each peak resident memory is that phase's alone.

    (A child's ``ru_maxrss`` starts from its parent's at fork, so the parent never touches the data.)
    """
    command = [sys.executable, __file__, "--workdir", str(folder), *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _name(mode: str, threads: int) -> str:
    return f"{mode}-{os.environ.get(KERNEL_SETTING, '')}{threads}" if mode == "exact" else mode


def _child(folder: Path, mode: str, scan: str = "simsimd:1") -> dict[str, object]:
    kernel, threads = scan.split(":")
    os.environ[KERNEL_SETTING] = kernel  # the child's kernel (scan_kernels.scan_kernel reads it)
    figures: dict[str, object] = json.loads(_run(folder, "--phase", mode, "--threads", threads))
    return figures


def _recall(folder: Path, label: str, scan: str) -> float:
    run = f"exact-{scan.replace(':', '')}"
    exact, brute = (np.load(folder / f"answers-{m}-{label}.npy") for m in (run, "brute"))
    return float(np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(exact, brute, strict=True)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument(
        "--scans",
        default="simsimd:1,numkong:1,simsimd:2,numkong:2",
        help="Kernel:threads of the exact scans to time, comma-separated.",
    )
    parser.add_argument("--threads", default="1", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="Keep the generated files.")
    parser.add_argument("--phase", choices=("generate", "exact", "brute"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "generate":
        generate(args.workdir, args.count, args.queries)
        return
    if args.phase:
        print(json.dumps(measure(args.workdir, args.phase, int(args.threads))))
        return
    # A folder of our own, even inside --workdir: what is deleted at the end is only what we made.
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="cg-discovery-bench-", dir=args.workdir))
    try:
        started = time.perf_counter()
        _run(folder, "--phase", "generate", "--count", str(args.count), "--queries", str(args.queries))
        size = sum(f.stat().st_size for f in folder.iterdir()) / 1e9
        print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cpus")
        print(
            f"{args.count:,} x {DIM} synthetic vectors, {args.queries} queries one at a time, top {TOP}; "
            f"generated in {time.perf_counter() - started:.0f} s, {size:.2f} GB on disk"
        )
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        scans = args.scans.split(",")
        exact = {scan: _child(folder, "exact", scan) for scan in scans}
        brute = _child(folder, "brute")
        for label, title in (("all", "whole directory"), ("filter", f"filter keeping {FILTER_SHARE:.0%}")):
            b = brute[label]
            assert isinstance(b, dict)
            print(f"{title}")
            print(f"  brute-force float32         p50 {b['p50']:7.2f} ms  p95 {b['p95']:7.2f} ms")
            for scan in scans:
                e = exact[scan][label]
                assert isinstance(e, dict)
                ratio, recall = b["p50"] / e["p50"], _recall(folder, label, scan)
                kernel, threads = scan.split(":")
                print(
                    f"  exact, {kernel:7s} {threads} thread(s)  p50 {e['p50']:7.2f} ms  "
                    f"p95 {e['p95']:7.2f} ms  {ratio:6.2f} x brute  recall {recall:.4f}"
                )
        floor = exact[scans[0]]["floor"]
        assert isinstance(floor, dict)
        print(f"reading every int8 code once (numpy max, one core)  p50 {floor['p50']:7.2f} ms")
        rss = ", ".join(f"{scan} {exact[scan]['max_rss_mb']:.0f} MB" for scan in scans)
        print(
            f"peak resident memory (ru_maxrss): exact search {rss}; brute force {brute['max_rss_mb']:.0f} MB"
        )
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("goals: p50 <= 8 ms, p95 <= 15 ms, recall 1.0, resident memory < 500 MB")
    finally:
        if args.keep:
            print(f"generated files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
