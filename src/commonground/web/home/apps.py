"""App config: the home page (a landing page for visitors, what needs you for people signed in)."""

from __future__ import annotations

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page; it reads from the other apps and owns no models."""

    name = "commonground.web.home"
    label = "home"
