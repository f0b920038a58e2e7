"""A statement of several sentences: split where a reader would, and read sentence by sentence."""

from __future__ import annotations

import pytest

from commonground.core.assessment import assess
from commonground.core.profiles import Partnership
from commonground.core.results import ConflictKind, ConflictSeverity
from commonground.core.semantics.engines import DEFAULT_ENGINE, get_engine
from commonground.core.semantics.readings import read_statements
from commonground.core.semantics.sectors import read_texts
from commonground.core.semantics.sentences import MAX_SENTENCES, read_by_sentence, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Brews beer. We employ 300 people.", ["Brews beer.", "We employ 300 people."]),
        ("Runs U.K. airlines, e.g. charters.", ["Runs U.K. airlines, e.g. charters."]),
        ("Founded 1998. 40 staff!  Based in Leeds?", ["Founded 1998.", "40 staff!", "Based in Leeds?"]),
        ("我们生产香烟。我们有三百名员工。", ["我们生产香烟。", "我们有三百名员工。"]),
        ('Sells beer. "Craft" is our word.', ["Sells beer.", '"Craft" is our word.']),
        ("One sentence only.", ["One sentence only."]),
        ("Operates the Mt. Hope coal mine.", ["Operates the Mt. Hope coal mine."]),
        ("U.S. Steel supplies us. We employ 3 people.", ["U.S. Steel supplies us.", "We employ 3 people."]),
        (
            "J. R. Smith & Co. Ltd. brews beer. No. 5 in Leeds.",
            ["J. R. Smith & Co. Ltd. brews beer.", "No. 5 in Leeds."],
        ),
        ("", [""]),
    ],
)
def test_a_statement_is_split_at_its_sentence_ends(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_a_long_paragraph_is_read_in_its_first_sentences_only() -> None:
    text = " ".join(f"Sentence number {n}." for n in range(MAX_SENTENCES + 5))
    assert len(split_sentences(text)) == MAX_SENTENCES


def test_a_trade_told_in_either_sentence_puts_the_organisation_in_it() -> None:
    engine = get_engine(DEFAULT_ENGINE)
    trade = "Brews and sells lager and craft beer to pubs across the region."
    texts = [trade, f"{trade} We employ 300 people.", f"Founded in 1998, we are based in Leeds. {trade}"]
    readings = read_by_sentence(texts, engine.embed(texts), engine=engine)
    assert [[m.sector for m in r.sectors] for r in readings] == [["alcohol"]] * 3
    # The reading still quotes and keeps the statement as written.
    assert [r.text for r in readings] == texts


def test_a_statement_of_plain_facts_puts_the_organisation_in_no_sector() -> None:
    engine = get_engine(DEFAULT_ENGINE)
    texts = ["We employ 300 people. The board meets four times a year. Our office is in Lyon."]
    [reading] = read_by_sentence(texts, engine.embed(texts), engine=engine)
    assert reading.sectors == ()
    assert reading.screens == ()


def test_a_sentence_fighting_a_harm_does_not_put_its_organisation_in_it() -> None:
    engine = get_engine(DEFAULT_ENGINE)
    texts = ["Tobacco kills millions of people every year. We run free clinics that help smokers quit."]
    [reading] = read_by_sentence(texts, engine.embed(texts), engine=engine)
    assert "tobacco" not in {m.sector for m in reading.pushes}


def test_a_single_sentence_reads_exactly_as_before() -> None:
    engine = get_engine(DEFAULT_ENGINE)
    texts = ["Operates a chain of betting shops.", "Helps smokers quit."]
    vectors = engine.embed(texts)
    assert read_by_sentence(texts, vectors, engine=engine) == read_texts(texts, vectors, engine=engine)


def test_the_remembered_readings_are_read_by_sentence() -> None:
    engine = get_engine(DEFAULT_ENGINE)
    texts = ["We employ 300 people. Develops and sells patented cancer drugs worldwide."]
    [reading] = read_statements(texts, engine.embed(texts), engine=engine, screens=True)
    assert [m.sector for m in reading.screens] == ["pharmaceuticals"]


def test_a_past_tie_in_another_sentence_does_not_make_a_current_trade_past() -> None:
    maker = {
        "name": "Smokeco",
        "kind": "company",
        "mission": "A manufacturing group.",
        "activities": [
            "We manufacture cigarettes and sell them in 40 countries. "
            "Our old coal mines ceased operating in 1990."
        ],
    }
    charity = {
        "name": "Lung Aid",
        "kind": "nonprofit",
        "mission": "Prevent lung disease.",
        "red_lines": [{"text": "No funding from the tobacco industry", "severity": "absolute"}],
    }
    result = assess(Partnership.model_validate({"name": "p", "partners": [charity, maker]}))
    breaches = [c for c in result.conflicts if c.kind == ConflictKind.RED_LINE]
    assert [c.severity for c in breaches] == [ConflictSeverity.BLOCKER]


def test_a_statement_that_sells_an_industry_does_not_pursue_what_the_industry_works_against() -> None:
    engine = get_engine(DEFAULT_ENGINE)
    texts = ["We help smokers quit. We manufacture cigarettes and sell them in 40 countries."]
    [reading] = read_by_sentence(texts, engine.embed(texts), engine=engine)
    assert [m.sector for m in reading.sectors] == ["tobacco"]
    assert "health" not in {a.area for a in reading.areas}
    assert reading.polarity.role == "for"  # the selling sentence's stance, not the quitting one's
