"""Django's `migrate`, connecting with DATABASE_MIGRATE_URL's login when it is set (web/database_roles.py).

Everything a migration runs (its schema changes, data steps, Django's post-migrate content types and
permissions) goes through the default connection, which this command logs in as the migrating role for
its run and back as the site's afterwards.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

from commonground.web.database_roles import migration_settings


class Command(migrate.Command):
    """Apply migrations as the migrating role when DATABASE_MIGRATE_URL is set."""

    def handle(self, *args: Any, **options: Any) -> None:
        """Run Django's migrate with the default connection logged in as the migrating role."""
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.alias != DEFAULT_DB_ALIAS:
            super().handle(*args, **options)
            return
        site = connection.settings_dict
        connection.close()
        # A new dict on this thread's connection only: the shared DATABASES entry is left as it was.
        connection.settings_dict = migration_settings(site)
        try:
            super().handle(*args, **options)
        finally:
            connection.close()
            connection.settings_dict = site
