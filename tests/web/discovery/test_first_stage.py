"""Which first stage ranks the find-partners page: its search line, its log and its cache token."""

from __future__ import annotations

import pytest

from commonground.core.directory import approximate
from commonground.core.directory.discovery import Discovery, Filters
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
