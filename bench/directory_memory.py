"""Memory of what a whole-directory pass keeps per organisation: full records against summaries.

``discover`` filters and ``discover --all-pairs`` lists need only each organisation's key, name,
country, kind and SDGs; until 2026-12-06 both read every full record (profile included) into memory.
This writes ``--count`` organisations with profiles of a realistic size (a mission of about 300
characters, five activities, five goals, three values, two red lines: about 1.7 kB a line in
records.jsonl) as ``commonground directory build`` stores them, then, each in a fresh process so
the peak resident memory is that step's alone:

- baseline: ``Directory.records_by_segment()`` (every full record, as before);
- ``Directory.summaries_by_segment()`` (what filters and all-pairs now keep);
- ``Directory.record_at`` for 50 rows (a shortlist's full records, read by line offset).

Memory is the growth of the process's resident set (VmRSS in /proc/self/status) from just after
the directory is opened to just after the step, with what the step read still held; importing the
package (numpy, the engine's libraries) costs the same in every step and is left out. Figures are
comparable within one run only.

Run: .venv/bin/python bench/directory_memory.py [--count 100000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from commonground.core.directory.changes import write_directory
from commonground.core.directory.records import Record
from commonground.core.directory.storage import open_directory

DIM = 384
CHUNK = 20_000
WORDS = [
    "community",
    "health",
    "water",
    "school",
    "climate",
    "farmers",
    "women",
    "youth",
    "energy",
    "forest",
    "river",
    "city",
]


def _text(rng: np.random.Generator, words: int) -> str:
    return " ".join(rng.choice(WORDS, words)).capitalize() + "."


def _profile(i: int, rng: np.random.Generator) -> dict[str, object]:
    return {
        "name": f"Organisation {i}",
        "kind": "nonprofit",
        "mission": _text(rng, 45),
        "activities": [_text(rng, 14) for _ in range(5)],
        "goals": [_text(rng, 12) for _ in range(5)],
        "values": [_text(rng, 3) for _ in range(3)],
        "red_lines": [_text(rng, 8) for _ in range(2)],
    }


def build(root: Path, count: int) -> None:
    """``count`` organisations with realistic profiles and random unit vectors."""
    rng = np.random.default_rng(1)

    def batches():  # type: ignore[no-untyped-def]
        for start in range(0, count, CHUNK):
            stop = min(count, start + CHUNK)
            vectors = rng.standard_normal((stop - start, DIM)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            records = [
                Record(
                    key=f"o{i}",
                    name=f"Organisation {i}",
                    country="GB" if i % 3 else "FR",
                    kind="nonprofit",
                    sdgs=[1 + i % 17],
                    source="bench",
                    profile=_profile(i, rng),
                )
                for i in range(start, stop)
            ]
            yield vectors, records

    write_directory(root, engine="bench", dim=DIM, batches=batches())


def _resident_mb() -> float:
    """This process's resident set now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def step(root: Path, what: str) -> None:
    """One measured step, run in its own process: prints seconds and resident MB gained."""
    directory = open_directory(root)
    before = _resident_mb()
    started = time.perf_counter()
    kept: object = None
    if what == "records":
        kept = directory.records_by_segment()
    elif what == "summaries":
        kept = directory.summaries_by_segment()
    elif what == "record_at":
        rows = np.random.default_rng(2).integers(0, len(directory.segments[0].live), 50)
        kept = [directory.record_at(0, int(r)) for r in rows]
    seconds = time.perf_counter() - started
    print(f"{what} {seconds:.2f} {_resident_mb() - before:.1f} {kept is not None}")


def main() -> None:
    """Build once, then measure each step in a fresh process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--step", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step(args.root, args.step)
        return
    folder = Path(tempfile.mkdtemp(dir=args.workdir))
    try:
        root = folder / "directory"
        started = time.perf_counter()
        build(root, args.count)
        size = (root / open_directory(root).segments[0].path.name / "records.jsonl").stat().st_size
        lines = sum((s.path / "records.jsonl").stat().st_size for s in open_directory(root).segments)
        print(
            f"{args.count:,} organisations written in {time.perf_counter() - started:.0f} s; "
            f"records.jsonl {lines / 1e6:.0f} MB in all ({size / 1e6:.0f} MB in the first segment)"
        )
        figures: dict[str, tuple[float, float]] = {}
        for what in ("records", "summaries", "record_at"):
            out = subprocess.run(
                [sys.executable, __file__, "--step", what, "--root", str(root)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            figures[what] = (float(out[1]), float(out[2]))
        print(f"{'step':<36} {'seconds':>8} {'MB held':>8} {'vs records':>11}")
        for what, label in (
            ("records", "every full record (baseline)"),
            ("summaries", "every summary (filters, all-pairs)"),
            ("record_at", "50 records by line offset"),
        ):
            seconds, held = figures[what]
            ratio = held / max(figures["records"][1], 1e-9)
            print(f"{label:<36} {seconds:8.2f} {held:8.1f} {ratio:10.3f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
