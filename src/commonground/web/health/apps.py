"""App config: the partnership health page and report (no models: it reads the other apps)."""

from __future__ import annotations

from django.apps import AppConfig


class HealthConfig(AppConfig):
    """The health view combining check-ins, the agreement, the conflict log and reviews."""

    name = "commonground.web.health"
    label = "health"
    default_auto_field = "django.db.models.BigAutoField"
