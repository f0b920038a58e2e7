"""Which first stage ranks the find-partners page, and the one quiet line that says which ran and why.

The directory's approximate index (a usearch HNSW graph, built by ``commonground directory index``;
``core/directory/approximate.py``) proposes the candidates when it is up to date, usearch (the
optional extra ``commonground[approximate]``) is installed and the site has not switched it off
(``COMMONGROUND_DIRECTORY_APPROXIMATE``). As with ``discover --approximate``, a filter keeping under
half the directory, or one that leaves too few of the graph's candidates, is answered by the exact
search. Anything else runs the exact search too, which is always right, only slower: unlike the CLI
(where someone asked for the fast mode and exits 2 without it), the page never refuses a ranking for
want of an index. A stale, unreadable or uninstalled index is logged for the site's administrators:
a warning the first time per directory and state in a process, debug after that.
"""

from __future__ import annotations

import logging

from django.conf import settings

from commonground.core.directory.approximate import (
    FEW_CANDIDATES,
    STRICT_BELOW,
    STRICT_FILTER,
    ApproximateIndex,
    ApproximateNotInstalled,
    IndexUnavailable,
    index_state_and_info,
    open_index,
)
from commonground.core.directory.discovery import Discovery, Filters
from commonground.core.directory.storage import Directory
from commonground.reports.numbers import percent_text

logger = logging.getLogger(__name__)

OFF = "off"
# Why the exact search ran without the index (after "Exact search: "), by the index's state.
EXACT_WHY: dict[str, str] = {
    OFF: "approximate search is switched off on this site",
    "none": "this directory has no approximate index",
    "stale": "the directory changed after its approximate index was built",
    "unreadable": "the directory's approximate index could not be used",
    "not installed": "approximate search is not installed on this server",
}
APPROXIMATE_LINE = (
    "Approximate search: the directory's index proposed the closest organisations quickly; "
    "it can miss a rare close match."
)


def stage_token(directory: Directory) -> str:
    """What decides the first stage, for the ranking's cache key: the setting and the index's build."""
    if not settings.DISCOVERY_APPROXIMATE:
        return OFF
    # One read of the metadata decides both the state and the build: read twice, a rebuild or a
    # corrupted file between the reads would raise out of the second (a 500) or mix two builds.
    state, info = index_state_and_info(directory)
    # Each build names its graph afresh, so a rebuilt index is a new ranking.
    return f"fresh:{info.file}" if state == "fresh" and info is not None else state


def open_stage(directory: Directory, stage: str) -> tuple[ApproximateIndex | None, str]:
    """The index to rank with (``stage`` from ``stage_token``), or None and why the exact search runs."""
    if not stage.startswith("fresh:"):
        if stage in ("stale", "unreadable"):
            _log_exact(
                directory,
                stage,
                "the approximate index of %s is %s; rebuild it with `commonground directory index`",
                directory.path,
                "out of date" if stage == "stale" else "unreadable",
            )
        return None, EXACT_WHY.get(stage, EXACT_WHY["unreadable"])
    try:
        return open_index(directory), ""
    except ApproximateNotInstalled as exc:
        _log_exact(directory, "not installed", "%s", exc)
        return None, EXACT_WHY["not installed"]
    except IndexUnavailable as exc:
        _log_exact(directory, "unreadable", "%s", exc)
        return None, EXACT_WHY["unreadable"]


# (directory path, state) already warned about in this process: every uncached ranking meets the same
# state until someone rebuilds the index or installs usearch, and one warning says it.
_warned: set[tuple[str, str]] = set()


def _log_exact(directory: Directory, state: str, message: str, *args: object) -> None:
    """Log why the exact search runs: a warning the first time per directory and state, then debug."""
    key = (str(directory.path), state)
    level = logging.DEBUG if key in _warned else logging.WARNING
    _warned.add(key)
    logger.log(level, "find partners searches exactly: " + message, *args)


def _filters_keep(filters: Filters) -> str:
    named = [
        name
        for name, chosen in (("country", filters.countries), ("kind", filters.kinds), ("SDG", filters.sdgs))
        if chosen
    ]
    return f"the {named[0]} filter keeps" if len(named) == 1 else "the filters keep"


def _share_text(share: float) -> str:
    """A share under ``STRICT_BELOW`` as a percentage that never reads as the cut-off or above it."""
    if 0 < share < 0.005:
        return "under 1%"
    shown, cut_off = percent_text(share), percent_text(STRICT_BELOW)
    # Rounded half up, 0.4996 would read "50%" next to "too few", when the cut-off is "under 50%".
    return f"just under {cut_off}" if shown == cut_off else shown


def search_line(found: Discovery, *, exact_why: str, filters: Filters, directory_count: int) -> str:
    """Which search ranked the directory and why, e.g. "Exact search: the country filter keeps 3% …"."""
    if found.search_mode == "approximate":
        return APPROXIMATE_LINE
    if found.search_fallback == STRICT_FILTER:
        share = found.considered / max(directory_count, 1)
        shown = _share_text(share)
        keep = f"{_filters_keep(filters)} {shown} of the directory"
        return f"Exact search: {keep}, too few for the approximate index."
    if found.search_fallback == FEW_CANDIDATES:
        return "Exact search: too few of the approximate index's nearest organisations pass the filters."
    return f"Exact search: {exact_why or EXACT_WHY['unreadable']}."
