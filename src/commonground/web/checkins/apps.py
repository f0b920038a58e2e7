"""App config: check-ins of a partnership, their anonymous answers, frozen results and action items."""

from __future__ import annotations

from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    """Regular check-ins: a schedule, answers collected for a window, results frozen at close."""

    name = "commonground.web.checkins"
    label = "checkins"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the shared records (schedule, action items) with django-reversion.

        Answers are never registered: a revision is readable history, and answers stay private.
        """
        import reversion

        from commonground.web.checkins import models

        # Not "version": restoring an old revision must never turn the lock counter back.
        registrations = {
            models.CheckinSchedule: [
                "partnership",
                "frequency",
                "follow_agreement",
                "window_days",
                "factors_every",
                "starts_on",
            ],
            models.ActionItem: ["partnership", "checkin", "source", "item", "text", "status", "done_at"],
        }
        for model, fields in registrations.items():
            if not reversion.is_registered(model):
                reversion.register(model, fields=fields)
