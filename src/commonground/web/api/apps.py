"""App config: the open API (REST, OpenAPI 3.1) and the personal access tokens it is called with."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Personal access tokens and the /api/v1 routers built on the same access layer as the pages."""

    name = "commonground.web.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"
