"""Read organisations' stored profiles from a Common Ground workspace over its API (docs/api.md).

``commonground assess --workspace URL --token TOKEN SLUG SLUG`` assesses the profiles a shared
workspace holds, so analysts can script against it without exporting files. It uses the standard
library's HTTP client and the same profile loader as files, so a profile read here is checked exactly
as a file would be. A token is a password: it is sent only over HTTPS, or plain HTTP to this machine.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import Any

from commonground.core.loading import MAX_BYTES, LoadError, parse_profile
from commonground.core.profiles import Profile

__all__ = ["WorkspaceError", "fetch_profiles"]

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
TIMEOUT_SECONDS = 30.0


class WorkspaceError(Exception):
    """The workspace could not give a profile; the message says what to do."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: the API never sends one, and following it could carry the request elsewhere."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        raise WorkspaceError(f"the workspace redirected to {newurl}; give that address as --workspace")


_OPENER = urllib.request.build_opener(_NoRedirects)


def _base(url: str) -> str:
    """The workspace's address without a trailing slash, refused when a token would travel in clear."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WorkspaceError(
            f"{url!r} is not a workspace address: give one like https://workspace.example.org"
        )
    if parts.scheme == "http" and parts.hostname not in _LOCAL_HOSTS:
        raise WorkspaceError(f"{url}: use https; the token would be sent unencrypted over plain http")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def _message(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    return str(data.get("message", "")) if isinstance(data, dict) else ""


def fetch_profile(*, url: str, token: str, slug: str) -> Profile:
    """The stored profile of the organisation ``slug`` that ``token`` may read."""
    if not token.strip():
        raise WorkspaceError(
            "no token: give --token or set COMMONGROUND_TOKEN (tokens: your account's API tokens page)"
        )
    address = f"{_base(url)}/api/v1/organisations/{urllib.parse.quote(slug, safe='')}/profile"
    # _base allowed only https (or http to this machine), never file: or other schemes.
    request = urllib.request.Request(address, headers={"Accept": "application/json"})  # noqa: S310
    # Not copied onto a redirected request, and redirects are refused anyway (_NoRedirects): the token
    # must never travel to another address than the one checked above.
    request.add_unredirected_header("Authorization", f"Bearer {token.strip()}")
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        said = _message(exc.read(64 * 1024))
        hint = {
            401: "the token is unknown, expired or revoked",
            403: "the token may not read it",
            404: "no such organisation, or the token's account is not a member",
            429: f"too many requests; try again in {exc.headers.get('Retry-After', 'a few')} seconds",
        }.get(exc.code, f"the workspace answered {exc.code}")
        raise WorkspaceError(f"{slug}: {said or hint}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise WorkspaceError(f"{url}: cannot reach the workspace ({reason})") from exc
    if len(body) > MAX_BYTES:
        raise WorkspaceError(f"{slug}: the workspace sent more than {MAX_BYTES // 1024 // 1024} MB")
    try:
        return parse_profile(body, source=f"{slug} (workspace)", fmt="json")
    except LoadError as exc:
        first = exc.problems[0] if exc.problems else "unreadable"
        raise WorkspaceError(f"{slug}: the workspace's profile does not load: {first}") from exc


def fetch_profiles(*, url: str, token: str, slugs: Sequence[str]) -> list[Profile]:
    """The stored profiles of the organisations ``slugs``, in order."""
    if len(slugs) < 2:
        raise WorkspaceError("give two or more organisations (their slugs, as in /o/<slug>/)")
    return [fetch_profile(url=url, token=token, slug=slug) for slug in slugs]
