"""Which int8 kernel scans a directory, and on how many threads (read from the environment).

Two kernels give the same exact integers (core/directory/search.py): simsimd's, the faster where it
has a VNNI path, and numkong's, a fifth faster on CPUs with AVX2 only. Kept apart from the search so
that the search module holds the method and this one the machine's settings.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor

import simsimd

__all__ = [
    "KERNELS",
    "KERNEL_SETTING",
    "SIMSIMD_VNNI",
    "THREADED_FROM",
    "THREADS_SETTING",
    "pool",
    "scan_kernel",
    "scan_threads",
]

# Threads for the scan: a count, or "auto" for every core this process may run on.
THREADS_SETTING = "COMMONGROUND_SEARCH_THREADS"
# Below this many rows a scan takes well under a millisecond: handing it to threads would cost more.
THREADED_FROM = 65_536
# Which int8 kernel scans: "simsimd" or "numkong"; unset, simsimd where it has a VNNI path.
KERNEL_SETTING = "COMMONGROUND_SEARCH_KERNEL"
KERNELS = ("simsimd", "numkong")
# simsimd's int8 paths with VNNI (AVX-512 on Ice Lake and later or Zen 4; AVX-VNNI on Sierra Forest).
SIMSIMD_VNNI = ("ice", "genoa", "sapphire", "turin", "sierra")


@functools.cache
def _default_kernel() -> str:
    capabilities = simsimd.get_capabilities()
    return "simsimd" if any(capabilities.get(name) for name in SIMSIMD_VNNI) else "numkong"


def scan_kernel() -> str:
    """The int8 kernel the scan uses, from ``COMMONGROUND_SEARCH_KERNEL`` or this CPU's capabilities."""
    value = os.environ.get(KERNEL_SETTING, "").strip().lower()
    if not value:
        return _default_kernel()
    if value not in KERNELS:
        raise ValueError(f"{KERNEL_SETTING} must be one of {', '.join(KERNELS)}, not {value!r}")
    return value


@functools.cache
def pool(threads: int) -> ThreadPoolExecutor:
    """The scan's shared pool of ``threads`` threads (one per count, kept for the process)."""
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="int8-scan")


def scan_threads() -> int:
    """Threads the scan may use, from ``COMMONGROUND_SEARCH_THREADS`` (default 1; "auto": every core)."""
    value = os.environ.get(THREADS_SETTING, "").strip().lower()
    if not value:
        return 1
    if value == "auto":
        # sched_getaffinity is Linux only; elsewhere every core counts.
        cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
        return max(1, len(cores))
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{THREADS_SETTING} must be a whole number of threads or 'auto', not {value!r}")
    return int(value)
