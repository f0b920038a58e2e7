"""Reads of access tokens: a user's own tokens, and the token a request presents."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from commonground.web.access import first_or_404
from commonground.web.accounts.typing import User
from commonground.web.api.models import AccessToken

TOKEN_PREFIX = "cg_"  # noqa: S105  # not a secret: what every token starts with, so scanners know them


def token_hash(secret: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_list(*, user: User) -> QuerySet[AccessToken]:
    """The user's tokens, newest first, with the organisation each is limited to (one query)."""
    return AccessToken.objects.filter(user=user).select_related("organisation")


def token_get(*, user: User, token_id: int) -> AccessToken:
    """One of the user's own tokens; 404 for anyone else's."""
    return first_or_404(AccessToken.objects.filter(user=user, pk=token_id))


def token_by_secret(secret: str) -> AccessToken | None:
    """The token whose secret is ``secret`` (active or not) with its user, else None (one query)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return (
        AccessToken.objects.select_related("user", "organisation")
        .filter(secret_hash=token_hash(secret))
        .first()
    )
