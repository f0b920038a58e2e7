"""Shared fixtures for web tests: personas, their signed-in clients, and a stand-in SDG suggester.

Personas around one organisation (``organisation``, "Harbor Health Alliance"):
``owner``, ``org_admin``, ``member``, ``viewer`` are members with those roles; ``outsider`` owns
another organisation (``other_organisation``) and has no membership in the first; ``anonymous_client``
is not signed in. Each persona has a ``<persona>_client`` signed in as that user, and
``client_for(user)`` signs in anyone else. Every persona's email is verified (``make_user(...,
verified=False)`` for one that is not). Users get no usable password (hashing with Argon2 is
deliberately slow); tests that sign in through the form call ``make_user(..., password=...)``.

The SDG suggester is replaced by ``fake_sdg_suggester`` in every test unless the test is marked
``@pytest.mark.real_sdgs`` (which loads the embedding model).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonground.core.profiles import Profile
from commonground.web.access import Role
from commonground.web.accounts.services import email_mark_verified
from commonground.web.organisations import services, suggestions
from commonground.web.organisations.models import Membership, Organisation

HARBOR = {
    "name": "Harbor Health Alliance",
    "kind": "nonprofit",
    "mission": "Improve the health of families in the harbour district.",
    "sector": "Public health",
    "values": [{"name": "Health equity", "weight": 5}, {"name": "Openness"}],
    "goals": [
        {
            "id": "obesity",
            "text": "Halve childhood obesity in the county by 2030",
            "priority": "high",
            "sdgs": [3],
        },
        {"text": "Every school serves a healthy lunch"},
    ],
    "activities": [{"text": "Runs school nutrition programmes"}],
    "red_lines": [{"text": "No funding from the tobacco industry", "severity": "absolute"}],
    "stakeholders": [
        {"name": "Parents", "power": 2, "interest": 5, "legitimacy": True, "stance": "supportive"}
    ],
    "orientation": {"profit_purpose": 0.1},
    "culture": {"clan": 40, "adhocracy": 20, "market": 15, "hierarchy": 25},
}


def pytest_configure(config: pytest.Config) -> None:
    """Register the web suite's markers."""
    config.addinivalue_line("markers", "real_sdgs: use the real SDG suggester (loads the embedding model)")


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """Create a user with a verified email (unless ``verified=False``); ``password=None`` (the default)
    leaves the password unusable, which skips slow hashing."""

    def make(
        username: str,
        *,
        email: str | None = None,
        password: str | None = None,
        verified: bool = True,
        **extra: Any,
    ) -> Any:
        user = get_user_model().objects.create_user(
            username=username, email=email or f"{username}@example.org", password=password, **extra
        )
        if verified:
            email_mark_verified(user=user)
        return user

    return make


@pytest.fixture
def with_mfa(db: None) -> Callable[[Any], Any]:
    """Give a user a confirmed authenticator (two-factor sign-in on); returns the device, whose ``key``
    computes codes with ``django_otp.oath.totp``."""

    def add(user: Any) -> Any:
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)

    return add


@pytest.fixture
def harbor_profile() -> Profile:
    """The profile the ``organisation`` fixture starts with (every part filled in)."""
    return Profile.model_validate(HARBOR)


@pytest.fixture
def owner(make_user: Callable[..., Any]) -> Any:
    """Owner of ``organisation``."""
    return make_user("olivia-owner")


@pytest.fixture
def organisation(owner: Any, harbor_profile: Profile) -> Organisation:
    """Harbor Health Alliance, created by ``owner`` through the service (so it has one history entry)."""
    return services.organisation_create(user=owner, profile=harbor_profile)


def _join(make_user: Callable[..., Any], organisation: Organisation, username: str, role: Role) -> Any:
    user = make_user(username)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def org_admin(make_user: Callable[..., Any], organisation: Organisation) -> Any:
    """Admin of ``organisation`` (named so as not to clash with pytest-django's ``admin_user``)."""
    return _join(make_user, organisation, "adam-admin", Role.ADMIN)


