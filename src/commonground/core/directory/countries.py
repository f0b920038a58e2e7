"""Country codes: what a directory stores and filters by, and what the find-partners page accepts.

A directory keeps each organisation's country as an ISO 3166-1 alpha-2 code, upper-cased ("GB",
"KE"), so that ``--country GB`` and the page's country filter find every organisation in Great
Britain whatever its source wrote ("gb", " GB "). Anything else ("GBR", "United Kingdom") is not a
code: importers keep the organisation without a country and warn, naming the row; filters refuse it.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"[A-Za-z]{2}")  # ASCII only: "ß".upper() is "SS", which is no country


def country_code(text: str) -> str | None:
    """``text`` as a two-letter country code, upper-cased, or None when it is not one."""
    stripped = text.strip()
    return stripped.upper() if _CODE.fullmatch(stripped) else None


def not_a_code(text: str) -> str:
    """Why ``text`` is not kept as a country, in the words importers and filters use."""
    return f"country {text.strip()!r} is not a two-letter country code (ISO 3166-1 alpha-2, e.g. GB or KE)"


def imported_country(text: str | None) -> tuple[str | None, tuple[str, ...]]:
    """An importer's country cell as stored: the code (or None), and a warning when one was dropped."""
    if text is None or not text.strip():
        return None, ()
    code = country_code(text)
    if code is not None:
        return code, ()
    return None, (f"{not_a_code(text)}; kept without a country, so country filters leave it out",)
