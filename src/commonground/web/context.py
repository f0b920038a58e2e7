"""Template context shared by every page: the signed-in user's organisations for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_memberships``: the user's memberships, fetched lazily (one query, only if rendered)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_memberships": []}
    from commonground.web.organisations.selectors import organisation_list_for_user

    return {"nav_memberships": organisation_list_for_user(user=user)}
