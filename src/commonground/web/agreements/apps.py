"""App config: each partnership's agreement, its versions and its signatures."""

from __future__ import annotations

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    """The agreement partners draft, edit section by section and sign."""

    name = "commonground.web.agreements"
    label = "agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the agreement, its signatures and its records with django-reversion."""
        import reversion

        from commonground.web.agreements import models

        # Not "version": restoring an old revision must never turn the lock counter back.
        registrations = {
            models.Agreement: ["partnership", "document", "partner_organisations"],
            models.Signature: ["agreement", "organisation", "organisation_name", "user", "signer_name",
                               "version", "signed_at"],
            # The records kept beside the terms: each write is one revision of the partnership's history.
            models.Measurement: ["agreement", "kpi_id", "date", "value", "note", "evidence", "entered_by",
                                 "entered_by_name", "created_at"],
            models.Delivery: ["agreement", "commitment_id", "date", "value", "note", "met_in_full",
                              "entered_by", "entered_by_name", "created_at"],
            models.Decision: ["agreement", "slug", "title", "proposal", "proposed_by", "proposer",
                              "proposer_name", "by_facilitator", "opened", "closes", "rule", "outcome",
                              "review_date", "decided_at", "decided_by_name"],
            models.Vote: ["decision", "partner_id", "organisation", "position", "reason", "resolved", "user",
                          "voter_name", "cast_at"],
        }  # fmt: skip
        for model, fields in registrations.items():
            if not reversion.is_registered(model):
                reversion.register(model, fields=fields)
