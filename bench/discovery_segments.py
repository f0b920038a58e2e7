"""Many segments against one: what a directory written 256 organisations at a time costs a search.

Generates ``--count`` synthetic unit vectors of 384 dimensions with ``bench/discovery.py``'s
generator (seeded, clustered like embeddings), then writes the same rows four times with
``changes.write_directory``, in batches of 256 as ``commonground directory build`` embeds them:

- **one segment** (``segment_rows`` = every row): the baseline, what ``directory compact`` leaves;
- **256 a segment**: how ``build`` and ``add`` stored a directory before session 22 (one segment
  per batch of 256: 3,907 segments for a million rows);
- **18 segments** of equal size (merge off): the most a directory below a million rows can keep
  once small segments are merged by tiers (3 in each of 6 tiers), the worst case now;
- **default**: how they store it now (batches fill segments of ``segments.SEGMENT_ROWS`` rows,
  small segments merged by tiers after every write).

For each layout, in a fresh process (so resident memory is the layout's own), in ``--rounds``
rounds that alternate the layouts (so a change in the machine's load falls on all of them): the
time to open the directory (``open_directory``; then again, with and without reading the filter
columns, what reading them adds to an open), to build the masks of a filter keeping 1%
(``--country GB``) from the segments' filter columns (``discovery.filter_masks``) and from every
row's summary as filters did before (reading the summaries, then ``Filters.keeps`` row by row; the
ratio of the two, and both checked against the generated mask), then ``Directory.search`` top 20,
one query at a time, over the whole directory and with that filter, its p50 and p95 and the ratio
to one segment; peak resident memory; recall against brute-force float32 over the generated
vectors (computed in its own process).

Needs about 2 GB of disk a layout for 1,000,000 rows (9.5 GB in all), a tenth for 100,000; the
folder is deleted afterwards unless ``--keep``.

Run: PYTHONPATH=src:bench .venv/bin/python bench/discovery_segments.py [--count 100000 1000000]
                                                  [--queries 60] [--rounds 2] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from discovery import generate  # bench/discovery.py: the same synthetic vectors

from commonground.core.directory import storage
from commonground.core.directory.changes import write_directory
from commonground.core.directory.discovery import Filters, filter_masks, summary_mask
from commonground.core.directory.records import Record
from commonground.core.directory.search import brute_force_top_k
from commonground.core.directory.storage import open_directory

TOP = 20
BATCH = 256  # core/directory/building.BATCH: what build and add hand the writer at a time
WORST = 18  # segments.py: at most 3 segments in each of the 6 tiers below a full segment
LAYOUTS = ("one", "256", "18", "default")
TITLES = {
    "one": "one segment (baseline)",
    "256": "256 a segment (before)",
    "18": f"{WORST} segments (worst case now)",
    "default": "default (now)",
}


# The rows of the generated 1% mask are in GB; the others spread over these (mixed case, none).
OTHER_COUNTRIES = ("FR", "de", "KE", None, "br")
KINDS = ("nonprofit", "company", "cooperative")
ONE_PERCENT = Filters(countries=frozenset({"GB"}))


def _batches(vectors: np.ndarray, mask: np.ndarray):  # type: ignore[no-untyped-def]
    for start in range(0, len(vectors), BATCH):
        stop = min(len(vectors), start + BATCH)
        records = [
            Record(
                key=f"o{i}",
                name=f"Org {i}",
                country="GB" if mask[i] else OTHER_COUNTRIES[i % len(OTHER_COUNTRIES)],
                kind=KINDS[i % len(KINDS)],
                sdgs=[1 + i % 17, 1 + (i * 7) % 17],
                source="bench",
                profile={},
            )
            for i in range(start, stop)
        ]
        yield np.asarray(vectors[start:stop]), records


def write(folder: Path, layout: str) -> dict[str, float]:
    """Write the generated rows as ``layout``; seconds taken and segments made."""
    vectors = np.load(folder / "vectors.npy", mmap_mode="r")
    options: dict[str, object] = {}
    if layout == "one":
        options = {"segment_rows": len(vectors)}
    elif layout == "256":
        options = {"segment_rows": BATCH, "merge": False}
    elif layout == "18":
        options = {"segment_rows": -(-len(vectors) // WORST), "merge": False}
    started = time.perf_counter()
    batches = _batches(vectors, np.load(folder / "mask.npy"))
    directory = write_directory(
        folder / layout, engine="bench", dim=vectors.shape[1], batches=batches, **options
    )
    return {"seconds": time.perf_counter() - started, "segments": len(directory.segments)}


def measure(folder: Path, layout: str, first: int, last: int) -> dict[str, object]:
    """Open the layout, build the 1% filter's masks both ways, and time queries ``first``..``last``."""
    started = time.perf_counter()
    directory = open_directory(folder / layout)
    opened = time.perf_counter() - started
    # Opened again, twice each way, alternated: with the filter columns and with them left unread
    # (as a directory was opened before they existed); the fastest of each.
    reopen: dict[str, list[float]] = {"with": [], "bare": []}
    read_columns = storage.read_columns
    for way in ("bare", "with", "bare", "with"):
        storage.read_columns = (lambda folder, rows: None) if way == "bare" else read_columns
        started = time.perf_counter()
        open_directory(folder / layout)
        reopen[way].append(time.perf_counter() - started)
    storage.read_columns = read_columns
    started = time.perf_counter()
    from_columns = filter_masks(directory, ONE_PERCENT)  # the columns: no summary is read
    columns = time.perf_counter() - started
    started = time.perf_counter()
    summaries_read = directory.summaries_by_segment()
    summaries = time.perf_counter() - started
    from_summaries = [summary_mask(part, ONE_PERCENT) for part in summaries_read]
    keeps = time.perf_counter() - started
    offsets = np.cumsum([0] + [len(s.live) for s in directory.segments])
    mask = np.load(folder / "mask.npy")
    masks = [mask[offsets[i] : offsets[i + 1]] for i in range(len(directory.segments))]
    assert from_columns is not None
    assert all(segment.filters is not None for segment in directory.segments)
    for expected, got, old in zip(masks, from_columns, from_summaries, strict=True):
        assert np.array_equal(got, expected)
        assert np.array_equal(old, expected)
    queries = np.load(folder / "queries.npy")[first:last]
    out: dict[str, object] = {"open": opened, "summaries": summaries, "columns": columns, "keeps": keeps}
    out["reopen"], out["reopen_bare"] = min(reopen["with"]), min(reopen["bare"])
    for label, m in (("all", None), ("filter", masks)):
        times, answers = [], []
        for query in queries:
            started = time.perf_counter()
            hits = directory.search(query, TOP, masks=m)
            times.append(time.perf_counter() - started)
            answers.append([int(offsets[s] + row) for s, row, _ in hits])
        out[label] = {"times": times, "answers": answers}
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def brute(folder: Path) -> dict[str, list[list[int]]]:
    """The reference answers: every row's float dot product."""
    vectors = np.load(folder / "vectors.npy", mmap_mode="r")
    queries, mask = np.load(folder / "queries.npy"), np.load(folder / "mask.npy")
    return {
        label: [brute_force_top_k(vectors, q, TOP, mask=m).rows.tolist() for q in queries]
        for label, m in (("all", None), ("filter", mask))
    }


