"""Conditional reads: every GET of the API answers with an ETag, and one whose If-None-Match names it gets
``304 Not Modified`` with no body, so a client polling a list or a record fetches it again only when it
changed.

The ETag is the one ``locking.py`` builds from what the answer shows to this caller (their role, the rows
they may see), so comparing ETags tells a caller nothing they could not read in the answer itself, and
the 304 comes only after the view has authenticated the token and scoped the object (a refused request
is answered as before, with its 401, 404 or 429). If-None-Match compares weakly (RFC 9110 §13.1.2):
``W/"x"`` matches ``"x"``; ``*`` matches any answer there is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import parse_etags

View = Callable[..., HttpResponseBase]

# What a 304 keeps of the answer it stands for (RFC 9110 §15.4.5).
_KEPT = ("ETag", "Cache-Control", "Content-Location", "Date", "Expires", "Vary")


def etag_matches(etag: str, if_none_match: str) -> bool:
    """Whether ``etag`` (this answer's) is one that If-None-Match names, compared weakly."""
    own = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == own for tag in parse_etags(if_none_match))


def conditional_get(view: View) -> View:
    """``view`` answering 304 with no body to a GET whose If-None-Match matches its 200 answer's ETag."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        asked = request.headers.get("If-None-Match", "")
        etag = response.headers.get("ETag")
        if request.method != "GET" or response.status_code != 200 or not asked or not etag:
            return response
        if not etag_matches(etag, asked):
            return response
        not_modified = HttpResponseNotModified()
        for header in _KEPT:
            if header in response.headers:
                not_modified[header] = response[header]
        return not_modified

    return wrapper


_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of your last read: 304 with no body while the answer is still the same.",
    "schema": {"type": "string"},
}
_ETAG = {
    "ETag": {
        "description": "A digest of this answer as you see it (If-None-Match asks whether it changed).",
        "schema": {"type": "string"},
    }
}


def declare_conditional_reads(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI ``document`` with every GET declaring its ETag, If-None-Match and the 304 answer."""
    for item in document.get("paths", {}).values():
        operation = item.get("get")
        if operation is None:
            continue
        # New lists and dicts: Ninja may hand out what an operation declared (openapi_extra) itself.
        operation["parameters"] = [*operation.get("parameters", []), _IF_NONE_MATCH]
        responses = operation["responses"]
        responses[200] = responses[200] | {"headers": responses[200].get("headers", {}) | _ETAG}
        responses[304] = {"description": "Not Modified: the answer is the one your If-None-Match names."}
    return document
