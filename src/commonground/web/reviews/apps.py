"""App config: a partnership's reviews of its shared goals, its stage in the cycle and a planned exit."""

from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Periodic reviews (keep, adapt or drop each shared goal), the stage chosen, the exit plan."""

    name = "commonground.web.reviews"
    label = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the edited records with django-reversion, never their ``version``."""
        import reversion

        from commonground.web.reviews.models import ExitPlan, GoalDecision

        if not reversion.is_registered(GoalDecision):
            reversion.register(GoalDecision, fields=["review", "decision", "new_text", "note"])
        if not reversion.is_registered(ExitPlan):
            reversion.register(
                ExitPlan, fields=["partnership", "kind", "planned_for", "shared_work", "active"]
            )
