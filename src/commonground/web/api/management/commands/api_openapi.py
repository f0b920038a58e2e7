"""``manage api_openapi``: print the API's OpenAPI document, or write docs/openapi.json (``--write``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonground.web.api.v1 import openapi_text

COMMITTED = Path(__file__).resolve().parents[6] / "docs" / "openapi.json"


class Command(BaseCommand):
    """Print or write the OpenAPI document of /api/v1 (a test fails while the committed one differs)."""

    help = "Print the OpenAPI document of /api/v1, or write it to docs/openapi.json with --write."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--write``: write docs/openapi.json instead of printing."""
        parser.add_argument("--write", action="store_true", help=f"write {COMMITTED}")

    def handle(self, *args: Any, **options: Any) -> None:
        """Print or write the document."""
        text = openapi_text()
        if options["write"]:
            COMMITTED.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {COMMITTED}")
        else:
            self.stdout.write(text, ending="")
