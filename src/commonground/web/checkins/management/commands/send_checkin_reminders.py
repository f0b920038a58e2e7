"""``manage send_checkin_reminders``: open the check-ins due today (inviting everyone), remind once those
who have not answered one closing soon, and close those past their last day (freezing the results).
Run it daily (cron or a systemd timer); running it twice, even at the same time, does nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.web.checkins.reminder_services import checkin_reminders_send


class Command(BaseCommand):
    """Open, remind and close the check-ins due today."""

    help = "Open the check-ins due today, remind those who have not answered, close those past their window."

    def handle(self, *args: Any, **options: Any) -> None:
        """Do what is due; links in the emails use COMMONGROUND_SITE_URL."""
        done = checkin_reminders_send()
        self.stdout.write(
            f"{done['opened']} check-in(s) opened, {done['closed']} closed, "
            f"{done['reminders']} reminder email(s) sent."
        )
