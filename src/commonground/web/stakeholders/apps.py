"""App config: each partnership's stakeholder register."""

from __future__ import annotations

from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    """The stakeholder register shared by a partnership's member organisations."""

    name = "commonground.web.stakeholders"
    label = "stakeholders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register entries with django-reversion (recorded with the partnership in each revision)."""
        import reversion

        from commonground.web.stakeholders.models import RegisterEntry

        if not reversion.is_registered(RegisterEntry):
            # Not "version": restoring an old revision must never turn the lock counter back.
            reversion.register(
                RegisterEntry,
                fields=["partnership", "name", "merged_name", "power", "interest", "legitimacy", "urgency",
                        "stance", "notes", "added_by"],
            )  # fmt: skip