def _child(folder: Path, *args: str) -> dict[str, Any]:
    """A phase in a fresh process (its ru_maxrss is its own), its figures as JSON on stdout."""
    command = [sys.executable, __file__, "--workdir", str(folder), *args]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _ms(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1000, q))


def run(count: int, queries: int, rounds: int, workdir: Path | None, keep: bool) -> None:
    """Generate, write the layouts, time them round by round, print the figures."""
    folder = Path(tempfile.mkdtemp(prefix="cg-segments-bench-", dir=workdir))
    try:
        # In a child: a child's ru_maxrss starts from its parent's, so the parent never holds the data.
        _child(folder, "--phase", "generate", "--count", str(count), "--queries", str(queries))
        print(f"{count:,} x 384 synthetic vectors, {queries} queries one at a time, top {TOP}")
        written = {layout: _child(folder, "--phase", "write", "--layout", layout) for layout in LAYOUTS}
        reference = _child(folder, "--phase", "brute")
        runs: dict[str, list[dict[str, Any]]] = {layout: [] for layout in LAYOUTS}
        edges = np.linspace(0, queries, rounds + 1).astype(int).tolist()
        for first, last in itertools.pairwise(edges):
            for layout in LAYOUTS:  # alternated: each round runs every layout once
                args = ("--phase", "measure", "--layout", layout, "--first", str(first), "--last", str(last))
                runs[layout].append(_child(folder, *args))
        base: dict[str, float] = {}
        for layout in LAYOUTS:
            w, parts = written[layout], runs[layout]
            print(f"{TITLES[layout]}: {int(w['segments']):,} segment(s), written in {w['seconds']:.1f} s")
            opens = [p["open"] for p in parts]
            summaries = [p["summaries"] for p in parts]
            rss = max(p["max_rss_mb"] for p in parts)
            print(
                f"  open {np.median(opens) * 1000:8.1f} ms   summaries {np.median(summaries) * 1000:8.1f} ms"
                f"   peak resident {rss:5.0f} MB"
            )
            again, bare = (np.median([p[key] for p in parts]) for key in ("reopen", "reopen_bare"))
            print(
                f"  open again         with filter columns {again * 1000:8.1f} ms   without "
                f"{bare * 1000:8.1f} ms   {again / bare:5.2f} x"
            )
            columns, keeps = np.median([p["columns"] for p in parts]), np.median([p["keeps"] for p in parts])
            print(
                f"  1% filter masks    from columns {columns * 1000:8.2f} ms   from summaries "
                f"{keeps * 1000:8.1f} ms   {keeps / columns:7.0f} x faster"
            )
            for label in ("all", "filter"):
                times = [t for p in parts for t in p[label]["times"][1:]]
                answers = [a for p in parts for a in p[label]["answers"]]
                recall = np.mean(
                    [
                        len(set(a) & set(b)) / max(len(b), 1)
                        for a, b in zip(answers, reference[label], strict=True)
                    ]
                )
                p50, p95 = _ms(times, 50), _ms(times, 95)
                base.setdefault(label, p50)
                title = "whole directory" if label == "all" else "filter keeping 1%"
                print(
                    f"  {title:18s} p50 {p50:8.2f} ms  p95 {p95:8.2f} ms  "
                    f"{p50 / base[label]:7.2f} x one segment  recall {recall:.4f}"
                )
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, nargs="+", default=[100_000])
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="Keep the generated files.")
    parser.add_argument("--phase", choices=("generate", "write", "measure", "brute"), help=argparse.SUPPRESS)
    parser.add_argument("--layout", choices=LAYOUTS, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--last", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "generate":
        generate(args.workdir, args.count[0], args.queries)
        print("{}")
        return
    if args.phase == "write":
        print(json.dumps(write(args.workdir, args.layout)))
        return
    if args.phase == "measure":
        print(json.dumps(measure(args.workdir, args.layout, args.first, args.last)))
        return
    if args.phase == "brute":
        print(json.dumps(brute(args.workdir)))
        return
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cpus")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for count in args.count:
        run(count, args.queries, args.rounds, args.workdir, args.keep)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
