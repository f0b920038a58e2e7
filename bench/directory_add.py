"""Adding, updating and removing a few organisations in a large directory: keys files against records.

An add or remove must learn which row holds each key already in the directory. Until 2026-12-06
it parsed every live record (profile included) to learn that; segments now keep their keys in
``keys.npy`` (core/directory/key_rows.py). This builds ``--count`` organisations with profiles of
a realistic size (bench/directory_memory.py's, about 1.7 kB a line; random unit vectors, no
model), then times, in the same process and directory:

- finding where every key lives: every live record parsed (the baseline, as before) against the
  keys files (``KeyIndex``);
- ``write_directory(..., replace=False)`` of 10 organisations (5 new, 5 updates) and
  ``remove_from_directory`` of 10, end to end (segment written, fsynced, committed; the merge of
  small segments an add may start is run untimed after it, as it is the same for both paths),
  with the baseline's key finding swapped in for the old path and the keys files for the new;
- the same add after the keys files are deleted (a directory written before them): the fallback
  reads the keys from the records with ``json.loads``, no model validation.

Each figure is the median of ``--rounds`` (the two paths alternate, so the directory grows alike
for both). Run: PYTHONPATH=src .venv/bin/python bench/directory_add.py [--count 200000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from unittest import mock

import numpy as np
from directory_memory import DIM, _profile, build  # bench/directory_memory.py: the same records

from commonground.core.directory import changes
from commonground.core.directory.changes import merge_segments, remove_from_directory, write_directory
from commonground.core.directory.key_rows import KEYS, KeyIndex
from commonground.core.directory.records import Record
from commonground.core.directory.segments import Segment
from commonground.core.directory.storage import open_directory

ADDED = 10


class RecordKeyIndex(KeyIndex):
    """The path before keys files: every segment's records parsed and validated, as
    ``Directory.live_records`` read them, to learn each live row's key."""

    def __init__(self, segments: Sequence[Segment]):
        self._parts = []
        for segment in segments:
            records = segment.records()
            rows = {records[row].key: row for row in np.flatnonzero(segment.live).tolist()}
            self._parts.append((segment.name, rows))


def _batch(round_: int, count: int) -> Iterator[tuple[np.ndarray, list[Record]]]:
    """Five organisations new to the directory and five updates of ones already in it."""
    rng = np.random.default_rng(100 + round_)
    new = [count + round_ * ADDED + i for i in range(ADDED // 2)]
    updated = rng.choice(count, ADDED - len(new), replace=False).tolist()
    records = [
        Record(
            key=f"o{i}",
            name=f"Organisation {i}",
            country="KE",
            kind="nonprofit",
            sdgs=[6],
            source="bench add",
            profile=_profile(i, rng),
        )
        for i in new + updated
    ]
    vectors = rng.standard_normal((len(records), DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    yield vectors, records


def _timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _add(root: Path, round_: int, count: int) -> None:
    # The merge that may follow reads only small segments, the same for both paths: run untimed.
    write_directory(root, engine="bench", dim=DIM, batches=_batch(round_, count), replace=False, merge=False)


def _remove(root: Path, round_: int, count: int) -> None:
    """Ten organisations spread over the directory, none of them removed before."""
    keys = [f"o{i}" for i in range(round_ * 7 + 1, count, count // ADDED)][:ADDED]
    remove_from_directory(root, keys)


def _row(label: str, baseline: list[float], new: list[float]) -> None:
    old, now = statistics.median(baseline), statistics.median(new)
    print(f"{label:<44} {old:9.3f} {now:9.3f} {old / now:9.1f}x")


def main() -> None:
    """Build once, then time each step by both paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(dir=args.workdir))
    try:
        root = folder / "directory"
        started = time.perf_counter()
        build(root, args.count)
        segment = open_directory(root).segments[0]
        print(
            f"{args.count:,} organisations written in {time.perf_counter() - started:.0f} s; "
            f"records.jsonl {(segment.path / 'records.jsonl').stat().st_size / 1e6:.0f} MB, "
            f"{KEYS} {(segment.path / KEYS).stat().st_size / 1e6:.1f} MB"
        )
        figures: dict[str, tuple[list[float], list[float]]] = {
            "find": ([], []),
            "add": ([], []),
            "remove": ([], []),
        }
        for round_ in range(args.rounds):
            old, new = figures["find"]
            old.append(_timed(lambda: RecordKeyIndex(open_directory(root).segments)))
            new.append(_timed(lambda: KeyIndex(open_directory(root).segments)))
            old, new = figures["add"]
            with mock.patch.object(changes, "KeyIndex", RecordKeyIndex):
                old.append(_timed(lambda r=round_: _add(root, 2 * r, args.count)))
            new.append(_timed(lambda r=round_: _add(root, 2 * r + 1, args.count)))
            merge_segments(root)
            old, new = figures["remove"]
            with mock.patch.object(changes, "KeyIndex", RecordKeyIndex):
                old.append(_timed(lambda r=round_: _remove(root, 2 * r, args.count)))
            new.append(_timed(lambda r=round_: _remove(root, 2 * r + 1, args.count)))
        for segment in open_directory(root).segments:
            (segment.path / KEYS).unlink()  # now a directory written before keys files
        fallback = []
        for round_ in range(args.rounds):
            fallback.append(_timed(lambda r=round_: _add(root, 2 * args.rounds + r, args.count)))
            merge_segments(root)
        figures["fallback"] = (figures["add"][0], fallback)
        print(f"{'step (median seconds)':<44} {'records':>9} {'keys':>9} {'ratio':>10}")
        _row("find every key's row", *figures["find"])
        _row(f"add {ADDED} (5 new, 5 updates), end to end", *figures["add"])
        _row(f"remove {ADDED}, end to end", *figures["remove"])
        _row(f"add {ADDED}, no keys files (fallback)", *figures["fallback"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
