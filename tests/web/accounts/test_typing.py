"""The typed account model is the one Django authenticates with."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from commonground.web.accounts.typing import User


def test_the_typed_user_is_the_account_model() -> None:
    # Services and selectors are typed with ``User``; a custom AUTH_USER_MODEL would make that a lie.
    assert get_user_model() is User
