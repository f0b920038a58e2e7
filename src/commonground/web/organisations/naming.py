"""How organisations are named to people: kinds in words, readable URL slugs, and labels that tell
two organisations of the same name apart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.utils.text import slugify

from commonground.core.profiles import Kind

KIND_WORDS: dict[str, str] = {
    Kind.NONPROFIT.value: "Charity or non-profit",
    Kind.COMPANY.value: "Company",
    Kind.SOCIAL_ENTERPRISE.value: "Social enterprise",
    Kind.PUBLIC_AGENCY.value: "Public agency",
    Kind.FUNDER.value: "Funder",
    Kind.COMMUNITY_GROUP.value: "Community group",
    Kind.OTHER.value: "Other",
}
SLUG_LENGTH = 60
FALLBACK_SLUG = "organisation"


def kind_words(kind: str) -> str:
    """The kind of organisation as a person says it (``community_group`` -> "Community group")."""
    return KIND_WORDS.get(kind, kind.replace("_", " ").capitalize())


def kind_choices() -> list[tuple[str, str]]:
    """Choices for a kind field, in the profile format's order."""
    return [(kind.value, kind_words(kind.value)) for kind in Kind]


def readable_slug(name: str) -> str:
    """A URL slug for ``name`` that a person can read: ASCII when that keeps every letter ("Café" ->
    "cafe"), Unicode letters otherwise ("جمعية الأمل" stays Arabic), never empty."""
    ascii_slug = slugify(name)
    unicode_slug = slugify(name, allow_unicode=True)
    # Transliterating drops letters that have no ASCII form (Arabic, Chinese, Cyrillic...): keep those.
    ascii_letters = sum(ch.isalnum() for ch in ascii_slug)
    unicode_letters = sum(ch.isalnum() for ch in unicode_slug)
    chosen = ascii_slug if ascii_letters >= unicode_letters else unicode_slug
    return chosen[:SLUG_LENGTH].strip("-") or FALLBACK_SLUG


class OrganisationSlugConverter:
    """URL converter ``<org_slug:slug>``: a slug of letters in any script, digits, ``-`` and ``_``."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        """The slug as written in the URL."""
        return value

    def to_url(self, value: str) -> str:
        """The slug as is (Django percent-encodes non-ASCII letters in links)."""
        return value


def descriptor(*, location: str, kind: str) -> str:
    """A short descriptor of an organisation: where it is based, else its kind."""
    return location.strip() or kind_words(kind)


def distinct_labels(rows: Iterable[tuple[int, str, str]]) -> dict[int, str]:
    """``{pk: label}`` for ``(pk, name, descriptor)`` rows: the name alone, or "name (descriptor)" where two
    rows share a name, so people can tell them apart wherever they appear side by side; rows that share
    the descriptor too are numbered in the order they were created."""
    ordered = sorted(rows)
    names = Counter(name.casefold() for _, name, _ in ordered)
    described = Counter((name.casefold(), text.casefold()) for _, name, text in ordered)
    seen: Counter[tuple[str, str]] = Counter()
    labels: dict[int, str] = {}
    for pk, name, text in ordered:
        if names[name.casefold()] == 1:
            labels[pk] = name
            continue
        key = (name.casefold(), text.casefold())
        seen[key] += 1
        labels[pk] = f"{name} ({text}, no. {seen[key]})" if described[key] > 1 else f"{name} ({text})"
    return labels
