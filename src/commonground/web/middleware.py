"""Middleware of our own: the Content-Security-Policy header; TRACE refused; the API refused over
plain HTTP; no caching of what a signed-in person sees; the sign-in requirement aware of htmx;
two-factor sign-in for /admin/."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from commonground.web.access import admin_gate

if TYPE_CHECKING:  # only for annotations: the middleware module loads before any request
    from commonground.web.accounts.typing import HtmxHttpRequest


class ContentSecurityPolicyMiddleware:
    """Send ``settings.CONTENT_SECURITY_POLICY`` (only our own origin) on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class TraceRefusedMiddleware:
    """Answer TRACE with 405: function views answer any method, and TRACE echoes what a client sent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "TRACE":
            return HttpResponseNotAllowed(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        return self.get_response(request)


class ApiOverHttpRefusedMiddleware:
    """Where the site uses HTTPS, answer an API call over plain HTTP with 403, not a redirect: its token
    went out unencrypted already, and a redirect that simply works would hide that from the integrator."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SECURE_SSL_REDIRECT and request.path.startswith("/api/") and not request.is_secure():
            message = "Use HTTPS: this request, and any token in it, was sent unencrypted."
            return JsonResponse({"detail": message}, status=403)
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """``Cache-Control: no-store`` (and ``private``) on every response to a signed-in person.

    Pages, downloads and exports of a workspace hold member emails, profiles, agreements and check-in
    results; without it a browser or a shared proxy keeps them on disk after sign-out (ASVS 5.0
    V14.3.2; security review F13). A view that sets its own Cache-Control keeps it. Static files are
    served before this runs (WhiteNoise) and stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's sign-in requirement, except that an htmx request gets a 401 notice, not the sign-in page.

    htmx follows a redirect and would swap the whole sign-in page into the small box that asked (an
    SDG hint, a table row). Instead the answer is a 401 whose short notice htmx puts in the page's
    ``#session-notice`` region (``HX-Retarget``; ``base.html`` lets htmx swap 401 answers). The
    sign-in link opens in a new tab and returns to the page the user was on, so nothing typed is lost.
    """

    def handle_no_permission(  # type: ignore[override]  # a 401 for htmx, not only redirects
        self, request: HtmxHttpRequest, view_func: Callable[..., Any]
    ) -> HttpResponse:
        """401 notice for htmx requests; Django's redirect to the sign-in page otherwise."""
        if not request.htmx:
            response: HttpResponse = super().handle_no_permission(request, view_func)
            return response
        # Come back to the page the user was on, not to the fragment URL htmx called.
        query = urlencode({self.get_redirect_field_name(view_func): _same_site_path(request)})
        sign_in = f"{resolve_url(self.get_login_url(view_func))}?{query}"
        body = format_html(
            '<p class="session-expired">Your session has expired, so this was not loaded or saved. '
            '<a href="{}" target="_blank" rel="noopener">Sign in again</a> (opens a new tab; what you '
            "typed here stays), then try again.</p>",
            sign_in,
        )
        response = HttpResponse(body, status=401)
        response["HX-Retarget"] = "#session-notice"
        response["HX-Reswap"] = "innerHTML"
        return response


def _same_site_path(request: HtmxHttpRequest) -> str:
    """Path and query of the page htmx was on (``HX-Current-URL``), or "/" unless both URL and path are ours.

    The path is checked on its own too: on our host, ``//evil.example/x`` is a path that leaves the site.
    """
    header = request.htmx.current_url or ""
    current = urlsplit(header)
    back = current.path + (f"?{current.query}" if current.query else "")
    secure = request.is_secure()
    hosts = {request.get_host()}
    ours = url_has_allowed_host_and_scheme(header, allowed_hosts=hosts, require_https=secure)
    if ours and back.startswith("/") and url_has_allowed_host_and_scheme(back, hosts, require_https=secure):
        return back
    return "/"


class AdminRequiresMfaMiddleware:
    """The admin's views are Django's (not decorated by us): ``access.admin_gate`` runs before each."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        """The gate's answer for the admin's URLs; None (carry on) for every other URL."""
        return admin_gate(request)
