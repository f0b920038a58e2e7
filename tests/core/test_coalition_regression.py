"""Coalitions past 20 partners change nothing for 20 or fewer, and the process pool answers as in order.

``tests/data/results/coalition_baseline.json`` holds the sha256 of ``commonground assess --format json``
on the examples as it printed them before coalitions grew past 20 partners. The same runs today, less
the new ``coalition`` key, must hash the same. A change to the engine's own judgement moves them on
purpose: then run this module with ``COMMONGROUND_UPDATE_BASELINE=1`` set to regenerate them,
and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from commonground.core import pair_runs
from commonground.core.assessment import assess, assess_profiles
from commonground.core.loading import load_inputs
from commonground.core.pair_runs import run_pairs

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "tests" / "data" / "results" / "coalition_baseline.json"
CASES = json.loads(BASELINE.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_examples_print_the_same_json_as_before(case: str) -> None:
    partnership = load_inputs([ROOT / "examples" / f for f in CASES[case]["files"]])
    result = assess(partnership, workers=2)
    text = result.model_dump_json(indent=2, exclude={"coalition"}) + "\n"
    digest = hashlib.sha256(text.encode()).hexdigest()
    if os.environ.get("COMMONGROUND_UPDATE_BASELINE"):
        data = json.loads(BASELINE.read_text(encoding="utf-8"))
        data["cases"][case]["sha256"] = digest
        BASELINE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    assert digest == CASES[case]["sha256"] or os.environ.get("COMMONGROUND_UPDATE_BASELINE"), (
        f"{case}: the JSON differs from before coalitions grew (see this module's docstring)"
    )
    assert (result.coalition is None) == (len(result.parties) == 2)


def test_the_pool_gives_the_same_pairs_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [ROOT / "examples" / f for f in CASES["all7"]["files"]]
    profiles = load_inputs(files).partners
    monkeypatch.setattr(pair_runs, "POOL_MIN_PAIRS", 1)
    pooled = assess_profiles(profiles, workers=2)
    serial = assess_profiles(profiles, workers=1)
    assert pooled.model_dump_json() == serial.model_dump_json()


def test_run_pairs_keeps_combinations_order_across_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pair_runs, "POOL_MIN_PAIRS", 1)

    def job(i: int, j: int) -> tuple[int, int, int]:
        return (i, j, os.getpid())

    pooled = run_pairs(12, job, workers=2)
    pids = sorted({pid for _, _, pid in pooled})
    assert [(i, j) for i, j, _ in pooled] == [(i, j) for i in range(12) for j in range(i + 1, 12)]
    assert len(pids) > 1  # the work really left this process
    assert [(i, j) for i, j, _ in run_pairs(12, job)] == [(i, j) for i, j, _ in pooled]
