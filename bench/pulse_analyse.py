"""Speed of `pulse analyse` on ten years of monthly check-ins, with a baseline measured in the same run.

The answers (built here, seeded): 10 years × 12 check-ins × 8 items × 200 respondents in four
partners of 90, 60, 40 and 10 people (the smallest always hidden, so complementary suppression
runs at every check-in), about 5% of answers skipped, one partner's "voice" drifting down in
year 6. 192,000 rows less the skipped ones.

Prints the median of N runs of:
- reading and parsing the CSV file alone (``csv.reader`` over the decoded text: the baseline);
- ``read_responses`` (parsing plus checking every row);
- ``analyse`` on the parsed answers (suppression, drift, gaps, coorientation, comments);
- the whole ``commonground pulse analyse FILE --format json`` process, once per run.

Goal (issue 11): the CLI end to end under 2 s.

Run: .venv/bin/python bench/pulse_analyse.py [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from commonground.core.alignment.analysis import analyse
from commonground.core.alignment.items import PULSE
from commonground.core.alignment.responses import read_responses

PARTNERS = {"North": 90, "South": 60, "East": 40, "West": 10}
ITEMS = [*PULSE.ids, "overall"]  # 8 items


def write_answers(path: Path) -> int:
    """Write the benchmark CSV; return its number of answer rows."""
    rng = random.Random(11)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["checkin", "respondent", "partner", "item", "score", "role", "comment"])
        for year in range(10):
            for month in range(1, 13):
                checkin = f"{2020 + year}-{month:02d}-01"
                for partner, size in PARTNERS.items():
                    for person in range(size):
                        for item in ITEMS:
                            if rng.random() < 0.05:
                                continue
                            low = partner == "South" and item == "voice" and year >= 5
                            score = rng.choice([2, 3, 3, 4] if low else [3, 4, 4, 5])
                            comment = (
                                "More notice of meetings, please."
                                if person == 0 and item == "overall"
                                else ""
                            )
                            writer.writerow(
                                [checkin, f"{partner}-{person}", partner, item, score, "", comment]
                            )
                            rows += 1
    return rows


def _median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.csv"
        rows = write_answers(path)
        data = path.read_bytes()
        print(
            f"pulse analyse: {rows:,} answers ({len(data) / 2**20:.1f} MB), "
            "120 check-ins x 8 items, 200 people"
        )
        parse, _ = _median(lambda: sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")))), args.runs)
        read, answers = _median(lambda: read_responses(data, str(path)), args.runs)
        analyse(answers)  # warm the caches of the imports
        run, result = _median(lambda: analyse(answers), args.runs)
        cli = []
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run(
                [
                    str(Path(sys.executable).with_name("commonground")),
                    "pulse",
                    "analyse",
                    str(path),
                    "--format",
                    "json",
                ],
                capture_output=True,
                check=False,
            )
            cli.append(time.perf_counter() - start)
        whole = statistics.median(cli)
        print(f"  parse the CSV (baseline)  median {parse * 1000:8.1f} ms")
        print(f"  read_responses            median {read * 1000:8.1f} ms")
        print(
            f"  analyse                   median {run * 1000:8.1f} ms   ({len(result.cells):,} cells, "
            f"{len(result.alerts)} alerts, {len(result.gaps):,} gaps)"
        )
        print(
            f"  whole CLI process, JSON   median {whole * 1000:8.1f} ms   "
            f"(goal < 2000 ms; exit {done.returncode})"
        )
        print(f"  ratio CLI / baseline      {whole / parse:8.1f} x")


if __name__ == "__main__":
    main()
