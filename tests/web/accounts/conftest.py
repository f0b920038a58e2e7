"""Fixtures for the accounts tests: a person with a real password, with and without an authenticator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from mfa_steps import PASSWORD


@pytest.fixture
def pia(make_user: Callable[..., Any]) -> Any:
    """A person with a real password (and a verified address), no two-factor sign-in yet."""
    return make_user("pia", email="pia@example.org", password=PASSWORD)


@pytest.fixture
def pia_device(pia: Any, with_mfa: Callable[[Any], Any]) -> Any:
    """Pia's confirmed authenticator: two-factor sign-in is on."""
    return with_mfa(pia)
