"""A stated price under a sector's line: a credit union lending at 12.7% APR is no payday lender.

Predatory lending is defined by its price: payday and other high-cost short-term loans. The
sectors' classifier reads lending words ("loans", "emergency credit", "people with poor credit")
and placed "A community bank offering low-cost emergency loans at 10% APR" (0.55) and "Credit
union offering loans capped at 12.7% APR" (0.44) in it, so both crossed red lines against payday
lenders. A text whose every percentage is a stated annual rate at or under the sector's line in
``data/price_lines.yaml`` (36% APR), or that offers interest-free loans, is never placed in that
sector by :func:`sectors.read_texts`. Read as before: a text stating no rate, one naming the
sector's own products ("payday", "doorstep lender", "Sofortkredit"), one with fees, a rate per day,
week or month or a cap beside the rate, and interest-free loans as a teaser ("your first loan").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from commonground.core.semantics.cues import load_word_file, word_list

__all__ = ["PRICE_LINES_VERSION", "under_the_line"]

PRICE_LINES_VERSION: str = str(load_word_file("price_lines.yaml")["version"])
# A percentage: "12.7%", "12,7 %", and thousands however grouped ("1,294%", "1.294 %", "1 000 %":
# groups of three digits after the first, no decimals after them).
_PERCENT = re.compile(r"(\d{1,3}(?:[,. \u00a0\u202f]\d{3})+(?![.,]\d)|\d+(?:[.,]\d+)?)\s?%")
_THOUSANDS = re.compile(r"\d{1,3}(?:[,. \u00a0\u202f]\d{3})+")
_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")
_NEAR = 2  # words at most between a percentage and the word that makes it an annual rate


@dataclass(frozen=True)
class _Line:
    at_most: float
    rate_words: frozenset[str]
    interest_free: tuple[str, ...]
    own_names: tuple[str, ...]
    not_the_price: frozenset[str]
    teasers: frozenset[str]


@lru_cache(maxsize=1)
def _load() -> dict[str, _Line]:
    raw = load_word_file("price_lines.yaml")["sectors"]
    return {
        sector: _Line(
            float(spec["at_most"]),
            word_list(spec["rate_words"]),
            tuple(p.lower() for p in spec["interest_free"]),
            tuple(p.lower() for p in spec["own_names"]),
            word_list(spec["not_the_price"]),
            word_list(spec["teasers"]),
        )
        for sector, spec in raw.items()
    }


def _value(number: str) -> float:
    if _THOUSANDS.fullmatch(number):
        return float(re.sub(r"\D", "", number))
    return float(number.replace(",", "."))


def _percentages(text: str, rate_words: frozenset[str]) -> list[tuple[float, bool]]:
    """Each percentage of a text and whether a rate word stands within _NEAR words of it."""
    lowered = text.lower()
    out: list[tuple[float, bool]] = []
    for match in _PERCENT.finditer(lowered):
        before = _WORD.findall(lowered[: match.start()])[-_NEAR - 2 :]
        after = _WORD.findall(lowered[match.end() :])[:_NEAR]
        out.append((_value(match.group(1)), bool(set(before) & rate_words or set(after) & rate_words)))
    return out


def _says(lowered: str, phrase: str) -> bool:
    """Whether a phrase stands as whole words: "a 20% interest in" does not say "0% interest"."""
    words, wanted = _WORD.findall(lowered), _WORD.findall(phrase)
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


@lru_cache(maxsize=4096)
def under_the_line(text: str) -> frozenset[str]:
    """The sectors whose price line a text's stated rates, or its interest-free loans, are under."""
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    out: set[str] = set()
    for sector, line in _load().items():
        if any(_says(lowered, name) for name in line.own_names) or words & line.not_the_price:
            continue
        found = _percentages(text, line.rate_words)
        # Every percentage must be a stated annual rate: "35% APR plus a 20% arrangement fee".
        if any(not is_rate and value > 0 for value, is_rate in found):
            continue
        rates = [value for value, _ in found]
        free = not (words & line.teasers) and any(_says(lowered, p) for p in line.interest_free)
        if (rates and max(rates) <= line.at_most) or (free and not rates):
            out.add(sector)
    return frozenset(out)
