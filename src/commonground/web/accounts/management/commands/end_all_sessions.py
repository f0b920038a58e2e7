"""``manage end_all_sessions``: sign everyone out, e.g. after the secret key was changed or a leak."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.web.accounts.session_services import sessions_end_everyone
from commonground.web.audit import security_event


class Command(BaseCommand):
    """End every session of every account."""

    help = "End every session of every account: everyone must sign in again. API tokens are not touched."

    def handle(self, *args: Any, **options: Any) -> None:
        """End them all and say how many signed someone in."""
        ended = sessions_end_everyone()
        security_event("session_ended", request=None, count=ended, everyone=True)
        self.stdout.write(
            f"Ended {ended} session{'' if ended == 1 else 's'}: everyone must sign in again. "
            "API tokens still work (revoke them on each account's API tokens page)."
        )
