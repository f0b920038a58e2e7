"""Types for code that serves a signed-in person: the account model and a request known to carry one.

The pattern is healthchecks' ``hc/accounts/typing.py``. A view behind ``@signed_in`` or a scoped
decorator takes an ``AuthenticatedHttpRequest``, so ``request.user`` is a ``User`` (never an
``AnonymousUser``); services and selectors take ``user: User``.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest

__all__ = ["AuthenticatedHttpRequest", "User"]


class AuthenticatedHttpRequest(HttpRequest):
    """A request of a signed-in user: the sign-in middleware and the access decorators see to it."""

    user: User
