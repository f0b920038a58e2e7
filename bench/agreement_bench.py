"""Speed of `agreement check` on a large agreement, with a baseline measured in the same run.

The agreement (built here, deterministic): 6 partners, 50 workstreams of 10 tasks (500 tasks with
RACI roles), 200 commitments with deliveries, 100 KPIs with 36 monthly measurements each, 40
decisions under a weighted rule, and an SROI forecast with 20 outcomes.

Prints the median of N warm runs of:
- validating the agreement from plain data (the pydantic models; what loading a file costs after
  parsing, and the baseline);
- `check_agreement` (every part: structure, roles, commitments, KPIs, decisions, equity, SROI);
- loading the agreement's YAML file (`load_agreement`: the strict pure-Python YAML reader with line
  numbers, then validation and cross-references), separately, because it dominates the CLI;
- the whole `commonground agreement check FILE --format json` process once, for scale.

Goal (issue 10): the check under 0.5 s warm.

Run: .venv/bin/python bench/agreement_bench.py [--runs N] [--load-runs N]
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from commonground.core.agreement.check import check_agreement
from commonground.core.agreement.document import dump_agreement
from commonground.core.agreement.loading import load_agreement
from commonground.core.agreement.models import Agreement

TODAY = datetime.date(2027, 9, 1)
START = datetime.date(2024, 9, 1)
PARTNERS = [f"p{i}" for i in range(6)]


def _day(offset: int) -> str:
    return (START + datetime.timedelta(days=offset)).isoformat()


def large_agreement() -> dict[str, Any]:
    """The benchmark agreement as plain data (what a parsed YAML file holds)."""
    workstreams = [
        {
            "id": f"w{w}",
            "name": f"Workstream {w}",
            "tasks": [
                {
                    "id": f"w{w}-t{t}",
                    "name": f"Task {t} of workstream {w}",
                    "start": _day(w * 7),
                    "due": _day(w * 7 + 30 + t * 20),
                    "responsible": [PARTNERS[(w + t) % 6]],
                    "accountable": [PARTNERS[w % 6]],
                    "consulted": [PARTNERS[(w + t + 1) % 6]],
                    "informed": PARTNERS,
                }
                for t in range(10)
            ],
        }
        for w in range(50)
    ]
    commitments = [
        {
            "id": f"c{c}",
            "by": PARTNERS[c % 6],
            "kind": ["money", "in_kind", "staff_time", "deliverable"][c % 4],
            "description": f"Commitment {c}",
            "value": 1000 + 37 * c,
            "due": _day(30 + 5 * c),
            "fulfilment": [{"date": _day(20 + 5 * c), "value": 500 + 11 * c}],
        }
        for c in range(200)
    ]
    kpis = [
        {
            "id": f"k{k}",
            "name": f"KPI {k}",
            "category": ["financial", "social", "environmental", "relationship"][k % 4],
            "unit": "units",
            "direction": "increase" if k % 3 else "decrease",
            "owner": PARTNERS[k % 6],
            "baseline": {"value": 100, "date": _day(0)},
            "targets": [{"value": 400 if k % 3 else 40, "date": _day(1200)}],
            "measurements": [
                {"date": _day(30 * (m + 1)), "value": (100 + 7 * m) if k % 3 else (100 - 1.5 * m)}
                for m in range(36)
            ],
        }
        for k in range(100)
    ]
    decisions = [
        {
            "id": f"d{d}",
            "title": f"Decision {d}",
            "proposed_by": PARTNERS[d % 6],
            "opened": _day(10 * d),
            "closes": _day(10 * d + 14),
            "votes": [
                {"partner": p, "position": "yes" if (d + i) % 3 else "no"} for i, p in enumerate(PARTNERS)
            ],
        }
        for d in range(40)
    ]
    return {
        "title": "Benchmark coalition",
        "who": {"status": "fully", "partners": [{"id": p, "name": f"Partner {p}"} for p in PARTNERS]},
        "what": {
            "status": "partially",
            "workstreams": workstreams,
            "commitments": commitments,
            "kpis": kpis,
            "sroi": {
                "inputs": [{"partner": p, "value": 50000} for p in PARTNERS],
                "outcomes": [
                    {
                        "name": f"Outcome {o}",
                        "quantity": 100 + o,
                        "proxy": 250,
                        "proxy_source": "benchmark",
                        "deadweight": 0.2,
                        "attribution": 0.3,
                        "drop_off": 0.1,
                        "years": 3,
                    }
                    for o in range(20)
                ],
            },
        },
        "how": {
            "decisions": {
                "status": "fully",
                "rule": {
                    "kind": "weighted",
                    "weights": {p: 10 + 5 * i for i, p in enumerate(PARTNERS)},
                    "quota": 0.6,
                },
                "log": decisions,
            },
            "review": {"status": "fully", "date": _day(1300)},
        },
    }


def _median_ms(runs: int, call: Any) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Build the agreement, time validation and the check alternately, then loading its file, and print."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--load-runs", type=int, default=3, help="runs of loading the YAML file (slow)")
    args = parser.parse_args()
    data = large_agreement()
    agreement = Agreement.model_validate(data)
    check_agreement(agreement, today=TODAY)  # warm-up: imports and caches
    validate = _median_ms(args.runs, lambda: Agreement.model_validate(data))
    check = _median_ms(args.runs, lambda: check_agreement(agreement, today=TODAY))
    findings = sum(len(part.findings) for part in check_agreement(agreement, today=TODAY).parts)
    print("agreement check: 50 workstreams, 500 tasks, 200 commitments, 100 KPIs x 36 measurements")
    print(f"  validate the models        median {validate:8.1f} ms   (baseline)")
    print(f"  check_agreement (warm)     median {check:8.1f} ms   (goal < 500 ms)  {findings} findings")
    print(f"  ratio                      {check / validate:8.1f} x")
    with tempfile.TemporaryDirectory() as folder:
        yaml_path = Path(folder) / "agreement.yaml"
        yaml_path.write_text(dump_agreement(agreement, comments=False), encoding="utf-8")
        size = yaml_path.stat().st_size / 1024
        load = _median_ms(args.load_runs, lambda: load_agreement(yaml_path))
        print(f"  load_agreement (YAML file) median {load:8.1f} ms   ({size:.0f} KB, {args.load_runs} runs)")
        path = Path(folder) / "agreement.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        cli = Path(sys.executable).with_name("commonground")
        for label, file in (("JSON", path), ("YAML", yaml_path)):
            argv = [
                str(cli),
                "agreement",
                "check",
                str(file),
                "--format",
                "json",
                "--as-of",
                TODAY.isoformat(),
            ]
            start = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, check=False)
            whole = time.perf_counter() - start
            print(
                f"  whole CLI process, {label}   {whole * 1000:8.1f} ms   "
                f"(once; exit {done.returncode}, start-up and loading included)"
            )


if __name__ == "__main__":
    main()
