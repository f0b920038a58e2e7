"""Common Ground: see where partner organisations meet and clash."""

from __future__ import annotations

__version__ = "0.1.0"
