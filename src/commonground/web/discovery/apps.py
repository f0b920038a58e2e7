"""App config: finding partners in a directory of organisations."""

from __future__ import annotations

from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    """The "find partners" page over ``COMMONGROUND_DIRECTORY`` (no models: the directory is files)."""

    name = "commonground.web.discovery"
    label = "discovery"
    default_auto_field = "django.db.models.BigAutoField"
