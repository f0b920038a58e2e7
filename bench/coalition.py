"""Coalition assessment time for 50 and 200 partners, serial against the CLI's process pool.

Partners are made from the example profiles by :mod:`coalition_profiles` (each names its own town,
rotates its goals and borrows one from another example, moves its value weights and culture points),
so every mission and some goals are new texts to embed. Prints, for each size:

- cold: the whole ``commonground assess --format json`` process (model load, every text embedded,
  the pool on every core, the JSON written), its peak memory and the JSON's size; with
  ``--with-pairs`` the same again with ``--pairs FILE`` (every pair's full result as JSON Lines);
- warm, in one process with the models loaded and every text already embedded: the pairs in order
  (``workers=1``, the baseline) against the pool on every core, and the time per pair.

Run: .venv/bin/python bench/coalition.py [--sizes 50 200] [--no-serial-above N] [--no-warm] [--with-pairs]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import commonground  # noqa: F401  (sets the BLAS thread default before numpy loads)

# isort: split
import yaml
from coalition_profiles import coalition

from commonground.core.assessment import assess_profiles
from commonground.core.profiles import Profile
from commonground.core.semantics import readings

CLI = Path(sys.executable).with_name("commonground")


def write_profiles(profiles: list[Profile], folder: Path) -> list[Path]:
    """Each profile as a YAML file in ``folder``."""
    paths = []
    for k, profile in enumerate(profiles):
        path = folder / f"partner-{k:03d}.yaml"
        path.write_text(yaml.safe_dump({"version": 1, **profile.to_document()}, sort_keys=False), "utf-8")
        paths.append(path)
    return paths


def cold(paths: list[Path], out: Path, pairs: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (MiB, largest process) and output size (MB) of one CLI run."""
    extra = ["--pairs", str(pairs)] if pairs is not None else []
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(CLI), "assess", "--format", "json", "--output", str(out), *extra, *map(str, paths)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(proc.stderr.read().decode() if proc.stderr else "assess failed")
    return wall, usage.ru_maxrss // 1024, out.stat().st_size // 1_000_000


def warm(profiles: list[Profile], workers: int) -> float:
    """Seconds for one in-process assessment with every text already embedded."""
    start = time.perf_counter()
    assess_profiles(profiles, workers=workers)
    return time.perf_counter() - start


def main() -> None:
    """Print the figures for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--no-serial-above", type=int, default=1000, help="skip the serial baseline above N")
    parser.add_argument("--no-warm", action="store_true", help="only the cold CLI runs")
    parser.add_argument("--with-pairs", action="store_true", help="also a cold run with --pairs FILE")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"python {sys.version.split()[0]}, {cores} cpus")
    for n in args.sizes:
        profiles = coalition(n)
        pairs = n * (n - 1) // 2
        with tempfile.TemporaryDirectory() as tmp:
            paths = write_profiles(profiles, Path(tmp))
            wall, peak, size = cold(paths, Path(tmp) / "result.json")
            print(f"{n} partners, {pairs:,} pairs")
            print(f"  cold CLI (pool of {cores})    {wall:7.1f} s   peak {peak} MiB   JSON {size} MB")
            if args.with_pairs:
                lines = Path(tmp) / "pairs.jsonl"
                wall, peak, size = cold(paths, Path(tmp) / "result.json", lines)
                full = lines.stat().st_size // 1_000_000
                figures = f"{wall:7.1f} s   peak {peak} MiB   JSON {size} MB + {full} MB"
                print(f"  the same with --pairs     {figures}")
        if args.no_warm:
            continue
        for other in profiles[1:]:  # loads the models and embeds every text once
            assess_profiles([profiles[0], other])
        pool = warm(profiles, cores)
        print(f"  warm pool of {cores}           {pool:7.1f} s   {1000 * pool / pairs:5.1f} ms/pair")
        if n <= args.no_serial_above:
            serial = warm(profiles, 1)
            print(f"  warm in order (baseline)  {serial:7.1f} s   {1000 * serial / pairs:5.1f} ms/pair")
            print(f"  speed-up                  {serial / pool:7.2f} x")
            # The same in-order run reading every partner's statements again in each pair, as before
            # core/semantics/readings.py remembered them.
            kept = readings.MAX_READINGS
            readings.MAX_READINGS = 0
            readings.forget()
            try:
                again = warm(profiles, 1)
            finally:
                readings.MAX_READINGS = kept
            print(f"  re-reading per pair       {again:7.1f} s   {1000 * again / pairs:5.1f} ms/pair")
            print(f"  reading once per partner  {again / serial:7.2f} x faster")


if __name__ == "__main__":
    main()
