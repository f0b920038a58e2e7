"""One way to show each kind of number, whatever page or download shows it."""

from __future__ import annotations

from commonground.reports.labels import data_row_words, field_words, rule_words
from commonground.reports.numbers import decimal_text, delta_text, percent_text, score_text, similarity_text


def test_a_score_is_a_whole_number_rounded_half_up_everywhere() -> None:
    # 26.5 read "26.5" on the assessment page and "27" in the portfolio: now "27" everywhere.
    assert score_text(26.5) == "27"
    assert score_text(46.5) == "47"
    assert score_text(39.0) == "39"
    assert score_text(40.3) == "40"
    assert score_text(0.4) == "0"
    assert score_text(None) == "—"


def test_small_scales_keep_one_decimal_confidences_are_percentages_similarities_two_decimals() -> None:
    assert decimal_text(4.5) == "4.5"
    assert decimal_text(2.0) == "2"
    assert decimal_text(2.25) == "2.3"
    assert percent_text(0.92) == "92%"
    assert percent_text(0.005) == "1%"
    assert similarity_text(0.5712) == "0.57"
    assert similarity_text(0.665) == "0.67"


def test_a_change_of_score_is_the_change_between_the_scores_as_shown() -> None:
    # 26.5 → 39: the pages show 27 and 39, so the change reads +12, not +12.5.
    assert delta_text(26.5, 39.0) == "+12"
    assert delta_text(39.0, 26.5) == "−12"
    assert delta_text(40.1, 40.3) == "0"
    assert delta_text(None, 40.0) == "—"


def test_codes_become_words() -> None:
    assert field_words("goals[4]") == "Goal 5"
    assert field_words("red_lines[0]") == "Red line 1"
    assert field_words("initiatives[2].economic_value") == "Initiative 3, economic value"
    assert field_words("orientation.profit_purpose") == "Profit–purpose position"
    assert field_words("mission") == "Mission"
    assert rule_words("red_line.semantic") == "Red line (by meaning)"
    assert rule_words("sector_map") == "Sensitive-sector data"
    assert rule_words("brand_new.rule_id") == "Brand new rule id"  # no code shown even when new
    assert data_row_words("tobacco->health") == "Tobacco and nicotine against health"
    assert data_row_words("fossil_fuels") == "Fossil fuels (oil, gas, coal)"
    # A red line about a screen names it in words too.
    assert data_row_words("mining") == "Mining and quarrying"
