"""``manage send_agreement_reminders``: email what the partnerships' agreements have due today, each
email once: commitments due soon or overdue, KPI readings due, proposals whose voting closed. Run it
daily (cron or a systemd timer); running it twice, even at the same time, sends nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.web.agreements.reminder_services import agreement_reminders_send


class Command(BaseCommand):
    """Send the agreements' reminders due today."""

    help = "Email the agreements' reminders due today (each once): commitments, KPI readings, closed votes."

    def handle(self, *args: Any, **options: Any) -> None:
        """Send what is due; links in the emails use COMMONGROUND_SITE_URL."""
        sent = agreement_reminders_send()
        parts = ", ".join(f"{sent[kind]} about {kind}" for kind in ("commitments", "readings", "decisions"))
        self.stdout.write(f"{sent.total()} reminder email{'s' if sent.total() != 1 else ''} sent ({parts}).")
