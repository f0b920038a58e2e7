"""When an assessment was made and from which profile versions, and the names its downloads get.

The engine's result says nothing of either (the same profiles give the same result on any day), so
the caller that ran or stored the assessment passes an :class:`About` to the renderers: the web from
the stored snapshot, the CLI from the files it read and today's date. Every page and download but the
JSON contract shows :attr:`About.line`; :func:`download_name` names the files after the partners and
the date ("meadowgate-supermarkets-and-riverside-food-bank-2026-12-05.html").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MAX_SLUG = 80  # characters of partner names in a file name; the date and suffix come after


@dataclass(frozen=True)
class ProfileUsed:
    """One partner's profile as the assessment used it: a stored version number, or a content hash."""

    name: str
    version: int | None
    fingerprint: str

    @property
    def label(self) -> str:
        """E.g. "Meadowgate Supermarkets, profile version 3" (the hash when there is no version)."""
        if self.version is not None:
            return f"{self.name}, profile version {self.version}"
        return f"{self.name}, profile with content hash {self.fingerprint}"


@dataclass(frozen=True)
class About:
    """The date of an assessment and the profile versions it used."""

    assessed_on: date
    profiles: tuple[ProfileUsed, ...]

    @property
    def date_text(self) -> str:
        """The date as people write it, e.g. "5 December 2026"."""
        return f"{self.assessed_on.day} {self.assessed_on:%B %Y}"

    @property
    def line(self) -> str:
        """One line for the top of a page or download."""
        used = "; ".join(p.label for p in self.profiles)
        return f"Assessed on {self.date_text}" + (f" from these profiles: {used}." if used else ".")


def _slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens; letters outside ASCII are dropped after unaccenting."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def download_name(parties: Sequence[str], assessed_on: date, extension: str, *, what: str = "") -> str:
    """A file name that says what the file is: the partners, the date, what it is, the extension."""
    slugs = [s for s in (_slug(p) for p in parties) if s]
    names = "-and-".join(slugs)[:MAX_SLUG].strip("-") or "partnership"
    suffix = f"-{_slug(what)}" if what else ""
    return f"{names}-{assessed_on.isoformat()}{suffix}.{extension}"
