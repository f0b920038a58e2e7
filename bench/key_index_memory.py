"""Memory of the key map an add, update or remove builds: every live key and its row.

``core/directory/key_rows.KeyIndex`` holds one dictionary per segment from each live key to its
row, built from the segment's ``keys.npy``. This writes ``keys.npy`` files laid out as
``SegmentWriter`` writes them (UTF-8 keys, each ended by a NUL, after a ``.npy`` header), for
``--count`` organisations in segments of ``--segment`` rows, then measures with ``tracemalloc``
(Python's own allocations: the strings, lists and dictionaries) in the same process:

- baseline: the keys alone, as ``read_keys`` returns them (a list of strings per segment);
- ``KeyIndex`` over the same segments (the keys read again and the dictionaries built).

Two key shapes: short ids ("o1234567", 8 bytes) and names of about 40 bytes, since a directory
built from registers may key by name. No record, vector or model is written or loaded.

Run: .venv/bin/python bench/key_index_memory.py [--count 1000000] [--segment 50000]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from commonground.core.directory.key_rows import END, KEYS, KeyIndex, read_keys
from commonground.core.directory.segments import npy_header


@dataclass
class _KeysOnly:
    """What KeyIndex reads of a segment: its name, live rows and keys (from the real keys file)."""

    name: str
    path: Path
    live: np.ndarray

    def keys(self) -> list[str]:
        found: list[str] | None = read_keys(self.path, int(self.live.shape[0]))
        if found is None:
            raise SystemExit(f"{self.path}: unreadable keys file")
        return found


def _write(root: Path, count: int, per_segment: int, key: Callable[[int], str]) -> list[_KeysOnly]:
    segments = []
    for start in range(0, count, per_segment):
        rows = min(per_segment, count - start)
        folder = root / f"s{start:09d}"
        folder.mkdir()
        blob = b"".join(key(i).encode("utf-8") + END for i in range(start, start + rows))
        (folder / KEYS).write_bytes(npy_header(np.uint8, (len(blob),)) + blob)
        segments.append(_KeysOnly(folder.name, folder, np.ones(rows, dtype=bool)))
    return segments


def _held(build: Callable[[], object]) -> tuple[float, float]:
    """(MB still held by what ``build`` returns, peak MB while building it)."""
    gc.collect()
    tracemalloc.start()
    kept = build()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return held / 1e6, peak / 1e6


def main() -> None:
    """Print the key map's memory against the keys alone, for two key shapes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--segment", type=int, default=50_000)
    args = parser.parse_args()
    shapes: dict[str, Callable[[int], str]] = {
        "short ids (8 bytes)": lambda i: f"o{i:07d}",
        "names (about 40 bytes)": lambda i: f"Community Partnership Organisation {i:07d}",
    }
    print(f"{args.count:,} keys in segments of {args.segment:,}; tracemalloc, MB")
    print(f"{'keys':24} {'keys alone':>12} {'KeyIndex':>12} {'ratio':>7} {'KeyIndex peak':>14}")
    for label, key in shapes.items():
        with tempfile.TemporaryDirectory() as tmp:
            segments = _write(Path(tmp), args.count, args.segment, key)
            alone, _ = _held(lambda s=segments: [seg.keys() for seg in s])  # type: ignore[misc]
            index, peak = _held(lambda s=segments: KeyIndex(s))  # type: ignore[misc]
            size = sum((seg.path / KEYS).stat().st_size for seg in segments) / 1e6
        figures = f"{alone:12.1f} {index:12.1f} {index / alone:6.2f}x {peak:14.1f}"
        print(f"{label:24} {figures}   (keys.npy {size:.1f} MB)")


if __name__ == "__main__":
    main()
