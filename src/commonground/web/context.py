"""Template context shared by every page: the signed-in user's organisations for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_organisations``: the user's organisations (pk, name, slug), fetched lazily (one query, only if
    rendered)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_organisations": []}
    from commonground.web.organisations.selectors import organisation_nav_for_user

    return {"nav_organisations": organisation_nav_for_user(user=user)}
