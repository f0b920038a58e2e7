"""docs/methods.md quotes each threshold the agreement methods use; changing one must update it."""

from __future__ import annotations

from pathlib import Path

from commonground.core.agreement.commitments import DUE_SOON_DAYS
from commonground.core.agreement.decisions import POWER_GAP
from commonground.core.agreement.equity import EQUITY_FLAG
from commonground.core.agreement.power import MAX_PARTNERS
from commonground.core.agreement.roles import MANY_CONSULTED, MOST_OF_THE_WORK
from commonground.core.agreement.what import Kpi

METHODS = (Path(__file__).resolve().parents[3] / "docs" / "methods.md").read_text(encoding="utf-8")


def test_methods_quotes_the_roles_thresholds() -> None:
    assert f"**{MANY_CONSULTED}** Consulted on one task (`MANY_CONSULTED`)" in METHODS
    assert MOST_OF_THE_WORK == 0.5
    assert "more than **half** of all tasks (`MOST_OF_THE_WORK`" in METHODS


def test_methods_quotes_the_due_soon_window_power_gap_and_equity_flag() -> None:
    assert f"within **{DUE_SOON_DAYS}** days\n(`DUE_SOON_DAYS`" in METHODS
    assert f"more than **{POWER_GAP:.2f}** (`POWER_GAP`)" in METHODS
    assert f"Above **{EQUITY_FLAG:.2f}** (`EQUITY_FLAG`)" in METHODS
    assert f"for up to **{MAX_PARTNERS}** partners (`MAX_PARTNERS`" in METHODS


def test_methods_quotes_the_default_kpi_bands() -> None:
    fields = Kpi.model_fields
    assert (fields["on_track_at"].default, fields["at_risk_at"].default) == (0.9, 0.75)
    assert "**On track** at progress ≥ 0.9, **at risk**\n≥ 0.75" in METHODS
