"""The login migrations use: DATABASE_MIGRATE_URL's user, password and login or TLS options.

With it set, the site's own database user needs only to read and write rows (ASVS V13.2.2);
`scripts/postgres-roles.sql` creates such a pair of roles (docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

_LOGIN = ("USER", "PASSWORD")
# The libpq options that belong to a login (its password file, its TLS and client certificate); the
# rest of DATABASE_MIGRATE_URL's options are not used, so its ?host= or ?dbname= cannot move migrations
# to another server or database than the one the site uses.
LOGIN_OPTIONS = frozenset(
    {"passfile", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslcrl", "sslcrldir"}
)
# The options that name a server or database: a system check refuses them in DATABASE_MIGRATE_URL.
WHERE_OPTIONS = frozenset({"host", "hostaddr", "port", "dbname", "service"})


def migration_settings(database: Mapping[str, Any]) -> dict[str, Any]:
    """``database`` (a DATABASES entry) with the migration login when DATABASE_MIGRATE_URL is set."""
    migrate = settings.DATABASE_MIGRATE
    if not migrate:
        return dict(database)
    # Only the login: the database itself stays the site's (and the test database in tests), and a
    # system check refuses a DATABASE_MIGRATE_URL that names another one (transport_checks.py).
    login_options = {k: v for k, v in (migrate.get("OPTIONS") or {}).items() if k in LOGIN_OPTIONS}
    options = {**(database.get("OPTIONS") or {}), **login_options}
    return {**database, **{key: migrate.get(key) or "" for key in _LOGIN}, "OPTIONS": options}
