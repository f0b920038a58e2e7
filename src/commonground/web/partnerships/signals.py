"""Signals other apps listen to, so that the partnerships app needs to know none of them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that closes a partnership, with ``partnership`` (refreshed, closed) and
# ``user`` (who made the last confirmation). A receiver settles what the closing leaves unfinished
# (the network survey closes its open round); what it writes commits or rolls back with the closing.
partnership_closed = Signal()
