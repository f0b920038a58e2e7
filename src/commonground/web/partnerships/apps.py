"""App config: partnerships, their member organisations, facilitators and joint initiatives."""

from __future__ import annotations

from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    """Partnerships shared by their member organisations as equals."""

    name = "commonground.web.partnerships"
    label = "partnerships"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the shared material with django-reversion."""
        import reversion

        from commonground.web.partnerships import models

        # "version" is left out everywhere: restoring an old revision must never turn the lock back.
        registrations = {
            models.Partnership: ["name", "description", "status"],
            models.PartnershipMember: ["partnership", "organisation", "state", "invited_by", "invited_at",
                                       "responded_at"],
            models.Facilitator: ["partnership", "user", "state", "invited_by", "invited_at", "responded_at"],
            models.Initiative: ["partnership", "name", "description", "level", "social_value", "status"],
            models.InitiativeScore: ["initiative", "organisation", "economic_value"],
        }  # fmt: skip
        for model, fields in registrations.items():
            if not reversion.is_registered(model):
                reversion.register(model, fields=fields)
