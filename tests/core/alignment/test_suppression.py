"""The anonymity rules on the cases a partnership manager would try by hand."""

from __future__ import annotations

from commonground.core.alignment.models import ALL
from commonground.core.alignment.suppression import FEWER, PROTECTS, decide


def _shown(counts: dict[tuple[str, str], int], *, roles: bool = False) -> dict[tuple[str, str], int]:
    return {key: d.n for key, d in decide(counts, roles=roles).items() if d.released}


def test_a_small_partner_is_hidden_and_its_next_smallest_sibling_too() -> None:
    decisions = decide({("A", ""): 12, ("B", ""): 6, ("C", ""): 2}, roles=False)
    assert decisions[("C", ALL)].reason == FEWER
    # Showing A and B beside the total would give C by subtraction: B (the smaller) goes too.
    assert decisions[("B", ALL)].reason == PROTECTS
    assert decisions[(ALL, ALL)].released
    assert decisions[("A", ALL)].released


def test_nested_counts_differing_by_one_to_four_are_never_both_shown() -> None:
    # All 12 and partner A of 9: the other 3 would be their difference.
    shown = _shown({("A", ""): 9, ("B", ""): 2, ("C", ""): 1})
    assert shown == {(ALL, ALL): 12}


def test_two_organisations_of_three_people_get_the_pooled_figure_only() -> None:
    assert _shown({("A", ""): 3, ("B", ""): 3}) == {(ALL, ALL): 6}


def test_everyone_shown_when_every_group_is_large_enough() -> None:
    assert _shown({("A", ""): 8, ("B", ""): 6}) == {(ALL, ALL): 14, ("A", ALL): 8, ("B", ALL): 6}


def test_roles_are_a_second_dimension_with_the_same_protection() -> None:
    counts = {("A", "lead"): 6, ("A", "staff"): 3, ("B", "lead"): 7, ("B", "staff"): 8}
    decisions = decide(counts, roles=True)
    assert decisions[("A", "staff")].reason == FEWER
    shown = {key for key, d in decisions.items() if d.released}
    # A's staff cell of 3 cannot come back from A's total minus A's leads, nor from the staff total.
    assert not {("A", ALL), ("A", "lead")} <= shown
    assert not {(ALL, "staff"), ("B", "staff")} <= shown
    assert (ALL, ALL) in shown


def test_a_single_small_group_hides_everything() -> None:
    assert _shown({("A", ""): 4}) == {}
