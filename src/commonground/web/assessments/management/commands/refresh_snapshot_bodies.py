"""``manage refresh_snapshot_bodies``: store the page body afresh for snapshots of an older format.

``commonground serve`` runs it on start after migrating; run it once after an upgrade when the
workspace is served another way (gunicorn behind a proxy), so old snapshots are not redrawn on
every view.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.web.assessments.services import snapshot_bodies_refresh


class Command(BaseCommand):
    """Re-render stored snapshot bodies whose format is not the current one."""

    help = "Store the page body afresh for assessment snapshots rendered in an older format."

    def handle(self, *args: Any, **options: Any) -> None:
        """Refresh every stale body and say how many."""
        count = snapshot_bodies_refresh()
        self.stdout.write(f"{count} snapshot bod{'ies' if count != 1 else 'y'} refreshed.")
