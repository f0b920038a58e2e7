"""When an assessment was made and from which profile versions, and the names its downloads get.

The engine's result says nothing of either (the same profiles give the same result on any day), so
the caller that ran or stored the assessment passes an :class:`About` to the renderers: the web from
the stored snapshot, the CLI from the files it read and today's date. Every page and download but the
JSON contract shows :attr:`About.line`; :func:`download_name` names the files after the partners and
the date ("meadowgate-supermarkets-and-riverside-food-bank-2026-12-05.html").

Up to :data:`LISTED_UP_TO` profiles the line names each one; a coalition of 200 would make it a
paragraph of hashes, so above that it gives their count and one :attr:`About.combined_hash`, and the
text and HTML reports list every profile at their end (the web's page under the line; the API's
assessment JSON keeps each profile's version and hash).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MAX_SLUG = 80  # characters of partner names in a file name; the date and suffix come after
# Profiles the line names one by one; above this, their count and one combined hash.
LISTED_UP_TO = 5


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
    def listed_in_full(self) -> bool:
        """Whether :attr:`line` names every profile (else the report lists them at its end)."""
        return len(self.profiles) <= LISTED_UP_TO

    @property
    def combined_hash(self) -> str:
        """One hash for the set of profiles: the SHA-256 of their content hashes, sorted and one a line,
        cut to 16 hex digits like each profile's own (the same set gives the same hash in any order)."""
        lines = "\n".join(sorted(p.fingerprint for p in self.profiles))
        return hashlib.sha256(lines.encode()).hexdigest()[:16]

    @property
    def line(self) -> str:
        """One line for the top of a page or download, readable for 2 profiles and for 200."""
        if not self.profiles:
            return f"Assessed on {self.date_text}."
        if self.listed_in_full:
            used = "; ".join(p.label for p in self.profiles)
            return f"Assessed on {self.date_text} from these profiles: {used}."
        return (
            f"Assessed on {self.date_text} from {len(self.profiles)} profiles "
            f"(combined content hash {self.combined_hash})."
        )


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
