"""Countries as a directory stores them: an importer's country cell kept as a code, or dropped with a warning.

A directory keeps each organisation's country as an assigned ISO 3166-1 alpha-2 code, upper-cased
("GB", "KE"), as ``core/countries.py`` reads it, so that ``--country GB`` and the page's country filter
find every organisation in Great Britain whatever its source wrote ("gb", " GB ", "UK"). Anything else
("GBR", "United Kingdom", "ZZ") is not a code: importers keep the organisation without a country and
warn, naming the row; filters refuse it.
"""

from __future__ import annotations

from commonground.core.countries import country_code, not_a_code


def imported_country(text: str | None) -> tuple[str | None, tuple[str, ...]]:
    """An importer's country cell as stored: the code (or None), and a warning when one was dropped."""
    if text is None or not text.strip():
        return None, ()
    code = country_code(text)
    if code is not None:
        return code, ()
    return None, (f"{not_a_code(text)}; kept without a country, so country filters leave it out",)
