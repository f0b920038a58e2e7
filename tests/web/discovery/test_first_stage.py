"""Which first stage ranks the find-partners page: its search line, its log and its cache token."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from commonground.core.directory import approximate
from commonground.core.directory.discovery import Discovery, Filters
from commonground.core.directory.storage import Directory
from commonground.web.discovery import first_stage


def strict_line(considered: int, directory_count: int) -> str:
    found = Discovery(considered=considered, search_fallback=approximate.STRICT_FILTER)
    filters = Filters(countries=frozenset({"GB"}))
    return first_stage.search_line(found, exact_why="", filters=filters, directory_count=directory_count)


@pytest.mark.parametrize(
    ("considered", "shown"),
    [
        (4951, "just under 50%"),
        (4999, "just under 50%"),
        (4950, "just under 50%"),
        (4949, "49%"),
        (2100, "21%"),
    ],
)
def test_a_share_under_the_cut_off_never_reads_as_the_cut_off(considered: int, shown: str) -> None:
    assert considered / 10_000 < approximate.STRICT_BELOW
    assert strict_line(considered, 10_000) == (
        f"Exact search: the country filter keeps {shown} of the directory, too few for the approximate index."
    )


def test_an_unusable_index_is_warned_about_once_per_directory_and_state_then_logged_at_debug(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    monkeypatch.setattr(first_stage, "_warned", set())
    one, two = (cast(Directory, SimpleNamespace(path=tmp_path / name)) for name in ("one", "two"))

    def not_installed(directory: Directory) -> Any:
        raise approximate.ApproximateNotInstalled("the approximate index needs usearch: pip install …")

    monkeypatch.setattr(first_stage, "open_index", not_installed)
    with caplog.at_level(logging.DEBUG, logger="commonground.web.discovery.first_stage"):
        for _ in range(3):  # three uncached rankings of each
            assert first_stage.open_stage(one, "stale")[0] is None
            assert first_stage.open_stage(one, "unreadable")[0] is None
            assert first_stage.open_stage(two, "stale")[0] is None
            assert first_stage.open_stage(one, "fresh:graph-1.usearch")[0] is None
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"find partners searches exactly: the approximate index of {tmp_path / 'one'} is out of date; "
        "rebuild it with `commonground directory index`",
        f"find partners searches exactly: the approximate index of {tmp_path / 'one'} is unreadable; "
        "rebuild it with `commonground directory index`",
        f"find partners searches exactly: the approximate index of {tmp_path / 'two'} is out of date; "
        "rebuild it with `commonground directory index`",
        "find partners searches exactly: the approximate index needs usearch: pip install …",
    ]
    # The repeats are still there for whoever turns on debug logging.
    assert sum(r.levelno == logging.DEBUG for r in caplog.records) == 8


def _directory_with_index(root: Path) -> Directory:
    """A directory stand-in (its folder and manifest) beside the metadata of an up-to-date index."""
    manifest = {"engine": "test", "dimension": 4, "segments": ["seg-1"], "tombstones": {}, "count": 3}
    info = approximate.IndexInfo(
        approximate.fingerprint(manifest), 3, "index-hnsw-0123456789ab.usearch", 16, 128
    )
    root.mkdir()
    (root / approximate.META).write_text(json.dumps(info.as_json()), encoding="utf-8")
    return cast(Directory, SimpleNamespace(path=root, manifest=manifest))


def test_the_stage_token_reads_the_index_metadata_once_so_a_file_corrupted_meanwhile_is_no_500(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings.DISCOVERY_APPROXIMATE = True
    directory = _directory_with_index(tmp_path / "orgs")
    assert first_stage.stage_token(directory) == "fresh:index-hnsw-0123456789ab.usearch"
    reads = []
    read_info = approximate.read_info

    def corrupted_after_the_first_read(root: Path) -> approximate.IndexInfo | None:
        reads.append(root)
        info = read_info(root)
        (root / approximate.META).write_text("{not json", encoding="utf-8")  # the race: corrupt after reading
        return info

    monkeypatch.setattr(approximate, "read_info", corrupted_after_the_first_read)
    assert first_stage.stage_token(directory) == "fresh:index-hnsw-0123456789ab.usearch"
    assert len(reads) == 1
    # Corrupt from the start: the state is "unreadable" and the page searches exactly.
    assert first_stage.stage_token(directory) == "unreadable"
    assert first_stage.open_stage(directory, "unreadable") == (None, first_stage.EXACT_WHY["unreadable"])


def test_the_stage_token_tells_none_stale_and_off(settings: Any, tmp_path: Path) -> None:
    settings.DISCOVERY_APPROXIMATE = True
    directory = _directory_with_index(tmp_path / "orgs")
    changed = cast(
        Directory, SimpleNamespace(path=directory.path, manifest={**directory.manifest, "count": 2})
    )
    assert first_stage.stage_token(changed) == "stale"
    (directory.path / approximate.META).unlink()
    assert first_stage.stage_token(directory) == "none"
    settings.DISCOVERY_APPROXIMATE = False
    assert first_stage.stage_token(directory) == first_stage.OFF
