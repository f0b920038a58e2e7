"""Optimistic locking over HTTP: the ETag names a record's edit version; writes need it in If-Match.

``ETag: "org-12-v7"`` is organisation 12 at version 7 (the ``version`` its pages' forms carry);
``"stakeholder-3-v2"`` and ``"initiative-5-v1"`` name a register entry and an initiative the same way.
A write without If-Match is refused with 428, one whose ETag is not the current one with 412, and the
service decides under its lock (``records.update_if_current``), so of two writers from one version only
one wins.
"""

from __future__ import annotations

import re
from typing import Protocol

from django.http import HttpRequest

from commonground.web.api.errors import ApiError
from commonground.web.records import StaleEditError

_TAG = re.compile(r'^"([a-z]{1,20})-(\d{1,19})-v(\d{1,10})"$')


class Locked(Protocol):
    """A record with an edit version (``records.Versioned``, an organisation)."""

    pk: int
    version: int


def record_etag(kind: str, record: Locked) -> str:
    """The strong ETag of ``record`` (``kind``: ``org``, ``stakeholder``, ``initiative``) at its version."""
    return f'"{kind}-{record.pk}-v{record.version}"'


def organisation_etag(organisation: Locked) -> str:
    """The strong ETag of an organisation's profile at its current version."""
    return record_etag("org", organisation)


def expected_version(
    request: HttpRequest, record: Locked, *, kind: str = "org", what: str = "profile"
) -> int:
    """The version the client last read, from If-Match; 428 when it sent none, 412 when it names none."""
    header = request.headers.get("If-Match", "").strip()
    current = record_etag(kind, record)
    if not header or header == "*":
        raise ApiError(
            428,
            f"Send If-Match with the ETag of your last read of this {what} (GET it first), so that a "
            "change someone saved meanwhile is not overwritten.",
            headers={"ETag": current},
        )
    versions = []
    for tag in header.split(","):
        found = _TAG.match(tag.strip())  # weak tags (W/"...") never match: If-Match compares strongly
        if found and found.group(1) == kind and int(found.group(2)) == record.pk:
            versions.append(int(found.group(3)))
    if not versions:
        raise ApiError(
            412,
            f"If-Match names no version of this {what} (its current ETag is {current}); GET it again.",
            headers={"ETag": current},
        )
    return record.version if record.version in versions else versions[0]


def if_match_parameter(what: str) -> dict[str, object]:
    """The OpenAPI declaration of the required If-Match header of a write to a ``what``."""
    return {
        "name": "If-Match",
        "in": "header",
        "required": True,
        "description": f"The ETag of your last read of the {what}.",
        "schema": {"type": "string"},
    }


def stale_error(exc: StaleEditError, *, kind: str, what: str, current: Locked | None) -> ApiError:
    """412 for a write someone else's save beat (``current``: the record now, None when removed), naming
    who saved and carrying the current ETag."""
    message = exc.changed_meanwhile(what, then="GET it again, apply your change and send its ETag")
    headers = {"ETag": record_etag(kind, current)} if current is not None else {}
    return ApiError(412, message, headers=headers)
