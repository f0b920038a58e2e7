"""App config: organisations, their profiles, memberships and invitations."""

from __future__ import annotations

from django.apps import AppConfig

# What an organisation's history records and a restore brings back. Never "version" (a restore must not
# turn the lock counter back), "owners_need_mfa" or the memberships (a restore must not re-grant access).
HISTORY_FIELDS = ("name", "profile", "location")


def register_history() -> None:
    """Register ``Organisation`` with django-reversion under the rules above, once.

    Called from ``ready()`` and from admin.py: the admin's autodiscover runs first
    (``django.contrib.admin`` leads INSTALLED_APPS), and ``VersionAdmin`` would otherwise register the
    model itself with every field and its membership inline followed (security review F3).
    """
    import reversion

    from commonground.web.organisations.models import Organisation

    if not reversion.is_registered(Organisation):
        reversion.register(Organisation, fields=list(HISTORY_FIELDS), follow=())


class OrganisationsConfig(AppConfig):
    """Organisations with a stored profile (format v1), memberships and invitations."""

    name = "commonground.web.organisations"
    label = "organisations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register models with django-reversion, and the ``org_slug`` URL converter."""
        from django.urls import register_converter

        from commonground.web.organisations.naming import OrganisationSlugConverter

        register_converter(OrganisationSlugConverter, "org_slug")

        register_history()
