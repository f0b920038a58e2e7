"""``commonground discover --all-pairs``: every organisation's best matches, as JSON Lines.

One line per organisation of the directory (those the filters keep), in directory order::

    {"key": ..., "name": ..., "matches": [{"rank": 1, "key": ..., "name": ..., "score": ...,
     "similarity": ..., "shared_sdgs": [...]}, ...]}

The ranking is discovery's fast stage for each organisation as the seeker (see
``core/directory/all_pairs.py``); the lines go to a temporary file that replaces ``--output`` only
when every organisation is written.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
import numpy as np

if TYPE_CHECKING:
    from commonground.core.directory.all_pairs import Matches
    from commonground.core.directory.discovery import Filters
    from commonground.core.directory.records import RecordSummary


def _line(record: RecordSummary, matches: Matches, i: int, kept: list[RecordSummary]) -> str:
    own = set(record.sdgs)
    out = []
    for rank, (row, score, similarity) in enumerate(
        zip(matches.rows[i].tolist(), matches.score[i].tolist(), matches.similarity[i].tolist(), strict=True),
        start=1,
    ):
        if row < 0:
            break
        other = kept[row]
        out.append(
            {
                "rank": rank,
                "key": other.key,
                "name": other.name,
                "score": round(score, 4),
                "similarity": round(similarity, 4),
                "shared_sdgs": sorted(own & set(other.sdgs)),
            }
        )
    return json.dumps({"key": record.key, "name": record.name, "matches": out}, ensure_ascii=False)


def check_all_pairs(
    profile: Path | None,
    all_pairs: bool,
    output: Path | None,
    shortlist: int | None,
    explain: str | None,
    fmt: str,
) -> None:
    """--all-pairs takes no PROFILE and writes JSON Lines to --output; --jobs and --scheduler need it."""
    from commonground.cli import InputError

    if not all_pairs:
        raise InputError("--jobs and --scheduler go with --all-pairs")
    if profile is not None:
        raise InputError("--all-pairs ranks every organisation of the directory: give no PROFILE")
    if output is None:
        raise InputError("--all-pairs writes JSON Lines to a file: give --output FILE")
    given = [name for name, value in (("--shortlist", shortlist), ("--explain", explain)) if value]
    if fmt != "text":
        given.append("--format")
    if given:
        raise InputError(f"--all-pairs does not take {', '.join(given)} (it writes JSON Lines)")


def write_all_pairs(
    target: Path, output: Path, *, top: int, jobs: int | None, scheduler: str | None, filters: Filters
) -> None:
    """Rank every kept organisation of the directory at ``target`` against the others into ``output``."""
    from commonground.cli import InputError
    from commonground.coalition_cli import PairOptionError, pair_lines
    from commonground.core.directory import all_pairs_jobs as runner
    from commonground.core.directory.all_pairs import Ranking, sdg_bits
    from commonground.core.directory.discovery import FAST_POOL, SDG_BONUS, SDG_BONUS_CAP, filter_masks
    from commonground.core.directory.storage import open_directory
    from commonground.directory_cli import _directory_errors, _progress

    workers = jobs or os.cpu_count() or 1
    with _directory_errors():
        directory = open_directory(target)
        masks = filter_masks(directory, filters)
        kept = [
            records[row]
            for s, (segment, records) in enumerate(
                zip(directory.segments, directory.summaries_by_segment(), strict=True)
            )
            for row in np.flatnonzero(segment.live if masks is None else segment.live & masks[s]).tolist()
        ]
        ranking = Ranking(top=top, pool=top * FAST_POOL, sdg_bonus=SDG_BONUS, sdg_cap=SDG_BONUS_CAP)
        job = runner.make_job(directory, ranking, masks, sdg_bits([r.sdgs for r in kept]))
    started = time.perf_counter()
    try:
        with (
            _directory_errors(),
            pair_lines(output, option="--output") as write,
            _progress(job.count, "Ranking organisations") as advance,
        ):
            assert write is not None
            parts = runner.partitions(job.count, workers)
            results = runner.run_dask(job, scheduler) if scheduler else runner.run_local(job, parts, workers)
            # Partitions finish in any order; lines are written in directory order.
            waiting: dict[int, Matches] = {}
            at = 0
            for matches in results:
                waiting[matches.start] = matches
                advance(len(matches.rows))
                while at in waiting:
                    done = waiting.pop(at)
                    for i in range(len(done.rows)):
                        write(_line(kept[at + i], done, i, kept))
                    at += len(done.rows)
    except (PairOptionError, runner.MissingExtra, runner.SchedulerError) as exc:
        raise InputError(str(exc)) from exc
    seconds = max(time.perf_counter() - started, 1e-9)
    where = f"on the Dask cluster at {scheduler}" if scheduler else f"on {workers} process(es)"
    click.echo(
        f"{output}: {job.count} organisations, best {top} matches each, in {seconds:.1f} s "
        f"({job.count / seconds:.1f} organisations/s) {where}",
        err=True,
    )
