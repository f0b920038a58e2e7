"""Fixtures for the conflict log: an issue Harbor's ``member`` raised with Meadow (steps: conflict_steps.py).

Personas (tests/web/conftest.py, partnership_personas.py): Harbor has ``owner``, ``org_admin``,
``member``, ``viewer``; Meadow has ``partner_owner`` and ``partner_admin``; ``facilitator`` facilitates.
"""

from __future__ import annotations

from typing import Any

import pytest
from conflict_steps import raise_issue

from commonground.web.conflicts.models import ConflictEntry
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership


@pytest.fixture
def entry(
    member: Any, partnership: Partnership, organisation: Organisation, partner_admin: Any
) -> ConflictEntry:
    """A medium issue Harbor's member raised (Meadow's admin in place to answer it)."""
    return raise_issue(member, partnership, organisation)
