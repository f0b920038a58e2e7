"""App config for the project package itself (base templates, static files, security log)."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Holds the shared templates and static files and connects the security log."""

    name = "commonground.web"
    label = "web"
    verbose_name = "Common Ground web"

    def ready(self) -> None:
        """Connect security-log signal receivers and register the back-end connection checks."""
        from commonground.web import audit, transport_checks  # noqa: F401 (registers the checks)

        audit.connect_axes_signals()
