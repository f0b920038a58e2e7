"""Demo data for a first look: two organisations with example profiles and two demo accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from commonground.core.loading import parse_profile
from commonground.web.access import Role
from commonground.web.organisations import services
from commonground.web.organisations.models import Membership, Organisation

DEMO_PROFILES = Path(__file__).resolve().parent / "demo_profiles"


@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in, printed once so nobody has to guess a shared password."""

    username: str
    password: str
    description: str


def database_is_empty() -> bool:
    """No accounts and no organisations yet."""
    return not get_user_model().objects.exists() and not Organisation.objects.exists()


def demo_load() -> list[DemoAccount] | None:
    """Load the demo into an empty database and return its accounts; None (no change) if not empty."""
    if not database_is_empty():
        return None
    User = get_user_model()
    accounts = [
        DemoAccount("demo", secrets.token_urlsafe(12), "owner of both demo organisations"),
        DemoAccount("demo-viewer", secrets.token_urlsafe(12), "viewer of Riverside Community Food Bank"),
    ]
    with transaction.atomic():
        owner = User.objects.create_user(
            username="demo", email="demo@example.org", password=accounts[0].password
        )
        viewer = User.objects.create_user(
            username="demo-viewer", email="demo-viewer@example.org", password=accounts[1].password
        )
        created = []
        for path in sorted(DEMO_PROFILES.glob("*.yaml")):
            profile = parse_profile(path.read_text(encoding="utf-8"), source=path.name)
            created.append(services.organisation_create(user=owner, profile=profile))
        riverside = next(org for org in created if org.name.startswith("Riverside"))
        Membership.objects.create(user=viewer, organisation=riverside, role=Role.VIEWER)
    return accounts
