"""What the multilingual reader's features would add to an English profile's SDG mapping, in time.

The candidate studied by ``bench/sdg_cv.py`` adds a few ``use-m3`` features to MiniLM's for
English texts, so every English profile would also be embedded by the reader. This measures, for
one profile (mission, 3 goals, 3 activities), the shipped path (``profile_sdgs``, MiniLM only)
against the shipped path plus the reader's features of the same texts (the logistic model itself
costs microseconds either way):

- cold: a fresh process that imports the package and maps the profile (model loads included),
  both paths alternating, whole-process wall time next to a bare ``python -c pass``;
- warm: engines loaded, a new profile each time (its texts never embedded before), and the same
  profile again (its texts in the embedding cache, as in a repeated assessment).

Run: .venv/bin/python bench/sdg_profile_cost.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

# commonground before numpy, as in every entry point: it sets the BLAS thread default.
import commonground  # noqa: F401

# isort: split
from commonground.core.profiles import Profile
from commonground.core.semantics import sdgs
from commonground.core.semantics.engines import MULTILINGUAL_ENGINE, get_engine

MISSION = "Make every child in the river valley grow up healthy, well fed and active."
GOALS = [
    "Provide free healthy school meals in every primary school",
    "Cut dental decay among five-year-olds by a third",
    "Improve access to fresh fruit and vegetables in food deserts",
]
ACTIVITIES = [
    "Runs school nutrition programmes",
    "Campaigns for healthier food environments",
    "Trains parents as community nutrition champions",
]


def profile(tag: str = "") -> Profile:
    """The benchmark profile; ``tag`` makes its texts new to the embedding cache."""
    return Profile.model_validate(
        {
            "name": "Riverside Child Health Trust",
            "kind": "nonprofit",
            "mission": MISSION + tag,
            "goals": [{"text": g + tag} for g in GOALS],
            "activities": [a + tag for a in ACTIVITIES],
        }
    )


def map_profile(org: Profile, *, with_reader: bool) -> None:
    """The shipped mapping, plus (candidate) the reader's features of the same texts."""
    sdgs.profile_sdgs(org)
    if with_reader:
        texts = [org.mission, *(g.text for g in org.goals), *(a.text for a in org.activities)]
        sdgs.sdg_features(texts, get_engine(MULTILINGUAL_ENGINE))


CHILD = (
    "import sys; sys.path.insert(0, {folder!r})\n"
    "import sdg_profile_cost as c\n"
    "c.map_profile(c.profile(), with_reader=sys.argv[1] == 'reader')\n"
)


def cold(mode: str) -> float:
    """Wall seconds of a fresh process mapping the profile in ``mode`` ('pass', 'shipped', 'reader')."""
    folder = os.path.dirname(os.path.abspath(__file__))
    code = "pass" if mode == "pass" else CHILD.format(folder=folder)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, mode], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _time_both(rounds: int, make: Callable[[], Profile]) -> dict[bool, list[float]]:
    """Seconds per mapping, without and with the reader's features, alternating for fairness."""
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(rounds):
        for with_reader in (False, True):
            org = make()
            started = time.perf_counter()
            map_profile(org, with_reader=with_reader)
            times[with_reader].append(time.perf_counter() - started)
    return times


def _print_warm(title: str, times: dict[bool, list[float]]) -> None:
    shipped, reader = statistics.median(times[False]), statistics.median(times[True])
    print(f"{title} (median of {len(times[False])}):")
    print(f"  shipped (MiniLM)              {shipped * 1000:6.1f} ms")
    print(f"  shipped + reader features     {reader * 1000:6.1f} ms   ratio {reader / shipped:.2f}x")


def main(argv: list[str] | None = None) -> int:
    """Print cold and warm times of both paths and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    times: dict[str, list[float]] = {"pass": [], "shipped": [], "reader": []}
    cold("shipped")  # fills the model cache, as any machine's first run does
    for _ in range(args.runs):
        for mode in times:
            times[mode].append(cold(mode))
    median = {mode: statistics.median(values) for mode, values in times.items()}
    print(f"cold, whole process (median of {args.runs}, alternating):")
    print(f"  python -c pass                {median['pass']:6.2f} s")
    print(f"  shipped (MiniLM)              {median['shipped']:6.2f} s")
    print(
        f"  shipped + reader features     {median['reader']:6.2f} s   "
        f"ratio {median['reader'] / median['shipped']:.2f}x"
    )

    map_profile(profile(" (warm-up)"), with_reader=True)
    counter = iter(range(1_000_000))
    _print_warm(
        "warm, a new 7-text profile",
        _time_both(args.runs * 4, lambda: profile(f" (run {next(counter)})")),
    )
    seen = profile(" (seen)")
    map_profile(seen, with_reader=True)
    _print_warm(
        "warm, the same profile again, texts in the embedding cache", _time_both(args.runs * 4, lambda: seen)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
