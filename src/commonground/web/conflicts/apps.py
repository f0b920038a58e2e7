"""App config: each partnership's conflict log."""

from __future__ import annotations

from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    """The conflict log a partnership's partners keep, its timeline and the facilitator's notes.

    Not registered with django-reversion: the timeline (``ConflictEvent``) is the entry's own
    append-only record, and restoring the partnership's shared material must never rewind a conflict
    (nor put a facilitator's private note into a history the partners read).
    """

    name = "commonground.web.conflicts"
    label = "conflicts"
    default_auto_field = "django.db.models.BigAutoField"
