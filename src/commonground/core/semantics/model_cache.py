"""Unpacked model tables kept on disk between runs, so a cold start does not unpack them again.

The language identifier and the multilingual reader ship their tables compressed; unpacking them took
about a second of every cold ``assess``. The first run writes the unpacked tables as an
uncompressed ``.npz`` under ``$COMMONGROUND_MODEL_CACHE`` (default ``$XDG_CACHE_HOME/commonground``
or ``~/.cache/commonground``; ``off`` turns it off); later runs read that in a few tens of
milliseconds. A file's name carries the sha256 of what it was made from, so a changed model is
never read from an old file. The cache is only a speed-up: a folder that cannot be written, or a
file that cannot be read whole, is passed over and the model is unpacked as before. Files are
written through a temporary name and renamed, so a reader never sees half of one, and read without
pickles (``allow_pickle=False``), so a file in the folder cannot run code.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["cache_folder", "cached_file", "read_tables", "write_tables"]

Tables = dict[str, npt.NDArray[Any]]


def cache_folder() -> Path | None:
    """Where unpacked tables are kept, or None when the cache is turned off."""
    chosen = os.environ.get("COMMONGROUND_MODEL_CACHE", "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "commonground"


def cached_file(name: str) -> Path | None:
    """Where the tables called ``name`` are (or would be) kept; None when the cache is off."""
    folder = cache_folder()
    return None if folder is None else folder / name


def read_tables(name: str) -> Tables | None:
    """The tables stored under ``name``, or None when there are none (or they cannot be read)."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        with np.load(folder / name, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None


def write_tables(name: str, tables: Tables) -> None:
    """Store ``tables`` under ``name``, whole or not at all; a folder that cannot be written is skipped."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # The handle outlives this block, to be renamed or removed in the next one.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            dir=folder, prefix=f".{name}.", suffix=".tmp", delete=False
        )
    except OSError:
        return
    try:
        with handle:
            np.savez(handle, allow_pickle=False, **tables)
        os.replace(handle.name, folder / name)
    except OSError:
        pass  # a full disk or a vanished folder: the next run unpacks the model again
    finally:
        Path(handle.name).unlink(missing_ok=True)
