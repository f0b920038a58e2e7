"""Kinds within a sector that red lines single out (core/semantics/sector_kinds.py)."""

from __future__ import annotations

import pytest

from commonground.core.semantics.sector_kinds import kinds_named, line_kinds, outside_named_kinds


@pytest.mark.parametrize(
    ("text", "sector", "kinds"),
    [
        ("A bank that finances oil and gas pipelines", "fossil_fuels", {"oil", "gas"}),
        ("We extract bitumen from the oil sands of Alberta", "fossil_fuels", {"tar_sands"}),
        ("Betreibt zwei Braunkohlekraftwerke in der Lausitz", "fossil_fuels", {"coal"}),
        ("Finance des centrales à charbon et des gazoducs", "fossil_fuels", {"coal", "gas"}),
        # A kind's word inside a phrase that names something else is not that kind.
        ("We cut the greenhouse gas emissions of our coal plants", "fossil_fuels", {"coal"}),
        ("Refines palm oil for food makers", "fossil_fuels", set()),
        ("Opens a copper and cobalt mine", "mining", {"metals"}),
        ("Builds cluster bombs and landmines", "weapons", {"cluster_munitions", "landmines"}),
    ],
)
def test_the_kinds_a_text_names_are_read_in_four_languages(text: str, sector: str, kinds: set[str]) -> None:
    assert kinds_named(text, sector) == kinds


def test_a_red_line_naming_a_kind_covers_kinds_within_it_and_one_naming_the_sector_is_not_narrowed() -> None:
    assert line_kinds("No money from banks that finance oil", "fossil_fuels") == {"oil", "tar_sands"}
    assert line_kinds("No makers of controversial weapons", "weapons") >= {"nuclear", "cluster_munitions"}
    assert line_kinds("No fossil fuel companies, especially coal", "fossil_fuels") == set()
    assert line_kinds("No fossil fuel companies", "fossil_fuels") == set()


def test_a_partner_is_outside_a_narrowed_red_line_only_when_it_names_kinds_and_none_is_named_by_it() -> None:
    line = "banks that finance coal"
    assert outside_named_kinds(line, "fossil_fuels", ["Finances oil and gas pipelines"]) == {"oil", "gas"}
    # One text naming coal is enough to keep the partner in; naming no kind says nothing.
    both = ["Finances gas pipelines", "Lends to coal miners"]
    assert outside_named_kinds(line, "fossil_fuels", both) is None
    assert outside_named_kinds(line, "fossil_fuels", ["An energy company"]) is None
    # Tar sands are oil: a red line on oil is crossed by them.
    assert outside_named_kinds("no oil companies", "fossil_fuels", ["Mines the oil sands"]) is None
