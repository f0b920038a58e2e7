"""Optimistic locking over HTTP: the ETag names the record's edit version; writes need it in If-Match.

``ETag: "org-12-v7"`` is organisation 12 at version 7 (the ``version`` its pages' forms carry). A write
without If-Match is refused with 428, one whose ETag is not the current one with 412, and the service
decides under its lock (``records.update_if_current``), so of two writers from one version only one wins.
"""

from __future__ import annotations

import re

from django.http import HttpRequest

from commonground.web.api.errors import ApiError
from commonground.web.organisations.models import Organisation

_TAG = re.compile(r'^"org-(\d{1,19})-v(\d{1,10})"$')


def organisation_etag(organisation: Organisation) -> str:
    """The strong ETag of an organisation's profile at its current version."""
    return f'"org-{organisation.pk}-v{organisation.version}"'


def expected_version(request: HttpRequest, organisation: Organisation) -> int:
    """The version the client last read, from If-Match; 428 when it sent none, 412 when it names none."""
    header = request.headers.get("If-Match", "").strip()
    current = organisation_etag(organisation)
    if not header or header == "*":
        raise ApiError(
            428,
            "Send If-Match with the ETag of your last read of this profile (GET it first), so that a "
            "change someone saved meanwhile is not overwritten.",
            headers={"ETag": current},
        )
    versions = []
    for tag in header.split(","):
        found = _TAG.match(tag.strip())  # weak tags (W/"...") never match: If-Match compares strongly
        if found and int(found.group(1)) == organisation.pk:
            versions.append(int(found.group(2)))
    if not versions:
        raise ApiError(
            412,
            f"If-Match names no version of this profile (its current ETag is {current}); GET it again.",
            headers={"ETag": current},
        )
    return organisation.version if organisation.version in versions else versions[0]
