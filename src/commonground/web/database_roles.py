"""The login migrations use: DATABASE_MIGRATE_URL's user, password and options over the site's database.

With it set, the site's own database user needs only to read and write rows (ASVS V13.2.2);
`scripts/postgres-roles.sql` creates such a pair of roles (docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

_LOGIN = ("USER", "PASSWORD")


def migration_settings(database: Mapping[str, Any]) -> dict[str, Any]:
    """``database`` (a DATABASES entry) with the migration login when DATABASE_MIGRATE_URL is set."""
    migrate = settings.DATABASE_MIGRATE
    if not migrate:
        return dict(database)
    # Only the login: the database itself stays the site's (and the test database in tests), and a
    # system check refuses a DATABASE_MIGRATE_URL that names another one (transport_checks.py).
    options = {**(database.get("OPTIONS") or {}), **(migrate.get("OPTIONS") or {})}
    return {**database, **{key: migrate.get(key) or "" for key in _LOGIN}, "OPTIONS": options}
