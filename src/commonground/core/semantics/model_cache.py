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

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["cache_folder", "can_write", "discard", "read_tables", "readable_file", "write_tables"]

Tables = dict[str, npt.NDArray[Any]]


_OFF = frozenset({"off", "0", "false", "no", "none"})


def cache_folder() -> Path | None:
    """Where unpacked tables are kept, or None when the cache is turned off (or has no home)."""
    chosen = os.environ.get("COMMONGROUND_MODEL_CACHE", "").strip()
    if chosen.lower() in _OFF:
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if base:
        return Path(base) / "commonground"
    try:
        return Path.home() / ".cache" / "commonground"
    except (RuntimeError, KeyError):  # no $HOME and no password entry (some containers)
        return None


def readable_file(name: str) -> Path | None:
    """The file of the tables called ``name`` if it exists and may be read, else None."""
    folder = cache_folder()
    if folder is None:
        return None
    path = folder / name
    try:
        return path if path.is_file() and os.access(path, os.R_OK) else None
    except OSError:  # a folder we may not enter
        return None


def can_write() -> bool:
    """Whether tables could be stored now: the folder exists or can be made, and may be written."""
    folder = cache_folder()
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def discard(name: str) -> None:
    """Remove the file of the tables called ``name`` (found damaged), if it may be removed."""
    folder = cache_folder()
    if folder is not None:
        with contextlib.suppress(OSError):
            (folder / name).unlink(missing_ok=True)


def read_tables(name: str) -> Tables | None:
    """The tables stored under ``name``, or None when there are none (or they cannot be read)."""
    path = readable_file(name)
    if path is None:
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except Exception:  # a damaged or foreign file is a cache miss, whatever numpy raises for it
        return None


def write_tables(name: str, tables: Tables) -> bool:
    """Store ``tables`` under ``name``, whole or not at all; False when they could not be stored."""
    folder = cache_folder()
    if folder is None or not can_write():
        return False
    try:
        # The handle outlives this block, to be renamed or removed in the next one.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            dir=folder, prefix=f".{name}.", suffix=".tmp", delete=False
        )
    except OSError:
        return False
    try:
        with handle:
            np.savez(handle, allow_pickle=False, **tables)
        # Readable by the folder's other users (a service and its operator share one cache); the
        # tables are the packages' own public data.
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, folder / name)
        return True
    except OSError:
        return False  # a full disk or a vanished folder: the next run unpacks the model again
    finally:
        Path(handle.name).unlink(missing_ok=True)
