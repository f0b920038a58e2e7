"""Sign-in lock-out: django-axes' database handler with a second limit, per address across usernames.

Axes counts failed sign-ins per (username, address) and locks that pair after ``AXES_FAILURE_LIMIT``
failures (5). That alone lets one address try one password on any number of usernames (password
spraying: the review tried 40 and was never stopped). Axes' own setting cannot add the second limit:
``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]`` compares *both* counts with the
one failure limit, so an office behind one address would be locked out after 5 typos in total, and a
successful sign-in (``AXES_RESET_ON_SUCCESS``) would delete every failure from that address, so an
attacker could reset the count by signing in to their own account. Hence this handler: the pair keeps
its limit and its reset on success; an address is locked once its failures for all usernames together
reach ``ADDRESS_FAILURE_LIMIT`` (``COMMONGROUND_LOGIN_ADDRESS_FAILURE_LIMIT``, 20) within the same
cool-off (``AXES_COOLOFF_TIME``), and only time clears that.

One username tried from many addresses is not locked for all of them: that would let anyone lock any
person out. Behind a proxy every client has the proxy's address unless the proxy's forwarded-for header
is trusted (docs/deployment.md), and then the address limit is shared by everyone.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off, for every username together."""
    total = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


class AddressLimitHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Locks a (username, address) pair after ``AXES_FAILURE_LIMIT`` failures, and an address after
    ``ADDRESS_FAILURE_LIMIT`` failures for any usernames."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The pair's failures, or the failure limit itself once the address is over its own limit."""
        failures = int(super().get_failures(request, credentials))
        if address_failures(request) >= settings.ADDRESS_FAILURE_LIMIT:
            return max(failures, int(get_failure_limit(request, credentials)))
        return failures
