"""Security finding F7: sign-in lock-out per address across usernames (password spraying), beside the
lock-out per username and address (test_account_flows.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _sign_in(client: Client, username: str, password: str) -> int:
    response = client.post(reverse("accounts:sign_in"), {"username": username, "password": password})
    return int(response.status_code)


def test_forty_usernames_from_one_address_are_throttled(make_user: Any) -> None:
    make_user("alice", password=PASSWORD)
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    limit = settings.ADDRESS_FAILURE_LIMIT
    assert limit < 40
    # Halfway, the sprayer signs in to an account of their own: that must not reset the address's count.
    answers = [_sign_in(sprayer, f"user{i}", "Summer2026!") for i in range(limit // 2)]
    assert _sign_in(sprayer, "alice", PASSWORD) == 302
    fresh = Client(REMOTE_ADDR="203.0.113.7")  # a new session changes nothing either
    answers += [_sign_in(fresh, f"user{i}", "Summer2026!") for i in range(limit // 2, 40)]
    assert len(answers) == 40
    assert answers[: limit - 1] == [200] * (limit - 1)  # the form again, with its error
    assert answers[limit - 1 :] == [429] * (40 - limit + 1)
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.7"), "alice", PASSWORD) == 429
    # Other addresses are not affected.
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.2"), "alice", PASSWORD) == 302


def test_a_few_typos_from_a_shared_address_lock_no_one_else(make_user: Any) -> None:
    make_user("alice", password=PASSWORD)
    office = "192.0.2.10"
    for name in ("bob", "carol", "dan"):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert _sign_in(Client(REMOTE_ADDR=office), name, "typo") == 200
    assert _sign_in(Client(REMOTE_ADDR=office), "alice", PASSWORD) == 302
