"""The Content-Disposition of a download, for any file name (slugs keep every script)."""

from __future__ import annotations

from django.utils.http import content_disposition_header


def attachment_header(filename: str) -> str:
    """``attachment`` with ``filename`` in the RFC 6266 form (``filename*=utf-8''…`` beyond ASCII)."""
    # Written by hand as filename="…", a non-Latin-1 name made Django MIME-encode the whole header,
    # which browsers do not read: the file lost its name and its "attachment".
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"
