"""Demo data for a first look: three organisations with example profiles, their accounts, a partnership
with a signed agreement and half a year of its records."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from commonground.core.loading import parse_profile
from commonground.web.access import Role
from commonground.web.accounts.services import email_mark_verified
from commonground.web.agreements.demo import demo_agreement_load
from commonground.web.checkins.demo import demo_checkins_load
from commonground.web.conflicts.demo import demo_conflicts_load
from commonground.web.networks.demo import demo_network_load
from commonground.web.organisations import services
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.demo import demo_partnership_load

DEMO_PROFILES = Path(__file__).resolve().parent / "demo_profiles"
# Slug prefix and name of each demo organisation that gets its own admin account.
DEMO_ORGANISATION_ADMINS = (
    ("bright-start", "Bright Start Child Health Trust"),
    ("meadowgate", "Meadowgate Supermarkets"),
    ("riverside", "Riverside Community Food Bank"),
)


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
        DemoAccount("demo", secrets.token_urlsafe(12), "owner of the three demo organisations"),
        DemoAccount("demo-viewer", secrets.token_urlsafe(12), "viewer of Riverside Community Food Bank"),
        *(
            DemoAccount(f"demo-{short}", secrets.token_urlsafe(12), f"admin of {name}")
            for short, name in DEMO_ORGANISATION_ADMINS
        ),
    ]
    with transaction.atomic():
        owner = User.objects.create_user(
            username="demo", email="demo@example.org", password=accounts[0].password
        )
        viewer = User.objects.create_user(
            username="demo-viewer", email="demo-viewer@example.org", password=accounts[1].password
        )
        # Demo addresses (example.org) receive no mail: they count as verified so invitations find them.
        for user in (owner, viewer):
            email_mark_verified(user=user)
        created = []
        for path in sorted(DEMO_PROFILES.glob("*.yaml")):
            profile = parse_profile(path.read_text(encoding="utf-8"), source=path.name)
            created.append(services.organisation_create(user=owner, profile=profile))
        riverside = next(org for org in created if org.name.startswith("Riverside"))
        Membership.objects.create(user=viewer, organisation=riverside, role=Role.VIEWER)
        admins = {}
        for account, (short, _) in zip(accounts[2:], DEMO_ORGANISATION_ADMINS, strict=True):
            admins[short] = admin = User.objects.create_user(
                username=account.username, email=f"{account.username}@example.org", password=account.password
            )
            organisation = next(org for org in created if org.slug.startswith(short))
            Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
            email_mark_verified(user=admin)
        # A partnership with a real tension (child health × a supermarket selling sweets), assessed once.
        partnership = demo_partnership_load(
            user=owner,
            charity=next(org for org in created if org.slug.startswith("bright-start")),
            supermarket=next(org for org in created if org.slug.startswith("meadowgate")),
        )
        # Its agreement, signed, with the charity's red line in a clause the supermarket finds tight.
        demo_agreement_load(
            partnership=partnership, charity_admin=admins["bright-start"], shop_admin=admins["meadowgate"]
        )
        # Its conflict log: one issue escalated to mediation (with the facilitator's note), one resolved.
        facilitator = demo_conflicts_load(
            partnership=partnership, charity_admin=admins["bright-start"], shop_admin=admins["meadowgate"]
        )
        accounts.append(DemoAccount(facilitator.username, facilitator.password, facilitator.description))
        # A year of monthly check-ins: Meadowgate's voice in decisions drifting down, a gap on fairness.
        demo_checkins_load(
            partnership=partnership,
            charity=next(org for org in created if org.slug.startswith("bright-start")),
            shop=next(org for org in created if org.slug.startswith("meadowgate")),
        )
        # A coalition of 30 organisations around the food bank, with two network survey rounds.
        demo_network_load(food_bank=riverside)
    return accounts
