"""All-pairs over a directory on disk: the process pool, a Dask cluster and brute force agree."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

from commonground.core.directory import all_pairs_jobs as runner
from commonground.core.directory.all_pairs import Matches, Ranking, sdg_bits
from commonground.core.directory.changes import compact_directory, remove_from_directory, write_directory
from commonground.core.directory.records import Record
from commonground.core.directory.search import brute_force_top_k
from commonground.core.directory.storage import DirectoryError, open_directory

DIM = 24
N = 230
RANKING = Ranking(top=6, pool=6)


def _vectors(n: int) -> np.ndarray:
    rows = np.random.default_rng(11).standard_normal((n, DIM)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _record(i: int) -> Record:
    return Record(
        key=f"k{i:03d}",
        name=f"Org {i:03d}",
        kind="nonprofit",
        source="test",
        country="FR" if i % 4 == 0 else "GB",
        profile={"name": f"Org {i:03d}", "kind": "nonprofit", "mission": "m"},
    )


@pytest.fixture(scope="module")
def directory_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five segments with ten rows removed: the job must skip them on both sides."""
    root = tmp_path_factory.mktemp("all-pairs") / "d"
    vectors = _vectors(N)
    batches = [(vectors[a : a + 50], [_record(i) for i in range(a, min(N, a + 50))]) for a in range(0, N, 50)]
    write_directory(root, engine="test", dim=DIM, batches=iter(batches))
    remove_from_directory(root, [f"k{i:03d}" for i in range(5, 200, 20)])
    return root


def _job(root: Path, masks: list[np.ndarray] | None = None) -> runner.Job:
    directory = open_directory(root)
    live = [s.live if masks is None else s.live & masks[i] for i, s in enumerate(directory.segments)]
    count = sum(int(m.sum()) for m in live)
    return runner.make_job(directory, RANKING, masks, sdg_bits([[]] * count))


def _answers(results: list[Matches]) -> list[list[int]]:
    results.sort(key=lambda m: m.start)
    return np.concatenate([m.rows for m in results]).tolist()


def _brute_force(root: Path, keep: np.ndarray) -> list[list[int]]:
    """Reference on the kept rows, numbered as the job numbers them (in directory order)."""
    vectors = _vectors(N)[keep]
    out = []
    for i, query in enumerate(vectors):
        mask = np.ones(len(vectors), bool)
        mask[i] = False
        out.append(brute_force_top_k(vectors, query, RANKING.top, mask=mask).rows.tolist())
    return out


def _live(root: Path) -> np.ndarray:
    return np.concatenate([s.live for s in open_directory(root).segments])


def test_partitions_cover_every_row_once() -> None:
    parts = runner.partitions(1000, 2)
    assert parts[0][0] == 0
    assert parts[-1][1] == 1000
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))
    assert len(parts) == 2 * runner.PARTS_PER_WORKER
    assert runner.partitions(0, 4) == []


def test_the_process_pool_gives_the_brute_force_answer(directory_path: Path) -> None:
    job = _job(directory_path)
    parts = runner.partitions(job.count, 2)
    pooled = _answers(list(runner.run_local(job, parts, 2)))
    assert pooled == _answers(list(runner.run_local(job, parts, 1)))
    assert pooled == _brute_force(directory_path, _live(directory_path))


def test_filters_keep_rows_on_both_sides(directory_path: Path) -> None:
    directory = open_directory(directory_path)
    masks = [np.array([r.country == "FR" for r in records]) for records in directory.records_by_segment()]
    job = _job(directory_path, masks)
    answers = _answers(list(runner.run_local(job, runner.partitions(job.count, 1), 1)))
    keep = _live(directory_path) & np.concatenate(masks)
    assert len(answers) == int(keep.sum())
    assert answers == _brute_force(directory_path, keep)


def test_a_dask_cluster_gives_the_same_answers_as_the_pool(directory_path: Path) -> None:
    import distributed  # the dask extra: scripts/setup.sh installs it for the tests

    job = _job(directory_path)
    parts = runner.partitions(job.count, 2)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        on_dask = _answers(list(runner.run_dask(job, cluster.scheduler_address)))
    assert on_dask == _answers(list(runner.run_local(job, parts, 2)))


def test_a_failing_dask_worker_is_named_not_a_traceback(
    directory_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import distributed

    def broken(*_: object) -> object:
        raise ValueError("disk full")

    monkeypatch.setattr(runner, "run_partition", broken)
    job = _job(directory_path)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        pytest.raises(runner.SchedulerError, match="a Dask worker failed: ValueError: disk full"),
    ):
        list(runner.run_dask(job, cluster.scheduler_address))


def test_without_the_extra_the_scheduler_option_says_what_to_install(
    directory_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    job = _job(directory_path)
    with pytest.raises(runner.MissingExtra, match=r"commonground\[dask\]"):
        list(runner.run_dask(job, "tcp://127.0.0.1:8786"))


def test_a_directory_changed_under_the_job_is_refused(directory_path: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "d"
    shutil.copytree(directory_path, copy)
    job = _job(copy)
    compact_directory(copy)
    with pytest.raises(DirectoryError, match="changed while all-pairs ran"):
        list(runner.run_local(job, [(0, 10)], 1))
