"""The error partnership writes raise when the rules do not allow them; a stale save raises
``records.StaleEditError`` (re-exported by the package), as every versioned write does."""

from __future__ import annotations


class PartnershipError(Exception):
    """A write the rules do not allow; the message is shown to the user."""
