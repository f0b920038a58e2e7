"""App config: a partnership's network survey rounds and each organisation's answers about the others."""

from __future__ import annotations

from django.apps import AppConfig


class NetworksConfig(AppConfig):
    """Network survey rounds (after PARTNER): opened, answered per organisation, closed and analysed."""

    name = "commonground.web.networks"
    label = "networks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Close a partnership's open round with the partnership (``services.rounds_close_with``)."""
        from commonground.web.networks.services import rounds_close_with
        from commonground.web.partnerships.signals import partnership_closed

        partnership_closed.connect(rounds_close_with, dispatch_uid="networks-close-with-partnership")
