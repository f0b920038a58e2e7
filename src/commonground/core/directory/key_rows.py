"""A segment's keys file, and where each live key of a directory is, learnt from the keys alone.

An add, update or remove must know which row holds each key already in the directory, to tombstone
it. Until 2026-12-06 it parsed every live record to learn that (profiles and all: about 1.7 kB a
row, a minute for a million); a segment now keeps its keys beside its records:

    keys.npy    uint8 (b,): every row's key in UTF-8, each ended by a NUL byte, in the rows' order

An ordinary ``.npy`` file (numpy alone reads it, no pickles) that holds one run of bytes, read in
one go and split at the NULs: every row of 200,000 found in 0.1 s instead of 9.5 s from the records
(bench/directory_add.py). A segment written before
keys files, or one holding a key that contains a NUL (which the file could not delimit), has no
keys file: its keys are read from its records, as before, and the next merge or compact that
rewrites it writes one. A keys file that does not hold one key a row (damaged by hand) is ignored
with a warning and the records answer, since they are what a search reports.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from commonground.core.directory.npy_headers import read_npy_header

if TYPE_CHECKING:
    from commonground.core.directory.segments import Segment

LOGGER = logging.getLogger(__name__)
KEYS = "keys.npy"
END = b"\0"


def read_keys(folder: Path, rows: int) -> list[str] | None:
    """The ``rows`` keys of the segment in ``folder``; None when it has no usable keys file."""
    path = folder / KEYS
    try:
        with path.open("rb") as handle:
            shape, fortran, dtype = read_npy_header(handle)
            if len(shape) != 1 or fortran or dtype != np.uint8:
                raise ValueError(f"expected one run of bytes, found {dtype} {shape}")
            blob = handle.read(shape[0])
        if len(blob) != shape[0]:
            raise ValueError(f"{len(blob)} of {shape[0]} bytes")
        keys = blob.decode("utf-8").split(END.decode())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError) as exc:  # UnicodeDecodeError is a ValueError
        LOGGER.warning("%s: cannot read the keys (%s); reading them from the records", path, exc)
        return None
    # Each key ends with a NUL: splitting leaves one empty string after the last.
    if keys.pop() != "" or len(keys) != rows:
        LOGGER.warning("%s: %d keys for %d rows; reading them from the records", path, len(keys), rows)
        return None
    return keys


class KeyIndex:
    """The row of every live key of some segments, found without reading a record where a segment
    has a keys file; ``pop`` gives a key's (segment name, row) once."""

    def __init__(self, segments: Sequence[Segment]):
        self._parts: list[tuple[str, dict[str, int]]] = []
        for segment in segments:
            keys = segment.keys()
            if segment.live.all():
                rows = dict(zip(keys, range(len(keys)), strict=True))
            else:
                rows = {keys[row]: row for row in np.flatnonzero(segment.live).tolist()}
            self._parts.append((segment.name, rows))

    def pop(self, key: str) -> tuple[str, int] | None:
        """Where ``key`` is live (segment name, row), forgotten once given; None if nowhere."""
        for name, rows in self._parts:
            row = rows.pop(key, None)
            if row is not None:
                return name, row
        return None
