"""The word lexicons are curated data with a version that every result records."""

from __future__ import annotations

from commonground.core.assessment import assess
from commonground.core.interactions import GOAL_RULES_VERSION
from commonground.core.profiles import Partnership
from commonground.core.semantics.cues import LEXICON_VERSION, lexicon_groups, lexicon_words, load_lexicon
from commonground.core.semantics.exits import EXITS_VERSION
from commonground.core.semantics.line_names import LINE_NAMES_VERSION
from commonground.core.semantics.measure_domains import MEASURE_DOMAINS_VERSION
from commonground.core.semantics.measures import MEASURES_VERSION
from commonground.core.semantics.overseers import OVERSEERS_VERSION
from commonground.core.semantics.polarity import polarity
from commonground.core.semantics.price_lines import PRICE_LINES_VERSION
from commonground.core.semantics.product_claims import PRODUCT_CLAIMS_VERSION
from commonground.core.semantics.product_use import PRODUCT_USE_VERSION
from commonground.core.semantics.sector_kinds import SECTOR_KINDS_VERSION
from commonground.core.semantics.sentences import SENTENCES_VERSION
from commonground.core.semantics.supplies import SUPPLIES_VERSION
from commonground.core.semantics.voice import VOICE_VERSION


def test_every_section_of_the_lexicon_has_entries_and_the_file_a_version() -> None:
    document = load_lexicon()
    assert str(document["version"]) == LEXICON_VERSION
    for section, value in document.items():
        if section == "version":
            continue
        assert value, f"lexicon section {section!r} is empty"
    assert "sell" in lexicon_words("positive")
    assert "quit" in lexicon_words("negative")
    assert set(lexicon_groups("role_names")) == {"maker", "seller", "financier", "funder"}


def test_the_lexicon_is_what_the_stance_rules_read() -> None:
    # A word only the data file names decides the stance: the rules have no list of their own.
    assert "divest" in lexicon_words("negative")
    assert polarity("Divest the pension fund from tobacco").role == "against"


def test_a_result_records_the_lexicon_and_measure_vocabulary_versions() -> None:
    partners = [
        {"name": "A", "kind": "nonprofit", "mission": "Feed people."},
        {"name": "B", "kind": "company", "mission": "Sell groceries."},
    ]
    result = assess(Partnership.model_validate({"name": "p", "partners": partners}))
    versions = f"{LEXICON_VERSION}+measures.{MEASURES_VERSION}+sentences.{SENTENCES_VERSION}"
    assert result.engine.rules_version == (
        f"{versions}+voice.{VOICE_VERSION}+exits.{EXITS_VERSION}+measure-domains.{MEASURE_DOMAINS_VERSION}"
        f"+sector-kinds.{SECTOR_KINDS_VERSION}+overseers.{OVERSEERS_VERSION}"
        f"+product-use.{PRODUCT_USE_VERSION}+price-lines.{PRICE_LINES_VERSION}+line-names.{LINE_NAMES_VERSION}"
        f"+product-claims.{PRODUCT_CLAIMS_VERSION}+supplies.{SUPPLIES_VERSION}+goals.{GOAL_RULES_VERSION}"
    )
