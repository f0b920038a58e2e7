"""Optimistic locking over HTTP: the ETag names a record's edit version and what the answer shows; writes
need it in If-Match.

``ETag: "initiative-5-v3-9f1c2a7b40d3e8aa"`` is initiative 5 at edit version 3 (the ``version`` its
pages' forms carry) with a digest of the answer. The version alone is not enough: an initiative's answer
shows each partner's score, a register entry the partners' ratings, an agreement every delivery, reading
and vote, and none of those moves the record's own version; a client comparing ETags (or a cache
revalidating) would keep the old answer, and a write from an out-of-date read would pass. So the ETag
changes whenever the answer does. A write without If-Match is refused with 428; one whose ETag is not the
current one with 412 (naming who saved when the record itself moved on), and the service decides under
its lock (``records.update_if_current``), so of two writers from one version only one wins. What the
service's lock does not cover is only what the write does not touch (the scores beside an initiative's
name), so a score saved between the check and the write loses nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.http import HttpRequest, HttpResponse
from pydantic import BaseModel

from commonground.web.api.errors import ApiError
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError, Versioned

_TAG = re.compile(r'^"([a-z]{1,20})-(\d{1,19})-v(\d{1,10})-[0-9a-f]{16}"$')


class Locked(Protocol):
    """A record with an edit version (``records.Versioned``, an organisation)."""

    pk: int
    version: int


def shown_digest(shown: BaseModel | Sequence[BaseModel]) -> str:
    """16 hex digits of SHA-256 over what an answer shows (its models as JSON, keys sorted)."""
    items = [shown] if isinstance(shown, BaseModel) else list(shown)
    text = json.dumps([item.model_dump(mode="json") for item in items], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def record_etag(kind: str, record: Locked, shown: BaseModel | Sequence[BaseModel]) -> str:
    """The strong ETag of ``record`` (``kind``: ``org``, ``stakeholder``, ``initiative``, ``agreement``) at
    its version, answered as ``shown``."""
    return f'"{kind}-{record.pk}-v{record.version}-{shown_digest(shown)}"'


def view_etag(kind: str, pk: int | None, shown: BaseModel | Sequence[BaseModel]) -> str:
    """The strong ETag of a read-only answer about ``kind`` ``pk`` (a partnership, the stakeholders of
    partnership ``pk``; no ``pk`` for the lists of what a token reaches): its digest alone."""
    within = "" if pk is None else f"-{pk}"
    return f'"{kind}{within}-{shown_digest(shown)}"'


def expected_version(request: HttpRequest, record: Locked, *, current: str, kind: str, what: str) -> int:
    """The version the client last read, from If-Match (``current``: the record's ETag now); 428 when it
    sent none, 412 when it names none of this record's, or this version answered differently since."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise ApiError(
            428,
            f"Send If-Match with the ETag of your last read of this {what} (GET it first), so that a "
            "change someone saved meanwhile is not overwritten.",
            headers={"ETag": current},
        )
    tags = [tag.strip() for tag in header.split(",")]
    if current in tags:
        return record.version
    versions = []
    for tag in tags:
        found = _TAG.match(tag)  # weak tags (W/"...") never match: If-Match compares strongly
        if found and found.group(1) == kind and int(found.group(2)) == record.pk:
            versions.append(int(found.group(3)))
    stale = [version for version in versions if version != record.version]
    if not stale:
        said = "names no version" if not versions else "is of an earlier answer (what it shows changed since)"
        raise ApiError(
            412,
            f"If-Match {said} of this {what} (its current ETag is {current}); GET it again.",
            headers={"ETag": current},
        )
    return stale[0]  # an earlier version: the service refuses it, naming who saved meanwhile


def if_match_parameter(what: str) -> dict[str, object]:
    """The OpenAPI declaration of the required If-Match header of a write to a ``what``."""
    return {
        "name": "If-Match",
        "in": "header",
        "required": True,
        "description": f"The ETag of your last read of the {what}.",
        "schema": {"type": "string"},
    }


def stale_error(exc: StaleEditError, *, what: str, current: str | None) -> ApiError:
    """412 for a write someone else's save beat (``current``: the record's ETag now, None when removed),
    naming who saved and carrying the current ETag."""
    message = exc.changed_meanwhile(what, then="GET it again, apply your change and send its ETag")
    return ApiError(412, message, headers={"ETag": current} if current is not None else {})


R = TypeVar("R", bound=Versioned)
Shown = TypeVar("Shown", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class LockedRecords(Generic[R, Shown]):
    """How the routes of one kind of a partnership's records (each with a ``partnership`` key) answer and
    guard them: ``show`` gives a record's answer; ``guarded`` runs a change only from the client's current
    ETag, and turns the service's refusal of a stale version into 412 with the ETag as stored now."""

    kind: str  # in the ETag: "initiative", "stakeholder", ...
    what: str  # in messages: "initiative", "register entry", ...
    show: Callable[[PartnershipAccess, R], Shown]

    @property
    def if_match(self) -> dict[str, Any]:
        """The ``openapi_extra`` of a route that needs If-Match."""
        return {"parameters": [if_match_parameter(self.what)]}

    def shown(self, access: PartnershipAccess, record: R) -> tuple[Shown, str]:
        """The record's answer and its ETag."""
        out = self.show(access, record)
        return out, record_etag(self.kind, record, out)

    def answer(self, response: HttpResponse, access: PartnershipAccess, record: R) -> Shown:
        """The record's answer, with its ETag on ``response``."""
        out, response["ETag"] = self.shown(access, record)
        return out

    def guarded(
        self, request: HttpRequest, access: PartnershipAccess, record: R, change: Callable[[int], T]
    ) -> T:
        """``change(expected_version)`` if If-Match names the record's current answer (428 without one,
        412 when stale); 412 naming who saved when the service finds someone saved first meanwhile."""
        current = self.shown(access, record)[1]
        version = expected_version(request, record, current=current, kind=self.kind, what=self.what)
        try:
            if version != record.version:
                # Out of date already: say so before any check of the new content (412, not 422).
                raise StaleEditError.about(record)
            return change(version)
        except StaleEditError as exc:
            stored = type(record)._default_manager.filter(pk=record.pk, partnership=access.partnership)
            now = stored.first()
            etag = None if now is None else self.shown(access, now)[1]
            raise stale_error(exc, what=self.what, current=etag) from None
