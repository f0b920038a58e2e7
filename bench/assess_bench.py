"""Assessment speed and memory, with baselines measured in the same run.

Prints:
- cold `commonground assess` of two 10-goal profiles, model load included (goal < 3 s), with the
  model cache filled, with it off, and the first run that fills it, next to a bare `python -c pass`;
- a warm assessment of the same pair with cached embeddings (goal < 50 ms), next to one bare
  ONNX pass over the pair's texts (what the cache saves);
- embedding throughput of our pipeline against the bare ONNX session on the same texts
  (goal: overhead <= 15 %);
- the peak resident memory of the cold CLI process (goal < 500 MB).

Run: .venv/bin/python bench/assess_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# commonground before numpy, as in every entry point: it sets the BLAS thread default.
import commonground  # noqa: F401

# isort: split
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PAIR = [DATA / "ten-goals-a.yaml", DATA / "ten-goals-b.yaml"]
CLI = Path(sys.executable).with_name("commonground")


def run_child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a process to completion; return (wall seconds, peak RSS in KiB) from the kernel."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed:\n{err}")
    return wall, usage.ru_maxrss


def bench_cold(runs: int) -> None:
    """Whole-process cold assessment, with and without the model cache, against interpreter start-up.

    The model cache (core/semantics/model_cache.py) is a fresh folder of this run: the first
    assessment fills it (what a machine's very first run costs), then the runs alternate between
    reading it and ``COMMONGROUND_MODEL_CACHE=off`` (every model unpacked, as before the cache).
    """
    argv = [str(CLI), "assess", *map(str, PAIR), "--format", "json"]
    with tempfile.TemporaryDirectory(prefix="cg-model-cache-") as folder:
        cached = {"COMMONGROUND_MODEL_CACHE": folder}
        first, first_peak = run_child(argv, cached)
        cold, unpacked, base, peaks, unpacked_peaks = [], [], [], [], []
        for _ in range(runs):
            wall, peak = run_child(argv, cached)
            cold.append(wall)
            peaks.append(peak)
            wall, peak = run_child(argv, {"COMMONGROUND_MODEL_CACHE": "off"})
            unpacked.append(wall)
            unpacked_peaks.append(peak)
            base.append(run_child([sys.executable, "-c", "pass"])[0])
    print("cold assess (2 x 10 goals, model load included)")
    print(f"  commonground assess      median {statistics.median(cold):6.3f} s   (goal < 3 s)")
    print(f"  the same, cache off      median {statistics.median(unpacked):6.3f} s")
    print(f"  first run, empty cache          {first:6.3f} s")
    print(f"  python -c pass           median {statistics.median(base):6.3f} s")
    print(f"  ratio                    {statistics.median(cold) / statistics.median(base):6.1f} x")
    print(f"  cache off / cache        {statistics.median(unpacked) / statistics.median(cold):6.2f} x")
    print(
        f"peak memory of the cold assess process: {max(peaks) / 1024:.0f} MB   (goal < 500 MB); "
        f"cache off {max(unpacked_peaks) / 1024:.0f} MB, first run {first_peak / 1024:.0f} MB"
    )


def bench_warm(runs: int) -> None:
    """Warm assessment with cached embeddings against one uncached embedding pass."""
    from commonground.core.assessment import assess
    from commonground.core.loading import load_inputs
    from commonground.core.semantics.engines import MiniLmOnnxEngine, get_engine

    partnership = load_inputs(PAIR)
    engine = get_engine()
    assess(partnership, engine=engine.name)  # fills the cache
    times = []
    for _ in range(max(runs, 20)):
        start = time.perf_counter()
        assess(partnership, engine=engine.name)
        times.append(time.perf_counter() - start)
    texts = [partnership.partners[0].mission, partnership.partners[1].mission]
    texts += [g.text for p in partnership.partners for g in p.goals]
    texts += [a.text for p in partnership.partners for a in p.activities]
    bare = MiniLmOnnxEngine()
    bare.embed(texts)
    uncached = []
    for _ in range(5):
        start = time.perf_counter()
        bare.embed(texts)
        uncached.append(time.perf_counter() - start)
    print("warm assess (same pair, embeddings cached)")
    print(f"  assess()                 median {statistics.median(times) * 1000:7.1f} ms  (goal < 50 ms)")
    uncached_ms = statistics.median(uncached) * 1000
    print(f"  one uncached embed pass  median {uncached_ms:7.1f} ms  ({len(texts)} texts)")


def synthetic_texts(n: int) -> list[str]:
    """Deterministic, varied short sentences like the ones profiles hold."""
    verbs = ["Reduce", "Expand", "Protect", "Fund", "Train", "Build", "Cut", "Improve", "Promote", "End"]
    objects = [
        "childhood obesity in the county",
        "access to clean water in rural villages",
        "emissions from our delivery fleet",
        "literacy among adult learners",
        "plastic waste along the coastline",
        "affordable housing for young families",
        "the number of women in engineering roles",
        "food waste across our stores",
        "mental health support for farmers",
        "renewable energy cooperatives in small towns",
        "youth unemployment after school",
    ]
    tails = ["by 2030", "within five years", "in partnership with local councils", "", "across the region"]
    rng = np.random.default_rng(7)
    picks = [(verbs[rng.integers(len(verbs))], objects[rng.integers(len(objects))]) for _ in range(n)]
    return [
        f"{verb} {obj} {tails[rng.integers(len(tails))]}".strip() + f" (case {i})"
        for i, (verb, obj) in enumerate(picks)
    ]


def bench_throughput(n: int, rounds: int) -> None:
    """Our engine (uncached) against a bare tokenizer + ONNX session over identical batches."""
    import onnxruntime as ort

    from commonground.core.semantics.engines import CachedEngine, MiniLmOnnxEngine

    texts = synthetic_texts(n)
    ours_engine = MiniLmOnnxEngine()
    # The bare baseline reuses our loaded tokenizer and session but none of our code around them.
    tokenizer = ours_engine._tokenizer
    session: ort.InferenceSession = ours_engine._session

    def bare() -> None:
        for start in range(0, len(texts), 64):
            enc = tokenizer.encode_batch(texts[start : start + 64])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            (hidden,) = session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def ours() -> None:
        CachedEngine(ours_engine).embed(texts)  # a fresh cache each round: every text computed

    bare()
    ours()
    t_bare, t_ours = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        bare()
        t_bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        ours()
        t_ours.append(time.perf_counter() - start)
    b, o = statistics.median(t_bare), statistics.median(t_ours)
    print(f"embedding throughput ({n} short texts, median of {rounds})")
    print(f"  bare ONNX session        {n / b:7.0f} texts/s")
    print(f"  our pipeline (uncached)  {n / o:7.0f} texts/s")
    print(f"  overhead                 {(o / b - 1) * 100:+6.1f} %   (goal <= 15 %)")


def main() -> None:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--texts", type=int, default=1000)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    bench_cold(args.runs)
    bench_warm(args.runs)
    bench_throughput(args.texts, rounds=args.runs)


if __name__ == "__main__":
    main()
