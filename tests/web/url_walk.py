"""Every URL pattern of the project, walked once for the tests that check each one (policies, personas)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from commonground.web.access import EXEMPT_NAMESPACES


@dataclass(frozen=True)
class Route:
    """One URL pattern: its namespace, name, full route and the view it calls."""

    namespace: str  # "" at the root, "a:b" for nested includes
    name: str | None
    route: str  # e.g. "p/<int:pk>/edit/"
    callback: Callable[..., Any]

    @property
    def qualified_name(self) -> str:
        """``namespace:name``; a root URL keeps the colon (``":invitation_accept"``)."""
        return f"{self.namespace}:{self.name}"

    @property
    def exempt(self) -> bool:
        """Whether the route is in a namespace that is not ours to decorate (the admin)."""
        return self.namespace.split(":")[0] in EXEMPT_NAMESPACES


def walk_urls() -> list[Route]:
    """Every pattern the root URLconf reaches, includes followed, in the order Django tries them."""
    return list(_walk(get_resolver().url_patterns))


def our_urls() -> list[Route]:
    """The routes whose views are ours, i.e. outside ``EXEMPT_NAMESPACES``."""
    return [route for route in walk_urls() if not route.exempt]


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield Route(namespace, entry.name, prefix + str(entry.pattern), entry.callback)