@pytest.fixture
def member(make_user: Callable[..., Any], organisation: Organisation) -> Any:
    """Member (may edit profile content) of ``organisation``."""
    return _join(make_user, organisation, "mia-member", Role.MEMBER)


@pytest.fixture
def viewer(make_user: Callable[..., Any], organisation: Organisation) -> Any:
    """Viewer (read-only) of ``organisation``."""
    return _join(make_user, organisation, "victor-viewer", Role.VIEWER)


@pytest.fixture
def outsider(make_user: Callable[..., Any]) -> Any:
    """A signed-up user with no membership in ``organisation``."""
    return make_user("oscar-outsider")


@pytest.fixture
def other_organisation(outsider: Any) -> Organisation:
    """An organisation owned by ``outsider``."""
    profile = Profile.model_validate({"name": "Outer Ventures", "kind": "company", "mission": "Sell things."})
    return services.organisation_create(user=outsider, profile=profile)


@pytest.fixture
def client_for(db: None) -> Callable[[Any], Client]:
    """A test client signed in as the given user."""

    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def owner_client(client_for: Callable[[Any], Client], owner: Any) -> Client:
    """Signed in as ``owner``."""
    return client_for(owner)


@pytest.fixture
def org_admin_client(client_for: Callable[[Any], Client], org_admin: Any) -> Client:
    """Signed in as ``org_admin``."""
    return client_for(org_admin)


@pytest.fixture
def member_client(client_for: Callable[[Any], Client], member: Any) -> Client:
    """Signed in as ``member``."""
    return client_for(member)


@pytest.fixture
def viewer_client(client_for: Callable[[Any], Client], viewer: Any) -> Client:
    """Signed in as ``viewer``."""
    return client_for(viewer)


@pytest.fixture
def outsider_client(
    client_for: Callable[[Any], Client], outsider: Any, other_organisation: Organisation
) -> Client:
    """Signed in as ``outsider`` (who owns ``other_organisation``)."""
    return client_for(outsider)


@pytest.fixture
def anonymous_client(db: None) -> Client:
    """Not signed in."""
    return Client()


def fake_suggest_sdgs(text: str) -> list[suggestions.SdgSuggestion]:
    """Deterministic stand-in: 'health' -> SDG 3, 'climate' -> 13, else nothing."""
    found = []
    if "health" in text.lower() or "obesity" in text.lower():
        found.append(suggestions.SdgSuggestion(number=3, title="Good health and well-being", confidence=0.9))
    if "climate" in text.lower():
        found.append(suggestions.SdgSuggestion(number=13, title="Climate action", confidence=0.8))
    return found


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache, so what it renders and the queries it counts are its own."""
    cache.clear()


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still Argon2, with small cost parameters so tests that hash passwords stay fast."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    monkeypatch.setattr(Argon2PasswordHasher, "time_cost", 1)
    monkeypatch.setattr(Argon2PasswordHasher, "memory_cost", 256)
    monkeypatch.setattr(Argon2PasswordHasher, "parallelism", 1)


@pytest.fixture(autouse=True)
def fake_sdg_suggester(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the model-backed suggester unless the test is marked ``real_sdgs``."""
    if request.node.get_closest_marker("real_sdgs") is None:
        monkeypatch.setattr(suggestions, "suggest_sdgs", fake_suggest_sdgs)
        monkeypatch.setattr(
            suggestions, "suggest_sdgs_many", lambda texts: [fake_suggest_sdgs(text) for text in texts]
        )


# Personas around a partnership (partnerships, assessments, the URL walk): see partnership_personas.py;
# a network survey round of it and its answers (the network survey's and the API's tests): network_rounds.py.
from network_rounds import *  # noqa: E402, F403
from partnership_personas import *  # noqa: E402, F403
