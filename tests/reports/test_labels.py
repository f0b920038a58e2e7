"""Words for the reports: the one helper that shortens quoted text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from commonground.reports.labels import truncate


def test_a_quoted_goal_is_cut_between_words() -> None:
    goal = "Cut nitrogen dioxide along the school routes of the borough by half"
    assert truncate(goal, 40) == "Cut nitrogen dioxide along the school…"


def test_one_long_word_is_cut_where_the_room_ends() -> None:
    assert truncate("Supercalifragilisticexpialidocious", 10) == "Supercali…"


def test_text_that_fits_is_only_put_on_one_line() -> None:
    assert truncate("  two\nlines  ", 20) == "two lines"


@given(st.text(), st.integers(min_value=1, max_value=200))
def test_never_longer_than_the_room(text: str, limit: int) -> None:
    shortened = truncate(text, limit)
    assert len(shortened) <= max(limit, 1)
    assert "\n" not in shortened
