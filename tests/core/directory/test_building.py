"""What a directory row records about an organisation (core/directory/building.py)."""

from __future__ import annotations

import pytest

from commonground.core.directory.building import read_batch
from commonground.core.directory.records import Entry
from commonground.core.profiles import Profile
from commonground.core.semantics.engines import get_engine


def _entry(name: str, kind: str, activity: str) -> Entry:
    profile = Profile.model_validate(
        {"name": name, "kind": kind, "mission": "Keep the public safe", "activities": [{"text": activity}]}
    )
    return Entry(profile=profile, source="test")


@pytest.mark.slow
def test_a_row_records_the_sectors_its_kind_can_be_in() -> None:
    # A state prison service is not a private-prison operator, whose sector is running them for
    # profit; a company that runs prisons is, and discovery marks it for a seeker who rules it out.
    _, records = read_batch(
        [
            _entry("State Prison Service", "public_agency", "Runs seven prisons"),
            _entry("Custody Ltd", "company", "Runs seven prisons"),
        ],
        get_engine(),
    )
    assert [r.sectors for r in records] == [[], ["private_prisons"]]
