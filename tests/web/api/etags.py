"""The ETag an API answer carries now, as a client reads it before a change."""

from __future__ import annotations

from django.test import Client


def etag_of(client: Client, url: str) -> str | None:
    """The ETag a GET of ``url`` answers now (what a client sends back in If-Match); None when it has none."""
    etag = client.get(url).headers.get("ETag")
    return str(etag) if etag is not None else None
