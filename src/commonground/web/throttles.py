"""Limits on how often an action may run for one key (an account, an email address) within a window.

The site sends mail to addresses people type: password resets, verification links after an email
change or a sign-up, invitations. Without limits it is a mail cannon aimed at someone's inbox, from
our own sender (security review F6). Each limit counts in Django's cache under a key that hashes what it
counts (no addresses in the cache), for a fixed window that starts with the first hit.

The count is as shared as the cache: with the default local-memory cache it is per server process
(``commonground serve`` runs one process with threads, which share it); several processes each count
their own, so a limit there is ``limit × processes``, until ``COMMONGROUND_CACHE_BACKEND`` names a
shared cache (Redis, or Django's database cache), which every process then counts in.

To add a limit: a ``Limit`` below, and ``throttle_take((LIMIT, key), ...)`` where the action runs.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache

from commonground.web.audit import security_event


@dataclass(frozen=True)
class Limit:
    """At most ``count`` actions of ``name`` per key within ``seconds``."""

    name: str
    count: int
    seconds: int


HOUR = 60 * 60
# Password-reset mails to one address.
PASSWORD_RESET_PER_ADDRESS = Limit("password-reset-address", 3, HOUR)
# Verification links (sign-up, email change, "send it again") to one address, and email changes of one
# account.
VERIFICATION_PER_ADDRESS = Limit("verification-address", 3, HOUR)
EMAIL_CHANGE_PER_ACCOUNT = Limit("email-change-account", 5, HOUR)
# Refused sign-ups from one network address (each can tell whether a username is taken: review F15).
SIGN_UP_PER_NETWORK_ADDRESS = Limit("sign-up-ip", 10, HOUR)
# Organisation invitations to one address, and by one account.
INVITATION_PER_ADDRESS = Limit("invitation-address", 3, HOUR)
INVITATION_PER_ACCOUNT = Limit("invitation-account", 20, HOUR)
# API requests with one access token.
API_REQUESTS_PER_TOKEN = Limit("api-token", 120, 60)
# Refused API tokens (unknown, revoked, expired, ...) from one network address: past it, that address's
# requests get 429 before the token is even looked up, so guessing or replaying tokens costs no queries.
API_REFUSED_TOKENS_PER_ADDRESS = Limit("api-refused-token-ip", 20, 10 * 60)
# Assessments run by one account, and by the members of one organisation, from the page and the API
# alike (one budget: ``assessments.services.snapshot_create`` counts them). Each runs the engine, which
# can take seconds, and stores megabytes (security review F1).
ASSESSMENTS_PER_ACCOUNT = Limit("assessment-account", 20, HOUR)
ASSESSMENTS_PER_ORGANISATION = Limit("assessment-organisation", 60, HOUR)


def _cache_key(limit: Limit, key: str) -> str:
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{limit.name}:{digest}"


def throttle_allows(limit: Limit, key: str) -> bool:
    """Whether one more action for ``key`` stays within ``limit`` (counts nothing)."""
    return int(cache.get(_cache_key(limit, key), 0)) < limit.count


def throttle_retry_after(limit: Limit, key: str) -> int:
    """Whole seconds until the window of ``limit`` for ``key`` ends (for a ``Retry-After`` header)."""
    started = cache.get(_cache_key(limit, key) + ":start")
    if started is None:
        return limit.seconds
    return max(1, math.ceil(float(started) + limit.seconds - time.time()))


def _hit(limit: Limit, key: str) -> bool:
    cache_key = _cache_key(limit, key)
    cache.add(cache_key + ":start", time.time(), timeout=limit.seconds)  # when the window began
    cache.add(cache_key, 0, timeout=limit.seconds)  # starts the window; a no-op while it runs
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between add and incr
        cache.add(cache_key, 1, timeout=limit.seconds)
        count = 1
    return int(count) <= limit.count


def throttle_wait(used_up: Limit, *hits: tuple[Limit, str]) -> int:
    """Whole seconds until ``used_up`` (returned by ``throttle_take`` for ``hits``) allows one more."""
    return max(throttle_retry_after(limit, key) for limit, key in hits if limit == used_up)


def throttle_take(*hits: tuple[Limit, str]) -> Limit | None:
    """Count one action against each ``(limit, key)`` and return None; or, when one of them is used up
    already, count nothing and return that limit (the action must not run)."""
    for limit, key in hits:
        if not throttle_allows(limit, key):
            return _refused(limit)
    for limit, key in hits:
        if not _hit(limit, key):  # another request took the last one meanwhile
            return _refused(limit)
    return None


def _refused(limit: Limit) -> Limit:
    # Logged as an attempt to get past anti-automation; not the key (it may be an email address).
    security_event("throttled", request=None, limit=limit.name)
    return limit


@dataclass(frozen=True)
class RunRefused:
    """An assessment run (or a ranking that runs the engine) over its hourly budget: whose and how long."""

    by_account: bool  # the account's own budget (else an organisation's)
    count: int  # runs allowed an hour
    wait: int  # seconds until one more is allowed


def assessment_run_take(*, user_id: int, organisation_ids: Iterable[int]) -> RunRefused | None:
    """Count one engine run for the account and each organisation; or, over a budget, say whose and when.

    The pages, the API and partner discovery share these budgets."""
    hits = [
        (ASSESSMENTS_PER_ACCOUNT, str(user_id)),
        *((ASSESSMENTS_PER_ORGANISATION, str(organisation_id)) for organisation_id in organisation_ids),
    ]
    used_up = throttle_take(*hits)
    if used_up is None:
        return None
    return RunRefused(
        by_account=used_up == ASSESSMENTS_PER_ACCOUNT,
        count=used_up.count,
        wait=throttle_wait(used_up, *hits),
    )
