"""Where to go on to after signing up or in: a page of this site named by a ``next`` parameter."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_local_path(target: str, request: HttpRequest) -> bool:
    """Whether ``target`` is a path on this site: not another site, and not a bare word.

    A bare word ("on", "home") passes Django's host check as a relative URL, but ``redirect`` reads
    it as a view name and fails, so only a path from the site's root is followed.
    """
    return target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    )


def next_page(request: HttpRequest) -> str | None:
    """The request's ``next`` (posted or in the query string) when it is a path on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_local_path(target, request) else None
