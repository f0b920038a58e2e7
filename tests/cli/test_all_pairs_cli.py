"""``commonground discover --all-pairs``: the JSON Lines contract, filters, the atomic file, Dask."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result

from commonground.cli import cli
from commonground.core.directory import all_pairs_jobs
from commonground.core.directory.changes import write_directory
from commonground.core.directory.records import Record
from commonground.core.directory.search import brute_force_top_k

DIM = 16
N = 90


def run(*args: str | Path | int) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _vectors() -> np.ndarray:
    rows = np.random.default_rng(21).standard_normal((N, DIM)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _record(i: int) -> Record:
    return Record(
        key=f"k{i:02d}",
        name=f"Org {i:02d}",
        kind="company" if i % 3 == 0 else "nonprofit",
        source="test",
        country="GB",
        sdgs=[2, 3] if i % 2 else [13],
        profile={"name": f"Org {i:02d}", "kind": "nonprofit", "mission": "m"},
    )


@pytest.fixture(scope="module")
def directory_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("all-pairs-cli") / "d"
    vectors = _vectors()
    batches = iter([(vectors[a : a + 30], [_record(i) for i in range(a, a + 30)]) for a in range(0, N, 30)])
    write_directory(root, engine="test", dim=DIM, batches=batches)
    return root


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_line_per_organisation_with_its_best_matches(directory_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pairs.jsonl"
    result = run("discover", "--all-pairs", "-d", directory_path, "--top", "5", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"{out}: {N} organisations, best 5 matches each" in result.stderr
    lines = _lines(out)
    assert [line["key"] for line in lines] == [f"k{i:02d}" for i in range(N)]
    vectors = _vectors()
    for i, line in enumerate(lines):
        matches = line["matches"]
        assert [m["rank"] for m in matches] == [1, 2, 3, 4, 5]
        assert line["key"] not in {m["key"] for m in matches}
        assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
        # Within the fast stage's pool (top × 4 by similarity) each shared SDG adds 0.02.
        mask = np.ones(N, bool)
        mask[i] = False
        pool = {f"k{r:02d}" for r in brute_force_top_k(vectors, vectors[i], 20, mask=mask).rows}
        assert {m["key"] for m in matches} <= pool
        for m in matches:
            other = int(m["key"][1:])
            assert m["similarity"] == pytest.approx(float(vectors[i] @ vectors[other]), abs=1e-4)
            assert m["shared_sdgs"] == sorted(set(_record(i).sdgs) & set(_record(other).sdgs))
            assert m["score"] == pytest.approx(m["similarity"] + 0.02 * len(m["shared_sdgs"]), abs=2e-4)


def test_the_pool_and_one_process_write_the_same_file(directory_path: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("discover", "--all-pairs", "-d", directory_path, "--jobs", "1", "-o", one).exit_code == 0
    assert run("discover", "--all-pairs", "-d", directory_path, "--jobs", "2", "-o", two).exit_code == 0
    assert one.read_bytes() == two.read_bytes()
    assert len(_lines(one)[0]["matches"]) == 20  # the default --top


def test_filters_keep_organisations_on_both_sides(directory_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "companies.jsonl"
    result = run("discover", "--all-pairs", "-d", directory_path, "--kind", "company", "--top", 40, "-o", out)
    assert result.exit_code == 0, result.output
    lines = _lines(out)
    companies = {f"k{i:02d}" for i in range(0, N, 3)}
    assert {line["key"] for line in lines} == companies
    assert all({m["key"] for m in line["matches"]} <= companies for line in lines)
    assert all(len(line["matches"]) == len(companies) - 1 for line in lines)  # all the others, not 40


def test_an_interrupted_run_leaves_the_earlier_file_whole(
    directory_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pairs.jsonl"
    out.write_text("the earlier run\n", encoding="utf-8")
    real = all_pairs_jobs.run_local

    def stopped_half_way(*args: Any, **kwargs: Any) -> Any:
        results = real(*args, **kwargs)
        yield next(results)
        raise KeyboardInterrupt

    monkeypatch.setattr(all_pairs_jobs, "run_local", stopped_half_way)
    result = run("discover", "--all-pairs", "-d", directory_path, "--jobs", "1", "-o", out)
    assert result.exit_code != 0
    assert out.read_text(encoding="utf-8") == "the earlier run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.jsonl"]  # no temporary file left


def test_a_local_dask_cluster_writes_the_same_file(directory_path: Path, tmp_path: Path) -> None:
    import distributed  # the dask extra: scripts/setup.sh installs it for the tests

    local, on_dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert run("discover", "--all-pairs", "-d", directory_path, "--jobs", "2", "-o", local).exit_code == 0
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        result = run(
            "discover", "--all-pairs", "-d", directory_path, "--scheduler", cluster.scheduler_address,
            "-o", on_dask,
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "on the Dask cluster at" in result.stderr
    assert on_dask.read_bytes() == local.read_bytes()


def test_without_the_dask_extra_scheduler_exits_2_naming_it(
    directory_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    out = tmp_path / "pairs.jsonl"
    address = "tcp://10.0.0.1:8786"
    result = run("discover", "--all-pairs", "-d", directory_path, "--scheduler", address, "-o", out)
    assert result.exit_code == 2
    assert "pip install 'commonground[dask]'" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--all-pairs",), "give --output FILE"),
        (("--all-pairs", "-o", "x.jsonl", "profile.yaml"), "give no PROFILE"),
        (("--all-pairs", "-o", "x.jsonl", "--format", "json"), "does not take --format"),
        (("--all-pairs", "-o", "x.jsonl", "--jobs", "2", "--scheduler", "tcp://10.0.0.9:1"), "--jobs sets"),
        (("--all-pairs", "-o", "x.jsonl", "--explain", "Org 01"), "does not take --explain"),
        (("--all-pairs", "-o", "x.jsonl", "--approximate"), "always exact: it does not take --approximate"),
        (("--all-pairs", "-o", "x.jsonl", "--expansion", "99"), "it does not take --approximate"),
        (("--jobs", "2", "-o", "x.jsonl"), "go with --all-pairs"),
        ((), "give a PROFILE"),
    ],
)
def test_options_that_do_not_go_together_exit_2(
    directory_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run("discover", "-d", directory_path, *args)
    assert result.exit_code == 2
    assert message in result.stderr
