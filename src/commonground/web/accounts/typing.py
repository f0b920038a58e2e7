"""Types of the requests our views receive: any request (with django-htmx's details) and a signed-in one.

The pattern is healthchecks' ``hc/accounts/typing.py``. A view behind ``@signed_in`` or a scoped
decorator takes an ``AuthenticatedHttpRequest``, so ``request.user`` is a ``User`` (never an
``AnonymousUser``); services and selectors take ``user: User``. Every request carries
``request.htmx`` (``HtmxMiddleware``): true when htmx sent it, with the page it came from.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

__all__ = ["AuthenticatedHttpRequest", "HtmxHttpRequest", "User"]


class HtmxHttpRequest(HttpRequest):
    """Any request once django-htmx's middleware has run; ``if request.htmx:`` asks whether htmx sent it."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request of a signed-in user: the sign-in middleware and the access decorators see to it."""

    user: User
