"""App config: organisations, their profiles, memberships and invitations."""

from __future__ import annotations

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    """Organisations with a stored profile (format v1), memberships and invitations."""

    name = "commonground.web.organisations"
    label = "organisations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register models with django-reversion, and the ``org_slug`` URL converter."""
        import reversion
        from django.urls import register_converter

        from commonground.web.organisations.naming import OrganisationSlugConverter

        register_converter(OrganisationSlugConverter, "org_slug")

        from commonground.web.organisations.models import Organisation

        if not reversion.is_registered(Organisation):
            # Not "version": restoring an old revision must never turn the lock counter back.
            reversion.register(Organisation, fields=["name", "profile", "location"])
