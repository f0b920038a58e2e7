"""Reading a ``.npy`` file's header without reading its rows.

Segments check a file's shape and dtype before they trust it: the float rows are then read row by
row (segments.FloatRows), a filter column whole (filter_columns.py), and a header that claims a
huge shape is refused before any memory is asked for it.
"""

from __future__ import annotations

from typing import BinaryIO

import numpy as np


def read_npy_header(handle: BinaryIO) -> tuple[tuple[int, ...], bool, np.dtype[np.generic]]:
    """The shape, Fortran order and dtype of the ``.npy`` file open as ``handle``, left at its rows."""
    version = np.lib.format.read_magic(handle)
    read_header = (
        np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    )
    shape, fortran, dtype = read_header(handle)
    return tuple(int(n) for n in shape), bool(fortran), dtype
