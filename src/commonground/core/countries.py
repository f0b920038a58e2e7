"""Country codes: ISO 3166-1 alpha-2, checked against the list of codes ISO has assigned.

A profile's ``country``, a directory's stored country, ``discover --country`` and the find-partners
page's country filter all take a code as :func:`country_code` reads it: two ASCII letters in any case
and spacing ("gb", " GB "), upper-cased, that ISO 3166-1 has assigned (``data/iso3166-alpha2.txt``,
249 codes). "UK", which ISO reserves for the United Kingdom but never assigned, is read as "GB", so
that a filter on GB finds a source that wrote UK. Anything else is not a country: "GBR" and "United
Kingdom" are not codes, "ZZ" and "EU" are codes no country has; :func:`not_a_code` says which.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_SHAPE = re.compile(r"[A-Za-z]{2}")  # ASCII only: "ß".upper() is "SS", which is no country
# Codes people write for a country whose assigned code is another: ISO 3166 reserves "UK" for the
# United Kingdom (at its request), whose code is GB.
ALIASES: dict[str, str] = {"UK": "GB"}
DATA_FILE = "iso3166-alpha2.txt"


@cache
def country_names() -> dict[str, str]:
    """Every assigned ISO 3166-1 alpha-2 code with its usual English name, from the shipped list."""
    text = resources.files("commonground.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    rows = (line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {code: name for code, name in rows}


def country_code(text: str) -> str | None:
    """``text`` as an assigned two-letter country code, upper-cased ("UK" as "GB"), or None."""
    stripped = text.strip()
    if not _SHAPE.fullmatch(stripped):
        return None
    code = ALIASES.get(stripped.upper(), stripped.upper())
    return code if code in country_names() else None


def code_problem(text: str) -> str:
    """Why ``text`` is not a country code, naming it: not two letters, or two letters no country has."""
    stripped = text.strip()
    if _SHAPE.fullmatch(stripped):
        return (
            f"{stripped!r} is two letters but no country's ISO 3166-1 alpha-2 code (codes are like GB or KE)"
        )
    return f"{stripped!r} is not a two-letter country code (ISO 3166-1 alpha-2, e.g. GB or KE)"


def not_a_code(text: str) -> str:
    """:func:`code_problem` in the words of importers and filters: "country 'GBR' is not …"."""
    return f"country {code_problem(text)}"
