"""Fixtures of the partnerships tests: a partnership of three for proposals (see proposal_fixtures.py)."""

from __future__ import annotations

from proposal_fixtures import *  # noqa: F403
