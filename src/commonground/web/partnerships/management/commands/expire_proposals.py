"""``manage expire_proposals``: end proposals between partners that passed their expiry, and email
everyone concerned. Run it daily (cron or a systemd timer); proposal writes also expire a partnership's
due proposals before they act, and pages already show a proposal past its expiry as expired."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.web.partnerships.services import proposals_expire


class Command(BaseCommand):
    """Mark open proposals past their expiry as expired."""

    help = "End proposals between partners that passed their expiry and email everyone concerned."

    def handle(self, *args: Any, **options: Any) -> None:
        """Expire what is due; links in the emails use COMMONGROUND_SITE_URL."""
        count = proposals_expire()
        self.stdout.write(f"{count} proposal{'s' if count != 1 else ''} expired.")
