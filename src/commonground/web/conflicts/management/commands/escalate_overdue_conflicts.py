"""``manage escalate_overdue_conflicts``: move open conflict entries one rung up the dispute ladder for
an acknowledgement past its deadline, a rung whose days ran out, or a repeat within 90 days, and email
the partnership's admins and facilitators about each move. Run it daily; running it twice, even at the
same time, moves nothing twice and sends nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.web.conflicts.services import conflicts_escalate_overdue


class Command(BaseCommand):
    """Escalate the conflict entries that are overdue or repeat."""

    help = "Move overdue or repeating conflict entries one rung up their dispute ladder (each reason once)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Escalate what is due; links in the emails use COMMONGROUND_SITE_URL."""
        moved = conflicts_escalate_overdue()
        self.stdout.write(f"{moved} conflict entr{'y' if moved == 1 else 'ies'} escalated.")
