"""App config: assessment snapshots of partnerships."""

from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Stored results of the engine run on a partnership's current profiles."""

    name = "commonground.web.assessments"
    label = "assessments"
    default_auto_field = "django.db.models.BigAutoField"
