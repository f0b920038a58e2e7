"""A stated price under a sector's line: a credit union lending at 12.7% APR is no payday lender.

Predatory lending is defined by its price: payday and other high-cost short-term loans. The
sectors' classifier reads lending words ("loans", "emergency credit", "people with poor credit")
and placed "A community bank offering low-cost emergency loans at 10% APR" (0.55) and "Credit
union offering loans capped at 12.7% APR" (0.44) in it, so both crossed red lines against payday
lenders. A text that states an annual rate at or under the sector's line in ``data/price_lines.yaml``
(36% APR) and none above it, or says its loans are interest-free, is never placed in that sector by
:func:`sectors.read_texts`. A text stating no rate is read as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from commonground.core.semantics.cues import load_word_file, word_list

__all__ = ["PRICE_LINES_VERSION", "stated_rates", "under_the_line"]

PRICE_LINES_VERSION: str = str(load_word_file("price_lines.yaml")["version"])
# A percentage: "12.7%", "12,7 %", "1,200%" (thousands with a comma before three digits).
_PERCENT = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:[.,]\d+)?)\s?%")
_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")
_NEAR = 2  # words at most between a percentage and the word that makes it an annual rate


@dataclass(frozen=True)
class _Line:
    at_most: float
    rate_words: frozenset[str]
    interest_free: tuple[str, ...]
    own_names: tuple[str, ...]


@lru_cache(maxsize=1)
def _load() -> dict[str, _Line]:
    raw = load_word_file("price_lines.yaml")["sectors"]
    return {
        sector: _Line(
            float(spec["at_most"]),
            word_list(spec["rate_words"]),
            tuple(p.lower() for p in spec["interest_free"]),
            tuple(p.lower() for p in spec["own_names"]),
        )
        for sector, spec in raw.items()
    }


def _value(number: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", number):
        return float(number.replace(",", ""))
    return float(number.replace(",", "."))


def stated_rates(text: str, rate_words: frozenset[str]) -> list[float]:
    """The annual rates a text states: each percentage with a rate word close before or after it."""
    lowered = text.lower()
    rates: list[float] = []
    for match in _PERCENT.finditer(lowered):
        before = _WORD.findall(lowered[: match.start()])[-_NEAR - 2 :]
        after = _WORD.findall(lowered[match.end() :])[:_NEAR]
        if set(before) & rate_words or set(after) & rate_words:
            rates.append(_value(match.group(1)))
    return rates


def _says(lowered: str, phrase: str) -> bool:
    """Whether a phrase stands as whole words: "a 20% interest in" does not say "0% interest"."""
    words, wanted = _WORD.findall(lowered), _WORD.findall(phrase)
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


@lru_cache(maxsize=4096)
def under_the_line(text: str) -> frozenset[str]:
    """The sectors whose price line a text's stated rates, or its interest-free loans, are under."""
    lowered = text.lower()
    out: set[str] = set()
    for sector, line in _load().items():
        if any(_says(lowered, name) for name in line.own_names):
            continue
        rates = stated_rates(text, line.rate_words)
        free = any(_says(lowered, phrase) for phrase in line.interest_free)
        if (rates and max(rates) <= line.at_most) or (free and not rates):
            out.add(sector)
    return frozenset(out)
