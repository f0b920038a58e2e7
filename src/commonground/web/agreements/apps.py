"""App config: each partnership's agreement, its versions and its signatures."""

from __future__ import annotations

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    """The agreement partners draft, edit section by section and sign."""

    name = "commonground.web.agreements"
    label = "agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the agreement and its signatures with django-reversion (recorded with the partnership)."""
        import reversion

        from commonground.web.agreements import models

        # Not "version": restoring an old revision must never turn the lock counter back.
        registrations = {
            models.Agreement: ["partnership", "document", "partner_organisations"],
            models.Signature: ["agreement", "organisation", "organisation_name", "user", "signer_name",
                               "version", "signed_at"],
        }  # fmt: skip
        for model, fields in registrations.items():
            if not reversion.is_registered(model):
                reversion.register(model, fields=fields)
