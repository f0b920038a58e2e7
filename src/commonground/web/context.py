"""Template context shared by every page: the signed-in user's organisations for the navigation menu."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

# The menu lists this many organisations; the home page lists them all.
NAV_ORGANISATIONS = 8


class NavOrganisations:
    """The user's first organisations by name, each with a ``label`` that tells same-named ones apart.

    Queried once, and only if a template uses it (pages that do not render the menu cost nothing).
    """

    def __init__(self, user: Any) -> None:
        self._user = user

    @cached_property
    def _rows(self) -> list[dict[str, Any]]:
        from commonground.web.organisations.naming import descriptor, distinct_labels
        from commonground.web.organisations.selectors import organisation_nav_for_user

        rows = list(organisation_nav_for_user(user=self._user)[: NAV_ORGANISATIONS + 1])
        labels = distinct_labels(
            (
                row["pk"],
                row["name"],
                descriptor(location=row["location"], kind=row["organisation__profile__kind"]),
            )
            for row in rows
        )
        return [row | {"label": labels[row["pk"]]} for row in rows]

    def __iter__(self) -> Any:
        return iter(self._rows[:NAV_ORGANISATIONS])

    def __bool__(self) -> bool:
        return bool(self._rows)

    @property
    def more(self) -> bool:
        """Whether the user has more organisations than the menu lists."""
        return len(self._rows) > NAV_ORGANISATIONS


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_organisations``: the user's organisations for the navigation menu (lazy, see above)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_organisations": []}
    return {"nav_organisations": NavOrganisations(user)}
