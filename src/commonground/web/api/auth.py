"""Who calls the API: ``Authorization: Bearer cg_…`` only, counted per token.

A session cookie never authenticates an API request: the API reads only this header, so a page that
tricks a signed-in browser into calling it gets 401 (the API needs no CSRF token for that reason).
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from ninja.security import HttpBearer

from commonground.web.api.errors import ApiError
from commonground.web.api.models import AccessToken
from commonground.web.api.selectors import token_by_secret
from commonground.web.api.services import token_revoke_stale, token_touch
from commonground.web.audit import security_event
from commonground.web.throttles import (
    API_REFUSED_TOKENS_PER_ADDRESS,
    API_REQUESTS_PER_TOKEN,
    Limit,
    throttle_allows,
    throttle_retry_after,
    throttle_take,
)

_CHALLENGE = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


def _address(request: HttpRequest) -> str:
    # REMOTE_ADDR is the client's address (``commonground serve`` puts a configured proxy's
    # forwarded address there, never an untrusted header's).
    return str(request.META.get("REMOTE_ADDR") or "-")


def _refuse(request: HttpRequest, reason: str, message: str, token: AccessToken | None = None) -> ApiError:
    security_event(
        "api_token_refused", request=request, user=token.user if token else None, reason=reason,
        token=token.prefix if token else "-",
    )  # fmt: skip
    throttle_take((API_REFUSED_TOKENS_PER_ADDRESS, _address(request)))
    return ApiError(401, message, headers=_CHALLENGE)


class TokenAuth(HttpBearer):
    """A personal access token: known, not revoked, not expired, its user active, within its rate."""

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken:
        """The request's token; ``ApiError`` 401 (or 429 over a rate) otherwise."""
        address = _address(request)
        over = not throttle_allows(API_REFUSED_TOKENS_PER_ADDRESS, address)  # before this one counts
        try:
            return self._checked(request, token)
        except ApiError as refused:
            # An address that sent too many refused tokens gets 429 for the next refused one, so a
            # guesser learns nothing more; a good token from the same address (an office behind one
            # NAT, a colleague of a forgotten cron job) still passes.
            if refused.status != 401 or not over:
                raise
            security_event(
                "throttled", request=request, limit=API_REFUSED_TOKENS_PER_ADDRESS.name, answer=429
            )
            raise too_many(
                API_REFUSED_TOKENS_PER_ADDRESS, address, "refused access tokens from your address"
            ) from None

    def _checked(self, request: HttpRequest, token: str) -> AccessToken:
        found = token_by_secret(token.strip())
        if found is None:
            raise _refuse(request, "unknown", "This access token is not known: check it was copied whole.")
        if found.revoked_at is not None:
            raise _refuse(request, "revoked", "This access token was revoked; create a new one.", found)
        if found.expires_at <= timezone.now():
            when = f"{found.expires_at:%Y-%m-%d %H:%M} UTC"
            raise _refuse(
                request, "expired", f"This access token expired on {when}; create a new one.", found
            )
        if not found.user.is_active:
            raise _refuse(request, "inactive_user", "This access token's account is deactivated.", found)
        if not constant_time_compare(found.credential_hash, found.user.get_session_auth_hash()):
            # The password changed or two-factor sign-in was turned on or off since the token was
            # made: like every other session of the account, the token ends.
            token_revoke_stale(token=found)
            raise _refuse(
                request,
                "credentials_changed",
                "This access token ended when the account's password or two-factor sign-in changed; "
                "create a new one.",
                found,
            )
        within_rate(API_REQUESTS_PER_TOKEN, str(found.pk), f"requests with this token ({found.prefix}…)")
        token_touch(token=found)
        # The request acts as the token's user from here on: the security log and the no-store header
        # name them, whatever session cookie came along.
        request.user = found.user
        return found


def within_rate(limit: Limit, key: str, what: str) -> None:
    """Count one action against ``limit`` for ``key``; 429 with Retry-After when it is used up."""
    if throttle_take((limit, key)) is not None:
        raise too_many(limit, key, what)


def too_many(limit: Limit, key: str, what: str) -> ApiError:
    """429 for ``limit`` used up by ``key``: how many are allowed, and when to try again (Retry-After)."""
    wait = throttle_retry_after(limit, key)
    per = "a minute" if limit.seconds == 60 else f"in {limit.seconds // 60} minutes"
    return ApiError(
        429,
        f"Too many {what}: at most {limit.count} {per}. Try again in {wait} seconds.",
        headers={"Retry-After": str(wait)},
    )


def request_token(request: HttpRequest) -> AccessToken:
    """The token that authenticated ``request`` (set by ``TokenAuth``)."""
    return cast(AccessToken, request.auth)  # type: ignore[attr-defined]
