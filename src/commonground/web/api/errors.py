"""Every API error as JSON: ``{"status", "message", "problems": [{"path", "message"}]}``.

A message names the problem and what to do; ``problems`` lists each bad field of the input by its path
(``goals[2].priority``, ``query.limit``), at most ``MAX_PROBLEMS`` of them, so that a hostile body cannot
make a huge error answer. A 404 never says whether the object exists (as the pages do).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from commonground.core.loading import MAX_PROBLEMS_SHOWN
from commonground.core.loading import Problem as LoadProblem

MAX_PROBLEMS = MAX_PROBLEMS_SHOWN  # as many as the import page and the CLI list

log = logging.getLogger("commonground.api")


class ProblemOut(Schema):
    """One thing wrong with the input: where (a field path) and what."""

    path: str
    message: str


class ErrorOut(Schema):
    """An error answer."""

    status: int
    message: str
    problems: list[ProblemOut] = Field(default_factory=list)


class ApiError(Exception):
    """An answer other than success, with its status, message, field problems and headers."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        problems: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.problems = list(problems)
        self.headers = dict(headers or {})
        super().__init__(message)


def problems_from_load(problems: Iterable[LoadProblem]) -> list[tuple[str, str]]:
    """The loader's problems (profile format) as ``(path, message)`` pairs."""
    return [(problem.path or "body", problem.message) for problem in problems]


def problems_from_form(form: Any, *, prefix: str) -> list[tuple[str, str]]:
    """A bound Django form's errors as ``(path, message)`` pairs: ``prefix.field``, or ``prefix`` for the
    form as a whole (the app's own form decides what is valid, as on its page)."""
    return [
        (
            prefix if field == "__all__" else f"{prefix}.{field}",
            " ".join(str(message) for message in messages),
        )
        for field, messages in form.errors.items()
    ]


F = TypeVar("F", bound=BaseForm)


def valid_form(form: F, *, what: str) -> F:
    """The app's own ``form``, bound to the body, once valid: its rules decide here as on its page; else
    422 naming each bad field (``body.payload.<field>``), and nothing saved."""
    if not form.is_valid():
        raise ApiError(
            422, f"The {what} is not valid; nothing was saved.",
            problems=problems_from_form(form, prefix="body.payload"),
        )  # fmt: skip
    return form


def _path(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc) or "request"


def error_response(api: NinjaAPI, request: HttpRequest, error: ApiError) -> HttpResponse:
    """The JSON answer for ``error``, its problems cut at ``MAX_PROBLEMS`` (the message gives the count)."""
    message = error.message
    if len(error.problems) > MAX_PROBLEMS:
        message += f" ({len(error.problems):,} problems; the first {MAX_PROBLEMS} are listed)"
    body = {
        "status": error.status,
        "message": message,
        "problems": [{"path": path, "message": text} for path, text in error.problems[:MAX_PROBLEMS]],
    }
    response = api.create_response(request, body, status=error.status)
    for header, value in error.headers.items():
        response[header] = value
    return response


def _from_http_error(exc: HttpError) -> ApiError:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # Ninja's words for a body that is not JSON; ours say what to send (and that nothing changed).
        return ApiError(
            400, "The body is not valid JSON (send Content-Type: application/json); nothing was saved."
        )
    return ApiError(exc.status_code, str(exc))


def install_handlers(api: NinjaAPI) -> None:
    """Answer every exception a request can raise with the JSON error shape."""

    def handle(exc_class: type[Exception], to_error: Any) -> None:
        api.add_exception_handler(exc_class, lambda request, exc: error_response(api, request, to_error(exc)))

    handle(ApiError, lambda exc: exc)
    handle(Http404, lambda exc: ApiError(404, "Not found: nothing here that this token can reach."))
    handle(PermissionDenied, lambda exc: ApiError(403, str(exc) or "Not allowed."))
    handle(
        AuthenticationError,
        lambda exc: ApiError(
            401,
            "Send an access token: Authorization: Bearer cg_… (create one under Your account → API tokens).",
            headers={"WWW-Authenticate": "Bearer"},
        ),
    )
    handle(
        NinjaValidationError,
        lambda exc: ApiError(
            422,
            "The request has invalid values; nothing was changed.",
            problems=[
                (_path(error.get("loc", ())), str(error.get("msg", "invalid"))) for error in exc.errors
            ],
        ),
    )
    handle(RequestDataTooBig, lambda exc: ApiError(413, "The request body is too large."))
    handle(HttpError, _from_http_error)

    def unexpected(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
        log.exception("API request failed: %s %s", request.method, request.path)
        error = ApiError(500, "Something went wrong on our side. Try again later.")
        return error_response(api, request, error)

    api.add_exception_handler(Exception, unexpected)
