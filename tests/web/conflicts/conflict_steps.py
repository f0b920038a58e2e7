"""Steps on the conflict log that tests take through the services, at the entry's current version."""

from __future__ import annotations

from typing import Any

from commonground.core.alignment.escalation import Escalation
from commonground.web.conflicts import services
from commonground.web.conflicts.models import ConflictEntry
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import PartnershipAccess, partnership_access_for


def access_of(user: Any, partnership: Partnership) -> PartnershipAccess:
    """The user's access to the partnership."""
    return partnership_access_for(user=user, partnership_id=partnership.pk)


def raise_issue(
    user: Any, partnership: Partnership, organisation: Organisation, **fields: Any
) -> ConflictEntry:
    """Raise an issue through the service, with sensible defaults."""
    values = {
        "title": "Fruit missing at the tills",
        "description": "Five of twelve stores have no fruit at the tills.",
        "category": "resources", "severity": "medium", **fields,
    }  # fmt: skip
    return services.conflict_raise(
        access=access_of(user, partnership), user=user, organisation_id=organisation.pk, **values
    )


def acknowledge(user: Any, entry: ConflictEntry, **fields: Any) -> None:
    """Acknowledge as ``user`` at the entry's current version."""
    entry.refresh_from_db()
    services.conflict_acknowledge(
        access=access_of(user, entry.partnership), user=user, entry=entry, expected_version=entry.version,
        **fields,
    )  # fmt: skip


def propose(
    user: Any, entry: ConflictEntry, text: str = "Meadow stocks fruit at all twelve tills by May."
) -> None:
    """Propose a resolution as ``user`` at the entry's current version."""
    entry.refresh_from_db()
    services.conflict_propose(
        access=access_of(user, entry.partnership), user=user, entry=entry, expected_version=entry.version,
        resolution=text,
    )  # fmt: skip


def answer(user: Any, entry: ConflictEntry, *, accept: bool, reason: str = "") -> Escalation | None:
    """Answer the resolution on the table as ``user`` at the entry's current version."""
    entry.refresh_from_db()
    return services.conflict_answer(
        access=access_of(user, entry.partnership), user=user, entry=entry, expected_version=entry.version,
        accept=accept, reason=reason,
    )  # fmt: skip
