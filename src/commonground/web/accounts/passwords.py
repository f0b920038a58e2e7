"""A password rule of our own: the words that name this product and its parts are not a password."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# The context-specific words (ASVS 5.0 V6.1.2): the product, and the nouns its pages are made of. The
# longest come first so "partnership" is taken out whole before "partner".
CONTEXT_WORDS = (
    "commonground",
    "partnership",
    "organisation",
    "organization",
    "assessment",
    "stakeholder",
    "agreement",
    "workspace",
    "checkin",
    "partner",
    "common",
    "ground",
)
# What must be left of a password, in letters, once those words are taken out.
MIN_OTHER_LETTERS = 6


class ContextWordsValidator:
    """Refuse a password that is little more than this product's words plus digits or symbols."""

    def validate(self, password: str, user: object = None) -> None:
        """Raise ValidationError when fewer than six letters remain without the context words."""
        letters = "".join(ch for ch in password.casefold() if ch.isalpha())
        for word in CONTEXT_WORDS:
            letters = letters.replace(word, "")
        if len(letters) < MIN_OTHER_LETTERS:
            raise ValidationError(
                "This password is mostly words about Common Ground itself; choose one nobody would guess "
                "from this site.",
                code="password_context_words",
            )

    def get_help_text(self) -> str:
        """The rule, as the sign-up and password pages show it."""
        return "Your password can't be made mostly of this site's own words (such as Common Ground)."
