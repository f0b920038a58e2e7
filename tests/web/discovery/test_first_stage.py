"""Which first stage ranks the find-partners page: its search line, its log and its cache token."""

from __future__ import annotations

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
