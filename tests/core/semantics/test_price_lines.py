"""A stated price under a sector's line: lending at 12.7% APR is not payday lending."""

from __future__ import annotations

import pytest

from commonground.core.semantics.price_lines import PRICE_LINES_VERSION, under_the_line


def test_the_word_file_has_a_version() -> None:
    assert PRICE_LINES_VERSION.startswith("20")


@pytest.mark.parametrize(
    "text",
    [
        "Credit union offering loans capped at 12.7% APR",
        "A community bank offering emergency loans with an APR of 10%",
        "Offers 0% interest loans to families in debt",
        "Offers interest-free loans to families in debt",
        "Prêts personnels à un TAEG de 8,5 %",
        "Préstamos con una TAE del 9 %",
        "Microcréditos sin intereses para mujeres emprendedoras",
        "Kredite zu einem effektiven Jahreszins von 7,9 %",
        "Zinslose Darlehen für Familien in Not",
    ],
)
def test_a_rate_under_the_line_or_no_interest_is_under_it(text: str) -> None:
    assert under_the_line(text) == {"predatory_lending"}


@pytest.mark.parametrize(
    "text",
    [
        "Payday lender charging 1,200% APR",
        "Short-term loans at 49.9% APR for people with poor credit",
        "Payday loans with a representative APR of 1,294%",
        # One rate above the line is enough.
        "Lends at 12.7% APR but charges fees that push the cost above 300% APR",
        # A percentage that is no rate: growth, a stake.
        "We grew our loan book by 20% last year",
        "We hold a 20% interest in a consumer lender",
        # The sector's own products named: read as before, whatever the price.
        "Payday lender offering interest-free first loans",
        "Payday lender charging 35% APR",
        # No price stated.
        "Offers short-term loans to people turned down by banks",
        # Review of price lines 2026.1: fees, rates per period, teasers, thousands, other percentages.
        "Doorstep lender at 35% APR plus fees",
        "Kurzzeitkredite mit einem Zinssatz von 1 % pro Tag",
        "Short-term loans of £100 to £1,000 paid out in minutes; your first loan is interest-free",
        "Kurzkredite mit einem effektiven Jahreszins von 1.294 %",
        "Prêts à la consommation au TAEG de 1 000 %",
        "Quick loans at 35% APR plus a 20% arrangement fee",
        "We lobby against the 36% APR cap on consumer loans",
        "Sofortkredit bis 500 Euro, Sollzins 9,9 % plus 99 € Expressgebühr",
    ],
)
def test_a_rate_over_the_line_a_stake_or_the_sectors_own_products_are_not(text: str) -> None:
    assert under_the_line(text) == frozenset()
